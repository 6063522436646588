"""Operator commands: the first admin, and demo data for trying Roundtable out."""

import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import select

from roundtable.db import db
from roundtable.demo import DEMO_JOIN_CODE
from roundtable.models import Roundtable, User
from roundtable.services import accounts
from tests.conftest import PRODUCTION_ENV


def test_create_user_with_a_generated_password_prints_it_once(app, ctx):
    result = app.test_cli_runner().invoke(args=["create-user", "--role", "admin", "--generate-password", "Amihan"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].strip()
    user = db.session.scalar(select(User).where(User.username == "amihan"))
    assert user.role_set == {"admin"}
    assert accounts.authenticate("amihan", password) is not None
    assert password not in user.password_hash
    assert user.must_change_password, "a printed password is for the first sign-in only"


def test_create_user_prompts_for_the_password_and_asks_again_when_it_breaks_the_policy(app, ctx):
    runner = app.test_cli_runner()
    good = runner.invoke(args=["create-user", "--role", "editor", "tala"],
                         input="short\na quiet river at dawn\na quiet river at dawn\n")
    assert good.exit_code == 0, good.output
    assert "Error: Use at least 12 characters." in good.output and good.output.count("Password:") == 2
    assert accounts.authenticate("tala", "a quiet river at dawn") is not None
    assert not db.session.scalar(select(User).where(User.username == "tala")).must_change_password


def test_create_user_refuses_a_taken_name_before_asking_for_a_password(app, ctx, make):
    make.user("editor", username="tala")
    taken = app.test_cli_runner().invoke(args=["create-user", "--role", "editor", "TALA"], input="")
    assert taken.exit_code == 1 and "That username is taken." in taken.output and "Password" not in taken.output


def test_seed_demo_is_idempotent_and_prints_the_logins(app, ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert DEMO_JOIN_CODE in first.output and "facilitator" in first.output
    assert db.session.query(Roundtable).count() == 1
    roundtable = db.session.scalar(select(Roundtable))
    assert roundtable.status == "open" and len(roundtable.prompts) == 2


def test_the_page_shown_while_the_app_restarts_is_static_and_in_both_languages(app, tmp_path):
    dest = tmp_path / "unavailable.html"
    result = app.test_cli_runner().invoke(args=["write-unavailable-page", str(dest)])
    assert result.exit_code == 0, result.output
    page = dest.read_text(encoding="utf-8")
    filipino = page.index('<section lang="fil">\n<h1>Babalik ang Roundtable sa ilang sandali</h1>')
    english = page.index('<section lang="en">\n<h2>Roundtable will be back in a moment</h2>')
    assert filipino < english, "Filipino first, as most participants read it"
    assert "Isang beses lang itong maitatala." in page and "They will be stored only once." in page
    assert re.search(r'<link rel="stylesheet" href="/static/roundtable\.css\?v=[0-9a-f]{12}">', page)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page, "fits a 360 px phone"
    assert '<meta name="referrer" content="no-referrer">' in page
    assert "<title>Babalik ang Roundtable sa ilang sandali · Roundtable will be back in a moment</title>" in page
    # The quick exit leads straight to the neutral site (/exit is down too): the one address elsewhere.
    exit_link = f'<a class="exit" href="{app.config["QUICK_EXIT_URL"]}"><span lang="fil">Umalis sa pahinang ito</span>'
    assert exit_link in page and '<span lang="en">Exit this page</span></a>' in page
    assert not re.search(r'<script|(?:src|href)="(?:https?:)?//', page.replace(exit_link, "")), "nothing else"


def test_create_user_refusals_are_messages_not_tracebacks_on_a_real_command_line(app):
    """No request context here, as on a server's shell: the refusal is still said, and nothing secret leaks."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["create-user", "--role", "editor", "--generate-password", "amihan"])
    assert first.exit_code == 0, first.output
    for args, message in (
        (["amihan"], "That username is taken."),
        (["has space"], "A username has 2 to 64 letters"),
        (["амиhan"], "A username has 2 to 64 letters"),  # Cyrillic look-alikes
        (["peña"], "letters a–z without accents"),  # said, as "letters" alone seems to allow it
        ([".."], "and at least one letter or digit"),
        (["--name", "N" * 500, "longname"], "A display name has at most 120 characters."),
    ):
        result = runner.invoke(args=["create-user", "--role", "editor", "--generate-password", *args])
        assert result.exit_code == 1, result.output
        assert message in result.output, result.output
        assert "Traceback" not in result.output and "argon2" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_commands_given_a_missing_folder_or_an_unknown_revision_say_so(app, tmp_path):
    runner = app.test_cli_runner()
    for args, message in (
        (["write-unavailable-page", str(tmp_path / "no-such-folder" / "u.html")], "There is no folder"),
        (["migrate", "--revision", "bogus"], "revisions are listed in migrations/versions"),
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, result.output
        assert message in result.output and "Traceback" not in result.output


def test_migrate_says_the_revision_the_database_is_at(app):
    from roundtable.db import SCHEMA_REVISION

    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0
    assert result.output == f"Database is at revision {SCHEMA_REVISION}.\n"
    assert app.test_cli_runner().invoke(args=["migrate", "--revision", SCHEMA_REVISION]).exit_code == 0


def test_migrate_to_an_empty_revision_says_so_in_one_line(app):
    result = app.test_cli_runner().invoke(args=["migrate", "--revision", " "])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Give a revision, or leave --revision out to upgrade to the newest (head)." in result.output


@pytest.mark.parametrize("older", ["base", "0005"])
def test_migrate_to_an_older_revision_says_it_changed_nothing_and_how_to_go_back(app, older):
    """There are no downgrades: Alembic's upgrade to an older revision did nothing and still said "at revision"."""
    from roundtable.db import SCHEMA_REVISION, schema_revision

    result = app.test_cli_runner().invoke(args=["migrate", "--revision", older])

    assert result.exit_code == 1
    assert (f"Database is at revision {SCHEMA_REVISION}, later than {older}, and was not changed: migrate only "
            "upgrades. To go back, restore a backup made before the upgrade") in result.output
    with app.app_context():
        assert schema_revision() == SCHEMA_REVISION


def test_seed_demo_never_prints_a_password_that_no_longer_opens_the_account(app, ctx):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    accounts.set_password(admin, "quiet harbour lanterns 2041", actor=admin)
    db.session.commit()
    again = runner.invoke(args=["seed-demo"]).output
    assert "admin        (not the demo password: it was changed)" in again
    assert "facilitator  demo-" in again


def test_commands_say_in_one_line_that_the_database_did_not_answer(app, monkeypatch):
    import psycopg
    from sqlalchemy.exc import OperationalError

    from roundtable import cli
    from roundtable.services import crypto, retention

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused"))

    monkeypatch.setattr(retention, "due_roundtables", down)
    monkeypatch.setattr(crypto, "rotate_keys", down)
    monkeypatch.setattr(accounts, "create_with_one_time_password", down)
    monkeypatch.setattr(cli, "upgrade_database", down)
    monkeypatch.setattr("roundtable.demo.seed_demo", down)
    runner = app.test_cli_runner()
    for args, then in ((["purge-expired"], "Nothing more was erased"), (["rotate-keys"], "Run it again"),
                       (["create-user", "--role", "admin", "--generate-password", "amihan"], "No account was created"),
                       (["migrate"], "Nothing was changed"), (["seed-demo"], "No demo data was added")):
        result = runner.invoke(args=args)
        assert result.exit_code == 1
        assert result.output.startswith("Error: The database did not answer: connection refused")
        assert then in result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


@pytest.mark.parametrize("said, shown", [
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  password authentication '
     'failed for user "roundtable"\n', 'FATAL: password authentication failed for user "roundtable".'),
    ('connection is bad: invalid sslmode value: "requir"', 'connection is bad: invalid sslmode value: "requir".'),
    ("connection failed: connection to server at \"127.0.0.1\", port 5432 failed: Connection refused\n"
     "\tIs the server running on that host and accepting TCP/IP connections?", "port 5432 failed: Connection refused."),
    ("missing \"=\" after \"postgresql://roundtable:hunter2@db/roundtable\" in connection info string",
     'after "postgresql://roundtable:***@db/roundtable" in'),
    ("invalid connection option password=hunter2 user=roundtable", "option password=*** user=roundtable."),
    ('could not connect with "hunter2!" nor "hunter2%21"', 'could not connect with "***" nor "***".'),
])
def test_the_database_not_answering_is_said_in_the_drivers_words_without_its_password(app, monkeypatch, said, shown):
    import psycopg
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from roundtable.db import db
    from roundtable.services import retention

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, psycopg.OperationalError(said))

    monkeypatch.setattr(retention, "due_roundtables", down)
    monkeypatch.setattr(db.engine, "url", make_url("postgresql+psycopg://roundtable:hunter2!@db/roundtable"))
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: The database did not answer: ") and shown in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and "hunter2" not in result.output


