"""Engine, session and declarative base (SQLAlchemy 2.0, no Flask-SQLAlchemy)."""

from __future__ import annotations

import os
import secrets
import threading
from datetime import date, datetime, timezone

from flask import g

from sqlalchemy import ColumnElement, DateTime, MetaData, create_engine, event, literal, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The schema revision this release's code is written for: the newest of migrations/versions (tests/test_migrations.py
# keeps the two the same). A database at another one (an upgrade whose migrate was skipped, or code rolled back)
# is said so by /healthz, the pages and the commands, instead of failing on a missing column.
SCHEMA_REVISION = "0014"


def schema_revision() -> str | None:
    """The revision the database says it is at; None when it says nothing (never migrated, or not answering)."""
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        db.session.rollback()
        return None


def schema_mismatch(found: str | None = None) -> str | None:
    """One line for the administrator when the database is at another revision than this release needs (``found``,
    when the caller read it already)."""
    found = found or schema_revision()
    if found is None or found == SCHEMA_REVISION:
        return None
    if found > SCHEMA_REVISION:  # "0010" > "0009": revisions are numbered in order
        return (f"the database is at schema revision {found}, newer than this release knows ({SCHEMA_REVISION}): "
                f"run the release that upgraded it, or restore a backup made with this one")
    return f"the database is at schema revision {found} and this release needs {SCHEMA_REVISION}: run {MIGRATE}"


# Run bare, the command would read no env file: in development mode it migrates a SQLite file of its own and says
# it did (docs/deploy.md, section 3), so a server's administrator is pointed at the wrapper that reads the app's own.
MIGRATE = ("`flask --app roundtable migrate` with the app's own settings (on a server set up as docs/deploy.md says, "
           "`sudo roundtable-flask migrate`)")
NEVER_MIGRATED = f"the database has no Roundtable tables: run {MIGRATE} first"


def schema_problem(problem: DBAPIError) -> str | None:
    """One line for the administrator when ``problem`` (a statement the database refused, now rolled back) comes of
    the database's schema rather than of the code: a database never migrated (a new or wrongly named one), or one
    at another revision."""
    db.session.rollback()
    found = schema_revision()
    if found is None and ("no such table" in str(problem.orig) or getattr(problem.orig, "sqlstate", None) == "42P01"):
        return NEVER_MIGRATED  # it answers (SQLite's "no such table", PostgreSQL's undefined_table) with no revision
    return schema_mismatch(found)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def first_session_version() -> int:
    """Where a new account's (or participant's) session version starts: anywhere, not at 1. A cookie names its
    owner by id and version; an id used again (SQLite takes the highest deleted one again, and a restored backup
    hands out again every id made after it) must not find the same version there and open someone else's session."""
    return secrets.randbelow(2**30) + 1  # room below 2**31 (an INTEGER column) for every sign-out to come


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC timestamps on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def constant(value: str | int | date) -> ColumnElement:
    """A fixed part of a query's meaning (a status, a consent clause, a page size, today's date), written into
    the SQL instead of sent as a parameter. Only for fixed values, checked choices, whole numbers and dates,
    never for text a visitor typed: each distinct value becomes a statement of its own.

    psycopg prepares a query the fifth time it runs. When the query has no parameters left, PostgreSQL keeps
    one plan for it; with parameters it plans the consent rule's queries anew on every view, and that
    planning took longer than running them.
    """
    return literal(value, literal_execute=True)


def lock_row(entity, row_id: int, *, shared: bool = False) -> None:
    """Hold one row until the transaction ends, so that requests changing what hangs from it take turns: the
    second waits, then reads what the first stored. PostgreSQL's ``SELECT … FOR UPDATE``; ``shared``
    (``FOR SHARE``): requests that only read the row go on side by side, and wait only for, or are waited for by,
    one that changes it. SQLite has no row locks: there every such request takes the database's one write lock
    (``_take_turns_on_sqlite``), shared or not."""
    _take_turns_on_sqlite(entity.__table__, entity.id == row_id)
    db.session.execute(select(entity.id).where(entity.id == row_id).with_for_update(read=shared))


def lock_rows(entity, *criteria) -> list[int]:
    """Hold every row of ``entity`` that ``criteria`` select until the transaction ends, as ``lock_row`` holds one;
    their ids, as they are once the wait is over. They are taken in the order of their ids, as every change that
    holds several takes them, so two such changes never wait for each other. On SQLite the database's one write
    lock is taken first (``_take_turns_on_sqlite``)."""
    _take_turns_on_sqlite(entity.__table__, *criteria)
    return db.session.scalars(select(entity.id).where(*criteria).order_by(entity.id).with_for_update()).all()


def lock_and_reread(row) -> None:
    """Hold ``row`` until the transaction ends (as ``lock_row``) and read it again as stored: a page's mark is then
    checked against what the save before it left. What is pending on the row is written first, not lost."""
    db.session.flush()
    _take_turns_on_sqlite(row.__table__, row.__table__.c.id == row.id)
    db.session.refresh(row, with_for_update=True)


