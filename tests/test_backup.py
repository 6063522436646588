"""Backups can be restored: every row comes back, and the encrypted words still open with the keys."""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from roundtable.db import Base, db
from roundtable.models import Reflection

WORDS = "Healing means the court believes us the first time."


def _table_contents(connection) -> dict[str, list[tuple]]:
    contents = {}
    for table in Base.metadata.sorted_tables:
        rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
        contents[table.name] = [tuple(row) for row in rows]
    return contents


def _seed(make):
    participant = make.participant(language="en")
    reflection = make.reflection(participant, text=WORDS)
    make.quote(reflection)
    return reflection.id


def _is_sqlite(app) -> bool:
    return app.config["DATABASE_URL"].startswith("sqlite")


def test_sqlite_backup_restores_every_row_and_the_words_still_decrypt(app, make, tmp_path):
    if not _is_sqlite(app):
        pytest.skip("the backup command is for SQLite; PostgreSQL is covered by the pg_dump test below")
    reflection_id = _seed(make)
    dest = tmp_path / "roundtable-backup.db"
    runner = app.test_cli_runner()

    result = runner.invoke(args=["backup", str(dest)])

    assert result.exit_code == 0, result.output
    assert sqlite3.connect(dest).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with db.engine.connect() as live:
        original = _table_contents(live)
    assert original["reflections"] and original["quotes"]
    make.reflection(make.participant(language="fil"), text="Written after the backup.")

    restored = runner.invoke(args=["restore", "--yes", str(dest)])

    assert restored.exit_code == 0, restored.output
    assert f"Restored {dest} into {make_url(app.config['DATABASE_URL']).database}" in restored.output
    assert sorted(tmp_path.iterdir()) == [dest], "no -wal or -shm left beside the backup for no cleanup to find"
    with db.engine.connect() as live:
        assert _table_contents(live) == original
    db.session.remove()
    assert db.session.get(Reflection, reflection_id).text == WORDS


def _killed_app_copy(tmp_path: Path, name: str) -> Path:
    """The live database as an app killed now would leave it: its latest rows only in the -wal file beside it."""
    live = Path(db.engine.url.database)
    copy = tmp_path / name
    shutil.copy(live, copy)
    shutil.copy(live.with_name(live.name + "-wal"), copy.with_name(name + "-wal"))
    return copy


def _reflections_in(path: Path) -> int:
    with sqlite3.connect(path) as database:
        return database.execute("SELECT count(*) FROM reflections").fetchone()[0]


def test_a_restore_is_not_undone_by_a_wal_file_left_beside_the_database(app, make, tmp_path, monkeypatch):
    """Copying the backup over the database (what the docs once said) let SQLite replay the -wal file over it:
    the rows written after the backup came back. The restore command writes through SQLite instead."""
    if not _is_sqlite(app):
        pytest.skip("SQLite only")
    _seed(make)
    backup = tmp_path / "roundtable-backup.db"
    assert app.test_cli_runner().invoke(args=["backup", str(backup)]).exit_code == 0
    make.reflection(make.participant(language="fil"), text="Written after the backup.")
    copied_over, restored = _killed_app_copy(tmp_path, "copied.db"), _killed_app_copy(tmp_path, "restored.db")

    shutil.copy(backup, copied_over)
    monkeypatch.setitem(app.config, "DATABASE_URL", f"sqlite:///{restored}")
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])

    assert result.exit_code == 0, result.output
    assert _reflections_in(backup) == 1
    assert _reflections_in(copied_over) == 2, "the stale -wal file came back over the copied file"
    assert _reflections_in(restored) == 1


def test_a_restore_asks_first_and_changes_nothing_unless_told_yes(app, make, tmp_path):
    if not _is_sqlite(app):
        pytest.skip("SQLite only")
    _seed(make)
    backup = tmp_path / "roundtable-backup.db"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    make.reflection(make.participant(language="fil"), text="Written after the backup.")

    result = runner.invoke(args=["restore", str(backup)], input="n\n")

    database = make_url(app.config["DATABASE_URL"]).database
    assert f"Replace everything in {database} with {backup}? Stop the app first" in result.output
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count()).select_from(Reflection)) == 2


def test_a_restore_refuses_a_file_that_is_no_roundtable_backup_before_touching_the_database(app, make, tmp_path):
    if not _is_sqlite(app):
        pytest.skip("SQLite only")
    _seed(make)
    not_sqlite, other_sqlite = tmp_path / "notes.txt", tmp_path / "other.db"
    not_sqlite.write_text("not a database")
    sqlite3.connect(other_sqlite).execute("CREATE TABLE t (x)").connection.close()
    database = make_url(app.config["DATABASE_URL"]).database
    for backup, refusal in ((not_sqlite, "is not a Roundtable backup (file is not a database)"),
                            (other_sqlite, "is not a Roundtable backup (no such table: alembic_version)"),
                            (tmp_path / "missing.db", "There is no backup file"),
                            (Path(database), "is the database itself")):
        result = app.test_cli_runner().invoke(args=["restore", str(backup)])  # refused before it asks
        assert result.exit_code == 1 and refusal in result.output, result.output
        assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1
    assert db.session.scalar(select(func.count()).select_from(Reflection)) == 1


