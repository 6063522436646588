"""A leaked database file or backup holds no readable words, and keys can be rotated while running."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import Text, select, type_coerce, update

from roundtable.db import db
from roundtable.models import AuditEvent, Quote, Reflection
from roundtable.services import crypto, curation, moderation
from tests.conftest import sensitive_words_saved

REFLECTION = "Zebrafinch courts should let the child testify from a quiet room"
QUOTE = "Zebrafinch courts should let the child testify"
TRANSLATION = "Dapat hayaan ng mga korteng zebrafinch na tumestigo ang bata"
NOTE = "Zebrafinch follow up gently next session"
SECRETS = (REFLECTION, QUOTE, TRANSLATION, NOTE, "Zebrafinch")


def _write_known_words(make):
    reflection = make.reflection(text=REFLECTION)
    editor = make.user("editor")
    curation.create_quote(
        editor, reflection, text=QUOTE, language="en", translation=TRANSLATION, translation_language="fil",
        descriptor="survivor leader",
    )
    moderation.save_note(reflection.participant.roundtable.facilitator, reflection, NOTE,
                          read=moderation.note_mark(reflection))
    db.session.commit()
    return reflection


def test_the_sqlite_file_holds_no_plaintext(app, make, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("this test reads the SQLite file; the PostgreSQL check uses pg_dump below")
    _write_known_words(make)
    db.session.remove()
    path = Path(urlsplit(database_url).path)
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]  # the file, -wal and -shm
    raw = b"".join(p.read_bytes() for p in files)
    assert len(raw) > 0
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in raw, f"{secret!r} readable in the database file"


def test_a_postgresql_dump_holds_no_plaintext(app, make, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("runs only on PostgreSQL (set TEST_DATABASE_URL=postgresql+psycopg://…); SQLite is checked above")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    _write_known_words(make)
    url = urlsplit(database_url.replace("postgresql+psycopg://", "postgresql://"))
    dump = subprocess.run(
        ["pg_dump", "--data-only", url._replace(query="").geturl()],
        capture_output=True, check=True, timeout=120,
    ).stdout
    assert b"COPY public.reflections" in dump or b"reflections" in dump
    for secret in SECRETS:
        assert secret.encode() not in dump, f"{secret!r} readable in pg_dump output"


def test_the_application_reads_the_words_back(make):
    reflection = _write_known_words(make)
    db.session.expire_all()
    stored = db.session.get(Reflection, reflection.id)
    assert stored.text == REFLECTION and stored.moderator_note == NOTE
    quote = db.session.scalar(select(Quote).where(Quote.reflection_id == reflection.id))
    assert quote.text == QUOTE and quote.translation == TRANSLATION


def test_rotate_keys_then_removing_the_old_key_keeps_everything_readable(app, make):
    original = list(app.config["ENCRYPTION_KEYS"])
    reflection = _write_known_words(make)
    new_key = crypto.new_key()
    try:
        crypto.keyring.configure([new_key, *original], app.config["LOOKUP_KEY"])
        app.config["ENCRYPTION_KEYS"] = [new_key, *original]
        result = CliRunner().invoke(app.cli, ["rotate-keys", "--batch-size", "1"], obj=None, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert re.search(r"reflections: [1-9]", result.output)

        crypto.keyring.configure([new_key], app.config["LOOKUP_KEY"])  # the old key is gone
        db.session.remove()
        stored = db.session.get(Reflection, reflection.id)
        assert stored.text == REFLECTION and stored.moderator_note == NOTE
        quote = db.session.scalar(select(Quote).where(Quote.reflection_id == reflection.id))
        assert quote.text == QUOTE and quote.translation == TRANSLATION

        second = CliRunner().invoke(app.cli, ["rotate-keys"], catch_exceptions=False)
        assert "reflections: 0" in second.output  # nothing left under an old key
        rotations = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "keys.rotated")).all()
        assert [(e.actor_type, e.target_type) for e in rotations] == [("system", None)]  # the run that changed text
    finally:
        crypto.keyring.configure(original, app.config["LOOKUP_KEY"])
        app.config["ENCRYPTION_KEYS"] = original


def test_rotate_keys_without_the_old_key_says_what_to_do_and_refuses_an_empty_batch(app, make):
    original = list(app.config["ENCRYPTION_KEYS"])
    _write_known_words(make)
    try:
        crypto.keyring.configure([crypto.new_key()], app.config["LOOKUP_KEY"])  # the old key was dropped too soon
        result = CliRunner().invoke(app.cli, ["rotate-keys"])
        assert result.exit_code == 1
        assert "none of the configured keys opens: put the old key back" in result.output
        assert "Traceback" not in result.output and "Done." not in result.output
    finally:
        crypto.keyring.configure(original, app.config["LOOKUP_KEY"])
    for size in ("0", "-5"):
        refused = CliRunner().invoke(app.cli, ["rotate-keys", "--batch-size", size])
        assert refused.exit_code == 2 and "Done." not in refused.output  # it reported success, rotating nothing


def test_words_saved_while_keys_rotate_are_kept(app, make, monkeypatch):
    """The site keeps running during a rotation: a reflection edited between the rotation's read and its write
    keeps the edit (the write matches the token it read, and finds it gone)."""
    original = list(app.config["ENCRYPTION_KEYS"])
    reflection = make.reflection(text="Old words about the court.")
    db.session.commit()
    column = Reflection.__table__.c.text
    token_read = db.session.scalar(select(type_coerce(column, Text)).where(Reflection.__table__.c.id == reflection.id))
    real_rotate = crypto.rotate

    def rotate_while_the_author_saves(token):
        if token == token_read:
            with db.engine.begin() as connection:
                connection.execute(update(Reflection.__table__).where(Reflection.__table__.c.id == reflection.id)
                                   .values(text="New words, saved meanwhile."))
        return real_rotate(token)

    try:
        crypto.keyring.configure([crypto.new_key(), *original], app.config["LOOKUP_KEY"])
        monkeypatch.setattr(crypto, "rotate", rotate_while_the_author_saves)
        crypto.rotate_keys()
        db.session.remove()
        assert db.session.get(Reflection, reflection.id).text == "New words, saved meanwhile."
    finally:
        db.session.remove()
        crypto.keyring.configure(original, app.config["LOOKUP_KEY"])


def test_without_the_key_stored_words_cannot_be_read(app, make):
    original = list(app.config["ENCRYPTION_KEYS"])
    reflection = _write_known_words(make)
    try:
        crypto.keyring.configure([crypto.new_key()], app.config["LOOKUP_KEY"])
        db.session.remove()
        with pytest.raises(crypto.KeyringNotConfigured):
            db.session.get(Reflection, reflection.id).text
    finally:
        db.session.remove()
        crypto.keyring.configure(original, app.config["LOOKUP_KEY"])


def test_a_roundtables_sensitive_words_are_decrypted_only_where_they_are_used(
    app, make, client, login, csrf, monkeypatch
):
    """Every participant request and every editor list loads roundtables; their sensitive words stay sealed."""
    roundtable = make.roundtable()
    participant = make.participant(roundtable)
    editor = make.user("editor")
    sensitive_words_saved(editor, roundtable, "Zebrafinch street\nSan Zebrafinch school")
    db.session.commit()
    prompt_id = roundtable.prompts[0].id
    db.session.remove()
    opened = []
    real_decrypt = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: opened.append(real_decrypt(token)) or opened[-1])
    writer = app.test_client()
    page = writer.get("/return")
    writer.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
    for url in ("/my", f"/write/{prompt_id}"):
        assert writer.get(url).status_code == 200
    login(editor)
    for url in ("/editor/", "/editor/quotes", "/editor/export"):
        assert client.get(url).status_code == 200
    assert not any("Zebrafinch" in text for text in opened)
    assert "Zebrafinch street" in client.get(f"/editor/roundtables/{roundtable.id}/sensitive-words").get_data(as_text=True)