def _flask(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The real ``flask`` command, as cron or an operator runs it."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDTABLE_", "DATABASE_URL", "SECRET_KEY"))}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "roundtable", *args], env={**inherited, **env},
                          capture_output=True, text=True, timeout=120)


def test_a_database_that_cannot_be_reached_is_named_in_one_line(tmp_path):
    instance = str(tmp_path / "instance")
    missing_folder = _flask("purge-expired", ROUNDTABLE_INSTANCE_PATH=instance,
                            DATABASE_URL=f"sqlite:///{tmp_path}/no-such-folder/roundtable.db")
    server_down = _flask("purge-expired", ROUNDTABLE_INSTANCE_PATH=instance,
                         DATABASE_URL="postgresql+psycopg://roundtable:hunter2@127.0.0.1:1/roundtable")
    assert missing_folder.returncode == 1 and missing_folder.stderr.splitlines() == [
        f"Error: The database did not answer: unable to open database file ({tmp_path}/no-such-folder/roundtable.db). "
        "Nothing more was erased; the next run goes on where this one stopped."]
    assert server_down.returncode == 1 and len(server_down.stderr.splitlines()) == 1
    assert 'port 1 failed: Connection refused.' in server_down.stderr and "hunter2" not in server_down.stderr


def test_a_postgresql_database_that_does_not_exist_is_named(tmp_path):
    from sqlalchemy.engine import make_url

    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("runs when TEST_DATABASE_URL is PostgreSQL")
    absent = make_url(url).set(database="ops_no_such_database").render_as_string(hide_password=False)
    result = _flask("migrate", ROUNDTABLE_INSTANCE_PATH=str(tmp_path), DATABASE_URL=absent)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert 'database "ops_no_such_database" does not exist. Nothing was changed' in result.stderr, result.stderr


