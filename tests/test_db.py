"""How a request's transaction ends: a read ends with COMMIT (psycopg keeps its prepared statements),
anything that wrote without committing, or failed, ends with ROLLBACK and leaves nothing behind."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from roundtable.db import db, flush_or_refuse, lock_and_reread, lock_row, lock_rows
from roundtable.models import Quote, Roundtable, Theme
from roundtable.services.errors import RuleViolation
from tests.conftest import second_waits_while_first_holds


@contextmanager
def transaction_endings():
    endings: list[str] = []
    listeners = {name: (lambda conn, name=name: endings.append(name)) for name in ("commit", "rollback")}
    for name, listener in listeners.items():
        event.listen(db.engine, name, listener)
    try:
        yield endings
    finally:
        for name, listener in listeners.items():
            event.remove(db.engine, name, listener)


def _themes() -> int:
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Theme))


def test_a_page_that_only_read_ends_its_transaction_with_commit(app, make, login, client):
    login(make.user("editor"))
    with transaction_endings() as endings:
        assert client.get("/editor/quotes").status_code == 200
    assert endings == ["commit"]


def _left_unsaved(session) -> None:
    session.execute(select(Theme)).all()
    session.add(Theme(name_en="Courts that listen", name_fil="Mga korteng nakikinig"))


def _flushed(session) -> None:
    session.add(Theme(name_en="Courts that listen", name_fil="Mga korteng nakikinig"))
    session.flush()


def _written_past_the_orm(session) -> None:
    session.execute(insert(Theme).values(name_en="Healing", name_fil="Paghilom"))


@pytest.mark.parametrize("change", [_left_unsaved, _flushed, _written_past_the_orm],
                         ids=["left unsaved", "flushed", "written past the ORM"])
def test_a_change_never_committed_is_rolled_back(app, ctx, change):
    with transaction_endings() as endings, app.app_context():
        change(db.session)
    assert endings == ["rollback"]
    assert _themes() == 0


def test_after_a_commit_a_read_in_the_same_request_ends_with_commit(app, ctx):
    with transaction_endings() as endings, app.app_context():
        db.session.add(Theme(name_en="Healing", name_fil="Paghilom"))
        db.session.commit()
        db.session.execute(select(Theme)).all()
    assert endings == ["commit", "commit"]
    assert _themes() == 1


def test_a_database_that_does_not_answer_leaves_nothing_to_end(app, client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the database is away")

    monkeypatch.setattr(db.engine.pool, "_do_get", refuse)
    with transaction_endings() as endings:
        assert client.get("/healthz").status_code == 503
    assert endings == []


@pytest.mark.usefixtures("ctx")
def test_consent_rule_queries_are_planned_once_and_kept(app, make, login, client):
    """On PostgreSQL a list's consent-rule queries run as prepared statements with one generic plan."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements and plans are PostgreSQL's")
    login(make.user("editor"))
    db.session.remove()
    db.engine.dispose()  # only this test's connections: earlier tests (some in threads) leave theirs in the pool
    for _ in range(8):  # psycopg prepares on the fifth run; PostgreSQL settles on a plan after five more
        assert client.get("/editor/quotes").status_code == 200
    idle = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
    try:
        plans = [row for connection in idle for row in connection.execute(text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%consent_grants%'"
        ))]
    finally:
        for connection in idle:
            connection.close()
    assert len(plans) == 2, "the list's count and its page"
    assert all(custom == 0 and generic >= 3 for generic, custom in plans), plans


def test_a_connection_lost_mid_request_is_rolled_back_without_a_new_error(app, ctx):
    """What PostgreSQL going away looks like to the session: the connection is invalidated, then rolled back."""
    with app.app_context():
        db.session.execute(select(Theme)).all()
        db.session.connection().invalidate()
        db.session.rollback()
        db.session.execute(select(Theme)).all()  # and the next statement gets a fresh connection


def test_a_value_taken_between_check_and_write_becomes_the_rules_refusal(app, ctx):
    """Two editors naming a theme alike at once: both checks see the name free, the database keeps the
    first, and the second hears the rule's words instead of the 409 safety net. Nothing of it is left."""
    with app.app_context():
        db.session.add(Theme(name_en="Courts", name_fil="Korte"))
        db.session.commit()
        db.session.add(Theme(name_en="Courts", name_fil="Mga korte"))
        with pytest.raises(RuleViolation, match="taken"):
            flush_or_refuse(RuleViolation("taken"))
        assert db.session.scalar(select(func.count()).select_from(Theme)) == 1, "rolled back, and usable"