def _take_turns_on_sqlite(table, *criteria) -> None:
    """On SQLite (for trying Roundtable out), where ``FOR UPDATE`` is left out, write the rows ``criteria`` select
    as they are (a write that finds none takes the lock all the same): pysqlite begins the transaction at its first
    write, and a write takes SQLite's one write lock, which the next writer waits for (``busy_timeout``). What is
    read after it is what the writer before left: the reads before it ran each on its own, so no older snapshot is
    kept. The columns an update would stamp (``updated_at``) are written as they are too, and no version or ORM
    state changes."""
    if db.session.get_bind().dialect.name != "sqlite":
        return
    unchanged = {column: column for column in table.c if column.primary_key or column.onupdate is not None}
    db.session.execute(update(table).where(*criteria).values(unchanged),
                       execution_options={"synchronize_session": False})


def flush_or_refuse(refusal: Exception) -> None:
    """Write what is pending; when someone else saved first (a versioned row changed since it was read here,
    or a unique value, such as a name, taken between our check and our write), roll back and raise
    ``refusal``: the rule's own words for it. Any other refusal by the database is left to go up."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as exc:
        if isinstance(exc, IntegrityError) and not _is_unique_violation(exc):
            raise
        db.session.rollback()
        raise refusal from None


def _is_unique_violation(exc: IntegrityError) -> bool:
    """PostgreSQL's SQLSTATE 23505, or SQLite's extended result code for a UNIQUE constraint."""
    orig = exc.orig
    return (getattr(orig, "sqlstate", None) == "23505"
            or getattr(orig, "sqlite_errorname", None) == "SQLITE_CONSTRAINT_UNIQUE")


def _scope() -> int:
    """One session per application context (each request has its own), else per thread."""
    try:
        return id(g._get_current_object())
    except RuntimeError:
        return threading.get_ident()


def engine_options(url: str, statement_timeout: float) -> dict:
    """Pool and connection settings for ``create_engine``.

    On PostgreSQL every statement is cancelled after ``statement_timeout`` seconds (0: never). A query that
    runs away (say, on a restored database before ANALYZE has given the planner its statistics) then ends
    with the calm 503 page, instead of holding a worker until gunicorn kills it while PostgreSQL goes on.
    """
    # hide_parameters: a database error's log line names the statement, never the values (words, pseudonyms).
    options: dict = {"pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        # LIFO: a worker keeps using its most recent connection, whose prepared statements are warm.
        options.update(pool_size=5, max_overflow=5, pool_recycle=1800, pool_use_lifo=True)
        if statement_timeout > 0:
            options["connect_args"] = {"options": f"-c statement_timeout={round(statement_timeout * 1000)}"}
    return options


class Database:
    """Holds the engine and a request-scoped session; ``init_app`` binds it to an app."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False), scopefunc=_scope)

    def init_app(self, app) -> None:
        url = app.config["DATABASE_URL"]
        self.engine = create_engine(url, **engine_options(url, app.config["DATABASE_STATEMENT_TIMEOUT"]))
        if url.startswith("sqlite"):
            _create_owner_only(make_url(url).database)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        event.listen(self.engine, "before_cursor_execute", _note_writes)
        for ended in ("commit", "rollback"):
            event.listen(self.engine, ended, _forget_writes)
        self.session.remove()
        self.session.configure(bind=self.engine)
        if not event.contains(self.session.session_factory, "after_begin", _note_connection):
            event.listen(self.session.session_factory, "after_begin", _note_connection)
        app.teardown_appcontext(self._teardown)
        app.extensions["roundtable_db"] = self

    def _teardown(self, exc: BaseException | None) -> None:
        session = self.session()
        if exc is None and _only_read(session):
            try:
                session.commit()
            except SQLAlchemyError:
                pass  # remove() below rolls back; the page is already rendered and nothing was written
        self.session.remove()


def _note_connection(session, transaction, connection) -> None:
    session.info["connection"] = connection


def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info["wrote"] = True


def _forget_writes(conn) -> None:
    if not conn.invalidated:  # a lost connection is thrown away with what it knew
        conn.info.pop("wrote", None)


def _only_read(session) -> bool:
    """The request's transaction sent nothing but SELECTs and holds no unsaved change.

    Such a transaction ends with COMMIT instead of ROLLBACK. For a read the two are the same, but at a
    ROLLBACK psycopg drops every statement it prepared on the connection, and PostgreSQL would parse and
    plan each list's consent-rule queries again on every view. Every transaction that wrote, and every
    error, still ends with a rollback.
    """
    connection = session.info.get("connection")
    if connection is None or connection.invalidated or not session.in_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    return not connection.info.get("wrote")


def _create_owner_only(path: str | None) -> None:
    """A new SQLite file is for its owner only (0600), like the key file beside it: pseudonyms are plain in it. SQLite
    gives its -wal and -shm files the mode of the database file."""
    if not path or path == ":memory:":
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:
        pass  # there already, or a missing folder, which the first connection names in one line


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


db = Database()