def test_a_command_leaves_what_it_wrote_in_the_sqlite_file_itself_not_in_its_wal(tmp_path):
    """Whoever copies the database file afterwards (a backup by hand) has every row."""
    import sqlite3

    env = {"ROUNDTABLE_INSTANCE_PATH": str(tmp_path)}
    assert _flask("migrate", **env).returncode == 0
    created = _flask("create-user", "--role", "admin", "--generate-password", "amihan", **env)
    assert created.returncode == 0, created.stderr
    assert not (tmp_path / "roundtable.db-wal").exists()
    with sqlite3.connect(tmp_path / "roundtable.db") as database:
        assert database.execute("SELECT username FROM users").fetchall() == [("amihan",)]


def test_the_sqlite_database_a_fresh_machine_makes_is_for_its_owner_only(tmp_path):
    """Like the key file beside it (0600): pseudonyms are plain in it, and the demo on a shared computer is someone's."""
    env = {"ROUNDTABLE_INSTANCE_PATH": str(tmp_path)}
    assert _flask("migrate", **env).returncode == 0
    assert _flask("create-user", "--role", "admin", "--generate-password", "amihan", **env).returncode == 0

    made = sorted(path.name for path in tmp_path.glob("roundtable.db*"))
    assert made and {oct(path.stat().st_mode & 0o777) for path in tmp_path.glob("roundtable.db*")} == {"0o600"}, made


def test_a_database_never_migrated_is_told_to_migrate_not_that_it_did_not_answer(app, never_migrated):
    for args in (["purge-expired"], ["create-user", "--role", "admin", "--generate-password", "amihan"]):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1, result.output
        assert ("has no Roundtable tables: run `flask --app roundtable migrate` with the app's own settings (on a server "
                "set up as docs/deploy.md says, `sudo roundtable-flask migrate`) first") in result.output, result.output
        assert "Traceback" not in result.output and "did not answer" not in result.output
        assert "next run" not in result.output, "nothing was ever done: no word of rows done or left"


