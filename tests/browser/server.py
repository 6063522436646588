"""A live Roundtable for the browser tests and the screenshot script.

Run as its own process (the app's database handle is process-wide, so it cannot share the test
process with the ``app`` fixture): ``python tests/browser/server.py DIRECTORY``. It migrates a fresh
SQLite database in DIRECTORY, adds synthetic data, serves on a free loopback port and prints one JSON
line with the base URL and the ids/credentials the tests need. Stop it with SIGTERM.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import date, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSWORD = "a long browser test password"


def _seed() -> dict:
    from roundtable import clock
    from roundtable.db import db
    from roundtable.models import Theme
    import pyotp

    from roundtable.services import (
        accounts, consent, curation, exports, moderation, participation, roundtables, twofactor,
    )

    def _open_roundtable(facilitator, title_en: str, title_fil: str):
        opened = roundtables.create(
            facilitator, title_en=title_en, title_fil=title_fil,
            description_en="Synthetic data for the browser tests.", description_fil="Gawa-gawang datos para sa pagsubok.",
            retention_until=date.today() + timedelta(days=365),
            prompts=[("What should a court do differently?", "Ano ang dapat ibahin ng korte?")],
        )
        roundtables.set_status(opened, facilitator, "open")
        return opened

    staff = {}
    for role in ("facilitator", "editor", "admin"):
        staff[role] = accounts.create_user(f"{role}1", f"Demo {role}", {role}, PASSWORD)
    other = accounts.create_user("facilitator2", "Other facilitator", {"facilitator"}, PASSWORD)
    db.session.add(Theme(name_en="Healing", name_fil="Paghilom"))
    item = roundtables.create(
        staff["facilitator"],
        title_en="Courts that listen", title_fil="Mga korteng nakikinig",
        description_en="What should change in court.", description_fil="Ano ang dapat magbago sa korte.",
        retention_until=date.today() + timedelta(days=365),
        meets_on=date.today() + timedelta(days=7), starts_at=time(14, 0), ends_at=time(16, 30),
        prompts=[
            ("What would have helped you feel safe in court?", "Ano sana ang nakatulong para maging ligtas ka sa korte?"),
            ("What should judges know?", "Ano ang dapat malaman ng mga hukom?"),
        ],
    )
    roundtables.set_status(item, staff["facilitator"], "open")
    others = roundtables.create(
        other, title_en="Another roundtable", title_fil="Ibang talakayan",
        description_en="Not yours.", description_fil="Hindi sa iyo.",
        retention_until=date.today() + timedelta(days=365), prompts=[("A question", "Isang tanong")],
    )
    participant, passphrase = participation.join(
        item, language="en", pseudonym="Bituin", adult_confirmed=True,
        granted={"take_part", "store_words", "quote_publicly"},
    )
    reflection = participation.save_reflection(
        participant, item.prompts[0], text="The court should let children speak from a safe room, with a person they trust.",
        language="en", submit=True, idempotency_key="browser-seed-1",
    )
    moderation.decide(staff["facilitator"], reflection, "release", read=moderation.read_mark(reflection))
    quote = curation.create_quote(
        staff["editor"], reflection, text="let children speak from a safe room", language="en",
        translation=None, translation_language=None, descriptor="survivor leader",
    )
    # Two more states of "My words": quotes waiting for their author's review, and a consent form
    # changed after the author joined (each in a roundtable of its own, so neither hides the other).
    reviewing = _open_roundtable(staff["facilitator"], "Judges who wait", "Mga hukom na naghihintay")
    reviewer, reviewer_passphrase = participation.join(
        reviewing, language="fil", pseudonym="Dalisay", adult_confirmed=True,
        granted={"take_part", "store_words", "quote_publicly", "review_quotes"},
    )
    for number, words in enumerate(("Ang korte ay dapat maging tahimik na lugar para sa mga bata.",
                                    "Sana may taong kasama ang bata sa bawat pagdinig."), start=1):
        written = participation.save_reflection(
            reviewer, reviewing.prompts[0], text=words, language="fil", submit=True,
            idempotency_key=f"browser-seed-review-{number}",
        )
        moderation.decide(staff["facilitator"], written, "release", read=moderation.read_mark(written))
        sent = curation.create_quote(
            staff["editor"], written, text=words, language="fil", translation="A court should be a quiet place.",
            translation_language=None, descriptor="survivor leader",
        )
        curation.approve(staff["editor"], sent)  # the author asked to review: it waits for them
    changing = _open_roundtable(staff["facilitator"], "Healing after court", "Paghilom pagkatapos ng korte")
    _rejoining, rejoining_passphrase = participation.join(
        changing, language="en", pseudonym="Ligaya", adult_confirmed=True,
        granted={"take_part", "store_words", "quote_publicly"},
    )
    consent.new_form_version(changing, staff["facilitator"], [
        consent.ClauseDraft(c.key, c.text_en + " (revised)", c.text_fil + " (binago)", c.required)
        for c in changing.current_clauses()
    ], seen=changing.consent_version)
    # An optional statement someone said no to: making it required is asked first (the facilitator's walk).
    photos = _open_roundtable(staff["facilitator"], "Photos at the meeting", "Mga larawan sa pulong")
    consent.new_form_version(photos, staff["facilitator"], [
        *(consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in photos.current_clauses()),
        consent.ClauseDraft("meeting_photos", "I may be photographed at the meeting without my face.",
                            "Maaari akong kunan ng larawan sa pulong nang hindi kita ang aking mukha.", False),
    ], seen=photos.consent_version)
    participation.join(photos, language="fil", pseudonym="Amihan", adult_confirmed=True,
                       granted={"take_part", "store_words"})
    # One the facilitator closes while someone writes in it (test_participant_path): the others stay open.
    closing = _open_roundtable(staff["facilitator"], "Closed while you write", "Isinara habang nagsusulat ka")
    # A roundtable past its retention date whose words wait for the purge (the administrator's Retention page).
    old = _open_roundtable(staff["facilitator"], "Hearings of last year", "Mga pagdinig noong nakaraang taon")
    old_author, _old_passphrase = participation.join(
        old, language="en", pseudonym="Tag-ulan", adult_confirmed=True, granted={"take_part", "store_words"},
    )
    participation.save_reflection(
        old_author, old.prompts[0], text="A quiet room helped me.", language="en", submit=True,
        idempotency_key="browser-seed-old-1",
    )
    old.retention_until = clock.today() - timedelta(days=1)
    # The longest titles the form allows, with a meeting time: the join card must still print on one page.
    long_titles = _open_roundtable(
        staff["facilitator"],
        ("Courts that listen to children, judges who wait for them, and video-recorded interviews so that no child "
         "has to face the parent who hurt them in a courtroom again, ever, anywhere in the Philippines")[:200],
        ("Mga korteng nakikinig sa mga bata, mga hukom na naghihintay, at mga naka-video na panayam para walang batang "
         "haharap sa magulang na nanakit sa kanila sa loob ng korte, kailanman, saanman sa Pilipinas")[:200],
    )
    long_titles.meets_on, long_titles.starts_at, long_titles.ends_at = date.today() + timedelta(days=9), time(9), time(17)
    # An export whose quote its author took back since: Past exports and Withdrawn after export have a row each.
    exported_author, _exported_passphrase = participation.join(
        item, language="fil", pseudonym="Habagat", adult_confirmed=True,
        granted={"take_part", "store_words", "quote_publicly"},
    )
    exported = participation.save_reflection(
        exported_author, item.prompts[0], text="Dapat may kasamang pinagkakatiwalaan ang bata sa korte.",
        language="fil", submit=True, idempotency_key="browser-seed-exported-1",
    )
    moderation.decide(staff["facilitator"], exported, "release", read=moderation.read_mark(exported))
    curation.approve(staff["editor"], curation.create_quote(
        staff["editor"], exported, text="may kasamang pinagkakatiwalaan ang bata", language="fil",
        translation="a trusted person with the child", translation_language=None, descriptor="survivor leader",
    ))
    exports.record(staff["editor"], "docx", exports.QuoteFilters())
    consent.change_clause(exported_author, "quote_publicly", grant=False)
    # Editors and admins must use a second factor: enrol them with a secret the tests know.
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    for role in ("editor", "admin"):
        twofactor.enrol(staff[role], secret, pyotp.TOTP(secret).now(), actor=staff[role])
    db.session.commit()
    return {
        "totp_secret": secret, "facilitator_id": staff["facilitator"].id,
        "join_code": item.join_code, "roundtable_id": item.id, "others_roundtable_id": others.id,
        "long_titles_roundtable_id": long_titles.id, "photos_roundtable_id": photos.id,
        "closing": {"join_code": closing.join_code, "roundtable_id": closing.id, "prompt_id": closing.prompts[0].id},
        "prompt_id": item.prompts[0].id, "reflection_id": reflection.id, "quote_id": quote.id,
        "passphrase": passphrase, "password": PASSWORD,
        "reviewer_passphrase": reviewer_passphrase, "rejoining_passphrase": rejoining_passphrase,
        "staff": {role: user.username for role, user in staff.items()},
    }


class _NeutralSite(BaseHTTPRequestHandler):
    """Stands in for the quick exit's neutral website, so that nothing leaves the machine."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = b"<!doctype html><html lang=en><title>Weather</title><p>Sunny.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main(directory: str) -> None:
    from argon2 import PasswordHasher
    from werkzeug.serving import make_server

    neutral = ThreadingHTTPServer(("127.0.0.1", 0), _NeutralSite)
    threading.Thread(target=neutral.serve_forever, daemon=True).start()
    # *.localhost always resolves to the loopback interface in chromium.
    neutral_site = f"http://neutral.localhost:{neutral.server_port}/weather"
    os.environ["ROUNDTABLE_INSTANCE_PATH"] = directory
    from roundtable import create_app
    from roundtable.cli import unavailable_page, upgrade_database
    from roundtable.services import accounts

    accounts.password_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{Path(directory) / 'browser.db'}",
        "RATELIMIT_ENABLED": False,
        "QUICK_EXIT_URL": neutral_site,
        "SUPPORT_CONTACTS": [{
            "name_en": "Survivor helpline", "name_fil": "Helpline para sa mga survivor",
            "contact": "1343", "hours_en": "Every day, 8am to 8pm", "hours_fil": "Araw-araw, 8 n.u. hanggang 8 n.g.",
        }],
    })
    upgrade_database(app)
    with app.app_context():
        facts = _seed()
    # What nginx serves while the app restarts (deploy.md), so that the walk checks it as well.
    facts["unavailable_page"] = str(Path(directory) / "unavailable.html")
    Path(facts["unavailable_page"]).write_text(unavailable_page(app), encoding="utf-8")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    facts["neutral_site"] = neutral_site
    facts["base_url"] = f"http://127.0.0.1:{server.server_port}"
    facts["secret_key"] = app.secret_key  # a throwaway test server's: lets a test age a password typed at sign-in
    print(json.dumps(facts), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
