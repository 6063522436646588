"""The whole path, through HTTP: a roundtable opens, a survivor leader joins and writes,
the facilitator releases, an editor quotes, approves and exports."""

import csv
import io
import re

from roundtable.db import db
from roundtable.models import Export, Participant, Reflection, Roundtable
from tests.conftest import hidden_fields_of
from tests.deployment.live import passphrase_check
from tests.editor.conftest import approve_form_of

WORDS = "Gusto kong marinig ng korte ang mga bata nang hindi sila humaharap sa nanakit sa kanila."


def _join(app, csrf, code: str, *, grants=("take_part", "store_words", "quote_publicly"), pseudonym="Bituin 7"):
    browser = app.test_client()
    page = browser.get("/join")
    response = browser.post("/join", data={"code": code.lower(), "language": "fil", "csrf_token": csrf(page)})
    assert response.headers["Location"].endswith("/join/consent")
    page = browser.get("/join/consent")
    assert "Pinipili kong makilahok" in page.get_data(as_text=True)
    response = browser.post(
        "/join/consent", data={**hidden_fields_of(page), "clauses": list(grants), "adult": "y"}
    )
    assert response.headers["Location"].endswith("/join/pseudonym")
    page = browser.get("/join/pseudonym")
    response = browser.post("/join/pseudonym", data={"pseudonym": pseudonym, "csrf_token": csrf(page)})
    assert response.headers["Location"].endswith("/join/passphrase")
    page = browser.get("/join/passphrase")
    words, first, second = passphrase_check(page.get_data(as_text=True))
    response = browser.post(
        "/join/passphrase", data={"first": words[first - 1], "second": words[second - 1].upper(), "csrf_token": csrf(page)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser, " ".join(words)


def test_from_join_code_to_exported_quote(app, make, login, csrf):
    facilitator = make.user("facilitator")
    editor = make.user("editor")
    staff = app.test_client()
    login(facilitator, on=staff)

    page = staff.get("/facilitator/roundtables/new")
    response = staff.post("/facilitator/roundtables/new", data={
        "title_fil": "Mga korteng nakikinig", "title_en": "Courts that listen",
        "description_fil": "", "description_en": "", "retention_until": "2030-01-31",
        "prompt_fil": "Ano ang makakatulong sa mga bata?", "prompt_en": "What would help children?",
        "csrf_token": csrf(page),
    })
    assert response.status_code == 302
    roundtable = db.session.query(Roundtable).one()
    page = staff.get(f"/facilitator/roundtables/{roundtable.id}")
    staff.post(f"/facilitator/roundtables/{roundtable.id}/status", data={"status": "open", "csrf_token": csrf(page)})
    db.session.refresh(roundtable)
    assert roundtable.status == "open"

    survivor, passphrase = _join(app, csrf, roundtable.join_code)
    prompt = roundtable.prompts[0]
    page = survivor.get(f"/write/{prompt.id}")
    assert "Ano ang makakatulong sa mga bata?" in page.get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    form = {"text": WORDS, "language": "fil", "idempotency_key": key, "submit": "Isumite", "csrf_token": csrf(page)}
    assert survivor.post(f"/write/{prompt.id}", data=form).status_code == 302
    assert survivor.post(f"/write/{prompt.id}", data=form).status_code == 302  # a double submit stores one
    reflection = db.session.query(Reflection).one()
    assert reflection.status == "submitted" and reflection.text == WORDS

    page = staff.get("/facilitator/moderation")
    assert "Bituin 7" in page.get_data(as_text=True)
    page = staff.get(f"/facilitator/reflections/{reflection.id}")
    staff.post(f"/facilitator/reflections/{reflection.id}", data={
        "decision-decision": "release", "decision-csrf_token": csrf(page),
        "decision-read": re.search(r'name="decision-read" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1),
    })
    db.session.refresh(reflection)
    assert reflection.status == "released"

    comms = app.test_client()
    login(editor, on=comms)
    assert WORDS[:40] in comms.get("/editor/").get_data(as_text=True)
    page = comms.get(f"/editor/reflections/{reflection.id}")
    quote_text = "Gusto kong marinig ng korte ang mga bata… hindi sila humaharap sa nanakit sa kanila."
    response = comms.post(f"/editor/reflections/{reflection.id}", data={
        "text": quote_text, "language": "fil",
        "translation": "I want the court to hear children… without them facing those who hurt them.",
        "translation_language": "en", "descriptor": "survivor leader", "csrf_token": csrf(page),
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    quote_url = response.headers["Location"].split("?")[0]  # it leads back to the reflections: the rest says so
    page = comms.get(quote_url)
    comms.post(quote_url + "/approve", data=approve_form_of(page))

    page = comms.get("/editor/export")
    response = comms.post("/editor/export", data={"format": "csv", "roundtable": "0", "theme": "0", "language": "",
                                                  "csrf_token": csrf(page)})
    assert response.status_code == 200
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert quote_text in rows[1]
    assert any("Bituin 7" in cell for cell in rows[1])
    export = db.session.query(Export).one()
    assert [q.id for q in export.quotes] == [int(quote_url.rsplit("/", 1)[1])]

    # The participant can come back with the passphrase alone.
    returning = app.test_client()
    page = returning.get("/return")
    response = returning.post("/return", data={"passphrase": passphrase.upper(), "csrf_token": csrf(page)})
    assert response.headers["Location"].endswith("/my")
    assert "Bituin 7" in returning.get("/my").get_data(as_text=True)
    assert db.session.query(Participant).count() == 1
