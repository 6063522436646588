"""/healthz tells a load balancer whether the database answers, and says nothing more.

When the database is away, people get the calm 503 page in their own language, not a crash.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from cryptography.fernet import Fernet, MultiFernet

from roundtable.db import db, engine_options
from roundtable.services import crypto
from tests.conftest import database


@pytest.fixture
def database_down(app, tmp_path):
    """Point the app at a database that cannot be opened, as when PostgreSQL is stopped."""
    with database(create_engine(f"sqlite:///{tmp_path / 'no-such-directory' / 'gone.db'}")):
        yield


def test_a_database_never_migrated_is_unhealthy_and_pages_say_503_calmly_and_name_the_cure(
        client, csrf, caplog, never_migrated):
    """Not a 500, nor "did not answer": it answers, with nothing of Roundtable in it."""
    assert client.get("/healthz").status_code == 503
    assert ("health check: the database has no Roundtable tables: run `flask --app roundtable migrate` with the app's "
            "own settings (on a server set up as docs/deploy.md says, `sudo roundtable-flask migrate`)") in caplog.text
    client.get("/language/en")
    page = client.get("/join")
    for url, data in (("/join", {"code": "KAPWA7", "language": "en"}), ("/return", {"passphrase": "alon bituin"})):
        caplog.clear()
        response = client.post(url, data={**data, "csrf_token": csrf(page)})
        assert response.status_code == 503 and "Roundtable is resting for a moment" in response.get_data(as_text=True)
        assert "has no Roundtable tables" in caplog.text and "Traceback" not in caplog.text, url


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_says_unavailable_without_details_when_the_database_is_away(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    body = response.get_data(as_text=True).lower()
    for detail in ("sqlite", "operationalerror", "gone.db", "traceback"):
        assert detail not in body


@contextmanager
def schema_at(revision: str):
    """The database says it is at ``revision`` until the block ends (as after an upgrade whose migrate was
    skipped, or code rolled back)."""
    from roundtable.db import SCHEMA_REVISION

    db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": SCHEMA_REVISION})
        db.session.commit()


@pytest.mark.parametrize(("revision", "said"), [
    ("0005", "the database is at schema revision 0005 and this release needs"),
    ("0999", "the database is at schema revision 0999, newer than this release knows"),
])
def test_a_database_at_another_schema_revision_is_unhealthy_and_said_in_one_line(client, caplog, revision, said):
    with schema_at(revision):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "unavailable"}
    assert said in caplog.text


@pytest.mark.parametrize("statement", [
    "SELECT detail_of_a_later_release FROM audit_events",
    "INSERT INTO audit_events (detail_of_a_later_release) VALUES (1)",  # SQLite: "… has no column named …"
])
def test_a_page_that_meets_a_missing_column_says_503_calmly_and_names_the_revision(client, csrf, caplog, monkeypatch,
                                                                                   statement):
    """Not a 500: the column is missing because the schema is older than the code."""
    from roundtable.services import participation

    def old_schema(*args, **kwargs):
        db.session.execute(text(statement))

    monkeypatch.setattr(participation, "find_by_passphrase", old_schema)
    client.get("/language/en")
    page = client.get("/return")
    with schema_at("0005"):
        response = client.post("/return", data={"passphrase": "alon bituin", "csrf_token": csrf(page)})
    assert response.status_code == 503 and "Roundtable is resting for a moment" in response.get_data(as_text=True)
    assert "schema revision 0005 and this release needs" in caplog.text


def test_keys_that_do_not_open_a_second_factor_are_unhealthy_before_anyone_writes(client, make, monkeypatch):
    """No reflection yet, but an administrator's two-step secret: wrong keys would lock staff out unseen."""
    admin = make.user("admin")
    admin.totp_secret = crypto.encrypt("JBSWY3DPEHPK3PXP")
    db.session.commit()
    assert client.get("/healthz").status_code == 200

    monkeypatch.setattr(crypto.keyring, "_fernet", MultiFernet([Fernet(Fernet.generate_key())]))

    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "unavailable"}


def test_keys_that_do_not_open_the_stored_words_are_unhealthy_and_pages_say_503_calmly(client, make, csrf, caplog,
                                                                                      monkeypatch):
    """Rotation steps out of order, or a host left with old settings: a load balancer hears of it, and people get
    the calm page, not a crash."""
    author = make.participant()
    make.reflection(author)
    assert client.get("/healthz").status_code == 200
    client.get("/language/fil")
    page = client.get("/return")
    client.post("/return", data={"passphrase": author.passphrase, "csrf_token": csrf(page)})
    monkeypatch.setattr(crypto.keyring, "_fernet", MultiFernet([Fernet(Fernet.generate_key())]))
    db.session.expire_all()

    assert client.get("/healthz").status_code == 503
    mine = client.get("/my")
    assert mine.status_code == 503 and "Sandaling nagpapahinga ang Roundtable" in mine.get_data(as_text=True)
    assert "cannot be decrypted with ROUNDTABLE_ENCRYPTION_KEYS" in caplog.text and "Traceback" not in caplog.text


def test_a_page_that_needs_the_database_shows_the_friendly_503_in_filipino(client, csrf, app, tmp_path):
    client.get("/language/fil")
    page = client.get("/join")
    token = csrf(page)
    with database(create_engine(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")):
        response = client.post("/join", data={"code": "ABC123", "language": "fil", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert '<html lang="fil">' in html
    assert "Sandaling nagpapahinga ang Roundtable" in html
    assert "Traceback" not in html
    client.get("/language/en")
    with database(create_engine(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")):
        sent = client.post("/join", data={"code": "ABC123", "language": "en", "csrf_token": token})
        opened = client.get("/join")
    assert "what you just sent was not saved" in sent.get_data(as_text=True), "a form sent is said lost, and how back"
    assert "Go back: what you typed is still in the form." in sent.get_data(as_text=True)
    assert "what you just sent" not in opened.get_data(as_text=True), "a page opened sent nothing"
    # and it recovers by itself once the database is back
    assert client.get("/healthz").status_code == 200


def test_engine_options_cap_each_postgresql_statement_and_leave_sqlite_alone():
    assert engine_options("postgresql+psycopg://db/roundtable", 30)["connect_args"] == {
        "options": "-c statement_timeout=30000"}
    assert "connect_args" not in engine_options("postgresql+psycopg://db/roundtable", 0)
    assert "options" not in engine_options("sqlite:///x.db", 30)["connect_args"]


def test_a_query_that_runs_too_long_is_cancelled_and_shows_the_calm_503_in_filipino(
        app, client, make, login, monkeypatch, caplog):
    """A runaway statement (e.g. no planner statistics after a restore) ends the page, not the worker."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    login(make.user("editor"))
    client.get("/language/fil")
    impatient = create_engine(db.engine.url, **engine_options(db.engine.url.render_as_string(False), 0.2))

    def runaway(*args, **kwargs):
        db.session.execute(text("SELECT pg_sleep(5)"))

    monkeypatch.setattr("roundtable.editor.views.curation.quotes", runaway)
    with database(impatient):
        response = client.get("/editor/quotes")
    assert response.status_code == 503
    assert "Sandaling nagpapahinga ang Roundtable" in response.get_data(as_text=True)
    assert "database unavailable: QueryCanceled" in caplog.text  # cancelled, not waited out