@pytest.mark.parametrize("where", ["/proc/roundtable-backup.db", "/tmp/" + "a" * 300 + ".db"])
def test_a_backup_or_a_page_that_cannot_be_written_there_says_so_in_one_line(app, where):
    runner = app.test_cli_runner()
    for command in ("backup", "write-unavailable-page"):
        result = runner.invoke(args=[command, where])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ") and "Traceback" not in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


_DATABASE_URL_FORMS = "DATABASE_URL must start with postgresql+psycopg:// or sqlite:/// (see docs/deploy.md)."
_NOT_A_FERNET_KEY = ("ROUNDTABLE_ENCRYPTION_KEYS: {} is not a Fernet key (44 characters of url-safe base64, the last "
                     "one =); keys are separated by commas. docs/deploy.md shows how to make one.")


@pytest.mark.parametrize("setting, refusal", [
    ({"ROUNDTABLE_ENCRYPTION_KEYS": "not-a-key"}, _NOT_A_FERNET_KEY.format("key 1 of 1")),
    ({"ROUNDTABLE_ENCRYPTION_KEYS": f"{'A' * 43}=;{'B' * 43}="}, _NOT_A_FERNET_KEY.format("key 1 of 1")),
    ({"ROUNDTABLE_ENCRYPTION_KEYS": f"{'A' * 43}=,{'B' * 43}= {'C' * 43}="}, _NOT_A_FERNET_KEY.format("key 2 of 2")),
    ({"ROUNDTABLE_ENCRYPTION_KEYS": ", ,"}, "ROUNDTABLE_ENCRYPTION_KEYS holds no key: it needs one Fernet key or "
                                            "more, separated by commas. docs/deploy.md shows how to make one."),
    ({"DATABASE_URL": "notaurl"}, _DATABASE_URL_FORMS),
    ({"DATABASE_URL": "postgresql+psycopg2://roundtable:hunter2@db/roundtable"}, _DATABASE_URL_FORMS),
    ({"RATELIMIT_STORAGE_URI": "redis//127.0.0.1:6379"}, "RATELIMIT_STORAGE_URI must be redis://HOST:PORT/DB (or "
     "rediss://, redis+unix://, redis+sentinel://, redis+cluster://), or memory:// for one process "
     "(see docs/deploy.md)."),
])
def test_a_command_run_with_settings_the_app_refuses_says_why_in_one_line(tmp_path, setting, refusal):
    """As cron or an operator meets it: the real ``flask`` command, no traceback."""
    production = {"ROUNDTABLE_ENV": "production", "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"], "ROUNDTABLE_LOOKUP_KEY": "l" * 40,
                  "DATABASE_URL": f"sqlite:///{tmp_path}/roundtable.db",
                  "ROUNDTABLE_ENCRYPTION_KEYS": "A" * 43 + "="}
    result = _flask("rotate-keys", **{**production, **setting})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: {refusal}"]


@pytest.mark.parametrize("command", [
    ("create-user", "--role", "admin", "--generate-password", "amihan"),
    ("purge-expired", "--dry-run"),  # its query works there: it promised an erasure the real run refuses
    ("purge-expired",),  # with nothing due it said "Nothing waits to be erased." and ended well
    ("rotate-keys",),
])
def test_a_database_of_an_older_release_is_told_to_migrate_in_one_line(tmp_path, command):
    """An upgrade whose migrate was skipped: a command (the recovery account made from the server, cron's purge) is
    refused before it does anything, not with a traceback about a missing column, nor with a success."""
    from roundtable.db import SCHEMA_REVISION

    env = {"ROUNDTABLE_INSTANCE_PATH": str(tmp_path)}
    assert _flask("migrate", "--revision", "0005", **env).returncode == 0

    result = _flask(*command, **env)

    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"Error: The database is at schema revision 0005 and this release needs {SCHEMA_REVISION}: run "
        "`flask --app roundtable migrate` with the app's own settings (on a server set up as docs/deploy.md says, "
        "`sudo roundtable-flask migrate`). Nothing was done."], result.stderr
