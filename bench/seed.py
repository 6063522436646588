"""Seed a benchmark database with years of data: 40 roundtables, 2,000 participants,
100,000 reflections and 10,000 approved quotes (1,000 of them carry the theme "Bench 1000"),
300,000 audit events and 300 past exports of 2,000 quotes each.

Structure (staff, roundtables, participants and their consent) goes through the services, as the app
does. Reflections and quotes are bulk-inserted: their text is encrypted in parallel into real Fernet
tokens under the configured key, then written with multi-row INSERTs.

Run with the production environment of bench/run.sh; prints JSON with the ids and credentials needed.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import date, timedelta
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROUNDTABLES = 40
PARTICIPANTS_EACH = 50
REFLECTIONS = 100_000
QUOTES = 10_000
DOCX_THEME_QUOTES = 1_000
AUDIT_EVENTS = 300_000
EXPORTS, QUOTES_PER_EXPORT = 300, 2_000
PASSWORD = "a long benchmark password"
# Editors and administrators sign in with a second factor, as in production: the bench's own authenticator.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

SENTENCES = [
    "The court should let children speak from a safe room, with a person they trust beside them.",
    "Ang korte ay dapat makinig sa mga bata at maniwala sa kanila sa unang pagkakataon.",
    "Healing takes time, and the process should not make us repeat our story again and again.",
    "Sana may kasama kaming marunong makinig habang naghihintay ng pagdinig.",
    "Judges should know that the people who hurt us were often the people we trusted most.",
    "Justice means being believed, being safe, and being asked what we need.",
]


def _text(i: int) -> str:
    return f"{SENTENCES[i % len(SENTENCES)]} {SENTENCES[(i * 7 + 3) % len(SENTENCES)]} ({i})"


def _encrypt_chunk(args) -> list[str]:
    keys, lookup, start, stop, kind = args
    from roundtable.services import crypto

    crypto.keyring.configure(keys, lookup)
    if kind == "reflection":
        return [crypto.encrypt(_text(i)) for i in range(start, stop)]
    return [crypto.encrypt(_text(i)[:120]) for i in range(start, stop)]


def encrypt_all(app, count: int, kind: str) -> list[str]:
    chunks = [(app.config["ENCRYPTION_KEYS"], app.config["LOOKUP_KEY"], s, min(s + 5000, count), kind)
              for s in range(0, count, 5000)]
    with Pool(os.cpu_count() or 2) as pool:
        return [token for part in pool.map(_encrypt_chunk, chunks) for token in part]


def main() -> None:
    from sqlalchemy import column, insert, select, table, text

    from roundtable import create_app
    from roundtable.db import db, utcnow
    from roundtable.models import Theme
    from roundtable.services import accounts, identifiers, participation, roundtables

    started = time.monotonic()
    random.seed(8)
    # Bulk inserts of years of data are no request: the 30 s a page's statement may take does not apply (a busy
    # machine took longer to link the exports to their quotes).
    os.environ["ROUNDTABLE_STATEMENT_TIMEOUT_SECONDS"] = "0"
    app = create_app()
    with app.app_context():
        facilitator = accounts.create_user("facilitator1", "Bench facilitator", {"facilitator"}, PASSWORD)
        editor = accounts.create_user("editor1", "Bench editor", {"editor"}, PASSWORD)
        admin = accounts.create_user("admin1", "Bench administrator", {"admin"}, PASSWORD)
        editor.totp_secret = admin.totp_secret = TOTP_SECRET
        themes = [Theme(name_en=f"Theme {i}", name_fil=f"Tema {i}") for i in range(6)]
        bench_theme = Theme(name_en="Bench 1000", name_fil="Bench 1000")
        db.session.add_all(themes + [bench_theme])
        people: list[tuple[int, int, list[int]]] = []  # participant id, roundtable id, prompt ids
        writer = None
        for r in range(ROUNDTABLES):
            item = roundtables.create(
                facilitator, title_en=f"Courts that listen {r + 1}", title_fil=f"Mga korteng nakikinig {r + 1}",
                description_en="What should change.", description_fil="Ano ang dapat magbago.",
                retention_until=date.today() + timedelta(days=3650),
                prompts=[(f"Question {p} in English", f"Tanong {p} sa Filipino") for p in (1, 2, 3)],
            )
            roundtables.set_status(item, facilitator, "open")
            prompt_ids = [p.id for p in item.prompts]
            for n in range(PARTICIPANTS_EACH):
                participant, passphrase = participation.join(
                    item, language="fil" if n % 3 else "en", pseudonym=f"Bituin {r}-{n}", adult_confirmed=True,
                    granted={"take_part", "store_words", "quote_publicly"},
                )
                people.append((participant.id, item.id, prompt_ids))
                if writer is None:
                    writer = {"passphrase": passphrase, "prompt_id": prompt_ids[0]}
            db.session.commit()
        print(f"structure: {time.monotonic() - started:.1f}s", file=sys.stderr)

        reflection_tokens = encrypt_all(app, REFLECTIONS, "reflection")
        quote_tokens = encrypt_all(app, QUOTES, "quote")
        print(f"encrypted: {time.monotonic() - started:.1f}s", file=sys.stderr)

        # Plain (untyped) table handles: the tokens are already encrypted.
        reflections = table("reflections", *(column(c) for c in (
            "participant_id", "prompt_id", "language", "text", "status", "idempotency_key",
            "created_at", "updated_at", "submitted_at", "decided_at", "decided_by_id")))
        now = utcnow()
        statuses = ["released"] * 8 + ["submitted", "held"]
        rows = []
        for i in range(REFLECTIONS):
            pid, _, prompt_ids = people[i % len(people)]
            status = statuses[i % len(statuses)]
            rows.append({
                "participant_id": pid, "prompt_id": prompt_ids[i % 3], "language": ("fil", "en", "mixed")[i % 3],
                "text": reflection_tokens[i], "status": status, "idempotency_key": f"bench-{i}",
                "created_at": now, "updated_at": now, "submitted_at": now,
                "decided_at": now if status != "submitted" else None,
                "decided_by_id": facilitator.id if status != "submitted" else None,
            })
        for start in range(0, len(rows), 10_000):
            db.session.execute(insert(reflections), rows[start:start + 10_000])
        db.session.commit()
        print(f"reflections: {time.monotonic() - started:.1f}s", file=sys.stderr)

        released = db.session.scalars(
            select(column("id")).select_from(table("reflections", column("id"), column("status")))
            .where(column("status") == "released").order_by(column("id")).limit(QUOTES)
        ).all()
        quotes = table("quotes", *(column(c) for c in (
            "reflection_id", "text", "language", "descriptor", "status", "revision", "participant_approved_revision",
            "created_by_id", "approved_by_id", "created_at", "updated_at", "approved_at", "version_id",
            "unresolved_findings")))
        # The stored count of undecided identifying details is 0 because the sentences hold none:
        assert not any(identifiers.detect(sentence) for sentence in SENTENCES)
        db.session.execute(insert(quotes), [{
            "reflection_id": rid, "text": quote_tokens[i], "language": ("fil", "en", "mixed")[i % 3],
            "descriptor": "survivor leader", "status": "approved", "revision": 1, "participant_approved_revision": 1,
            "created_by_id": editor.id, "approved_by_id": editor.id, "created_at": now, "updated_at": now,
            "approved_at": now, "version_id": 1, "unresolved_findings": 0,
        } for i, rid in enumerate(released)])
        quote_ids = db.session.scalars(select(column("id")).select_from(table("quotes", column("id")))
                                       .order_by(column("id"))).all()
        links = [{"quote_id": q, "theme_id": themes[i % len(themes)].id} for i, q in enumerate(quote_ids)]
        links += [{"quote_id": q, "theme_id": bench_theme.id} for q in quote_ids[:DOCX_THEME_QUOTES]]
        db.session.execute(insert(table("quote_themes", column("quote_id"), column("theme_id"))), links)
        db.session.commit()
        print(f"quotes: {time.monotonic() - started:.1f}s", file=sys.stderr)

        # Years of history, written by PostgreSQL itself (the bench runs only there): one audit event every
        # few minutes, and an export every day or so, each recording the quotes it held.
        db.session.execute(text(
            "INSERT INTO audit_events (created_at, actor_type, actor_id, action, target_type, target_id) "
            "SELECT now() - make_interval(mins => g), CASE WHEN g % 3 = 0 THEN 'participant' ELSE 'staff' END, "
            "1 + g % 50, (ARRAY['reflection.submitted', 'quote.approved', 'consent.changed', 'export.created'])"
            "[1 + g % 4], 'reflection', 1 + g % :reflections FROM generate_series(1, :events) AS g"
        ), {"events": AUDIT_EVENTS, "reflections": REFLECTIONS})
        db.session.execute(text(
            "INSERT INTO exports (user_id, format, quote_count, created_at) "
            "SELECT :editor, 'csv', :per_export, now() - make_interval(days => g) FROM generate_series(1, :exports) AS g"
        ), {"editor": editor.id, "per_export": QUOTES_PER_EXPORT, "exports": EXPORTS})
        db.session.execute(text(
            "INSERT INTO export_quotes (export_id, quote_id) SELECT e.id, q.id FROM exports AS e "
            "JOIN LATERAL (SELECT id FROM quotes ORDER BY id LIMIT :per_export "
            "OFFSET (e.id * 7) % (:quotes - :per_export)) AS q ON true"
        ), {"per_export": QUOTES_PER_EXPORT, "quotes": len(quote_ids)})
        db.session.commit()
        print(f"history: {time.monotonic() - started:.1f}s", file=sys.stderr)
        print(json.dumps({
            "facilitator": "facilitator1", "editor": "editor1", "admin": "admin1", "password": PASSWORD,
            "totp_secret": TOTP_SECRET,
            "writer": writer, "docx_theme_id": bench_theme.id,
            "reflections": REFLECTIONS, "quotes": len(quote_ids), "participants": len(people),
            "audit_events": AUDIT_EVENTS, "exports": EXPORTS,
            "seed_seconds": round(time.monotonic() - started, 1),
        }))


if __name__ == "__main__":
    main()