def test_a_restore_refuses_a_backup_of_a_newer_release_before_touching_the_database(app, make, tmp_path):
    """Migrate could not bring it back, and this release could not read it: said before anything is replaced."""
    if not _is_sqlite(app):
        pytest.skip("SQLite only")
    _seed(make)
    backup = tmp_path / "from-a-newer-release.db"
    assert app.test_cli_runner().invoke(args=["backup", str(backup)]).exit_code == 0
    make.reflection(make.participant(language="fil"), text="Written after the backup.")
    for revision, refusal in (("9999", "was made by a newer release (schema revision 9999"),
                              ("0008x", "is not a Roundtable backup (unknown schema revision '0008x')")):
        with sqlite3.connect(backup) as edited:
            edited.execute("UPDATE alembic_version SET version_num = ?", (revision,))

        result = app.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])

        assert result.exit_code == 1 and refusal in result.output, result.output
    assert db.session.scalar(select(func.count()).select_from(Reflection)) == 2


def test_restore_command_points_postgresql_users_to_pg_restore(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/roundtable")
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "roundtable.dump")])
    assert result.exit_code == 1
    assert "The restore command is for SQLite only. For PostgreSQL use pg_restore" in result.output


def test_sqlite_backup_never_overwrites_an_existing_file(app, make, tmp_path):
    if not _is_sqlite(app):
        pytest.skip("SQLite only")
    dest = tmp_path / "taken.db"
    dest.write_bytes(b"older backup")
    result = app.test_cli_runner().invoke(args=["backup", str(dest)])
    assert result.exit_code != 0
    assert "exists already" in result.output
    assert dest.read_bytes() == b"older backup"


def test_sqlite_backup_into_a_missing_folder_says_so(app, tmp_path):
    if not _is_sqlite(app):
        pytest.skip("SQLite only")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "nowhere" / "b.db")])
    assert result.exit_code == 1 and "There is no folder" in result.output and "Traceback" not in result.output
    relative = app.test_cli_runner().invoke(args=["backup", "var/nowhere/b.db"])
    assert f"There is no folder {Path.cwd() / 'var' / 'nowhere'};" in relative.output, "where it looked, in full"


def test_backup_command_points_postgresql_users_to_pg_dump(app):
    from roundtable.cli import backup_sqlite

    with pytest.raises(ValueError, match="pg_dump"):
        backup_sqlite("postgresql+psycopg://postgres@127.0.0.1:5432/roundtable", Path("/tmp/never-written.db"))


def _libpq(url) -> dict:
    return {"-h": url.host or "127.0.0.1", "-p": str(url.port or 5432), "-U": url.username or "postgres"}


def _pg(command: list[str], url, *args: str, env=None) -> subprocess.CompletedProcess:
    options = [item for pair in _libpq(url).items() for item in pair]
    return subprocess.run([command[0], *options, *command[1:], *args], check=True, capture_output=True,
                          text=True, timeout=120, env=env)


def test_postgresql_dump_restores_into_a_scratch_database(app, make, tmp_path):
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() != "postgresql":
        pytest.skip("runs when TEST_DATABASE_URL is PostgreSQL")
    if not all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "createdb", "vacuumdb")):
        pytest.skip("pg_dump, pg_restore, createdb and vacuumdb are not installed")
    import os

    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    reflection_id = _seed(make)
    dump = tmp_path / "roundtable.dump"
    scratch = f"test_restore_{secrets.token_hex(4)}"

    _pg(["pg_dump"], url, "--format=custom", f"--file={dump}", url.database, env=env)
    _pg(["createdb"], url, scratch, env=env)
    restored = create_engine(url.set(database=scratch))
    try:
        _pg(["pg_restore"], url, "--no-owner", f"--dbname={scratch}", str(dump), env=env)
        _pg(["vacuumdb"], url, "--analyze-in-stages", f"--dbname={scratch}", env=env)  # as docs/deploy.md says
        with db.engine.connect() as live, restored.connect() as copy:
            analysed = copy.execute(text(
                "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename = 'reflections'")).scalar()
            assert analysed > 0, "the planner has statistics for the restored tables"
            for table in Base.metadata.sorted_tables:
                count = select(func.count()).select_from(table)
                assert copy.execute(count).scalar() == live.execute(count).scalar(), table.name
            assert copy.execute(text("SELECT count(*) FROM reflections")).scalar() == 1
        with Session(restored) as session:
            assert session.get(Reflection, reflection_id).text == WORDS
    finally:
        restored.dispose()
        _pg(["dropdb"], url, "--if-exists", scratch, env=env)