def test_any_other_refusal_by_the_database_goes_up_as_it_is(app, ctx):
    with app.app_context():
        db.session.add(Theme(name_en=None, name_fil="Walang Ingles"))
        with pytest.raises(IntegrityError):
            flush_or_refuse(RuleViolation("taken"))
        db.session.rollback()


def test_a_database_error_never_carries_the_values_into_a_log_line(app, ctx):
    """A refused statement's message names the statement, not the values SQLAlchemy sent with it (the app's
    error handlers log only a constraint's name from the database's own message)."""
    from roundtable.db import engine_options

    assert engine_options(app.config["DATABASE_URL"], 30)["hide_parameters"] is True
    db.session.add(Theme(name_en="Courts that listen", name_fil="Mga korteng nakikinig"))
    db.session.commit()
    db.session.add(Theme(name_en="Courts that listen", name_fil="Mga korteng nakikinig"))
    with pytest.raises(IntegrityError) as refused:
        db.session.flush()
    db.session.rollback()
    statement_and_values = str(refused.value).split("[SQL:")[1]  # before it: the database's own message
    assert "Courts that listen" not in statement_and_values
    assert "parameters hidden" in statement_and_values


def _lock_then_read(lock: str, roundtable) -> str:
    if lock == "lock_row":
        lock_row(Roundtable, roundtable.id)
        return db.session.scalar(select(Roundtable.title_en).where(Roundtable.id == roundtable.id))
    lock_and_reread(roundtable)
    return roundtable.title_en


@pytest.mark.parametrize("lock", ["lock_row", "lock_and_reread"])
def test_a_request_waits_for_a_locked_row_then_reads_what_the_first_stored(app, make, lock):
    """Two requests changing one roundtable take turns, on SQLite too (its one write lock, where PostgreSQL
    locks the row): the second, which read the roundtable before the first saved, waits at the lock, then reads
    what the first stored. Without it, two removals at once left a roundtable with no prompts."""
    roundtable = make.roundtable()
    held, told, seen = threading.Event(), threading.Event(), []

    def first():
        with app.app_context():
            mine = db.session.get(Roundtable, roundtable.id)
            _lock_then_read(lock, mine)
            held.set()
            told.wait(10)
            mine.title_en = "Saved by the first"
            db.session.commit()

    def second():
        with app.app_context():
            theirs = db.session.get(Roundtable, roundtable.id)  # read before the first saves, as a page is
            held.wait(10)
            seen.append(_lock_then_read(lock, theirs))
            db.session.rollback()

    second_waits_while_first_holds(first, second, held=held, told=told, seen=seen,
                                   why="the second waits while the first holds the row")
    assert seen == ["Saved by the first"]


def test_a_request_waiting_for_a_set_of_rows_finds_the_set_the_first_left(app, make):
    """``lock_rows`` holds every row its criteria select, on SQLite too: the second request waits, then selects the
    rows as the first left them. Two administrators taking the role from each other at once each counted the
    other as staying, and no administrator was left."""
    closing, staying = make.roundtable(), make.roundtable()
    held, told, seen = threading.Event(), threading.Event(), []

    def first():
        with app.app_context():
            lock_rows(Roundtable, Roundtable.status == "open")
            held.set()
            told.wait(10)
            db.session.get(Roundtable, closing.id).status = "closed"
            db.session.commit()

    def second():
        with app.app_context():
            held.wait(10)
            seen.append(lock_rows(Roundtable, Roundtable.status == "open"))
            db.session.rollback()

    second_waits_while_first_holds(first, second, held=held, told=told, seen=seen,
                                   why="the second waits while the first holds the rows")
    assert seen == [[staying.id]]


def test_a_lock_changes_nothing_of_the_row(app, make):
    """On SQLite the lock is a write of the row as it is: no time it was updated, no version of an edited quote."""
    quote = make.quote(approve=False)
    before = (quote.updated_at, quote.version_id)
    lock_and_reread(quote)
    lock_row(Quote, quote.id)
    lock_rows(Quote, Quote.id == quote.id)
    db.session.commit()
    db.session.expire_all()
    assert (db.session.get(Quote, quote.id).updated_at, db.session.get(Quote, quote.id).version_id) == before
