"""``flask --app roundtable …`` commands for operators."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import click
from flask import Flask, has_request_context, render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.exc import DBAPIError, OperationalError

from roundtable import i18n
from roundtable.db import NEVER_MIGRATED, SCHEMA_REVISION, db, schema_mismatch, schema_problem
from roundtable.models.staff import ROLES
from roundtable.services import accounts
from roundtable.services.errors import RuleViolation

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(app: Flask, revision: str = "head") -> str:
    """Upgrade to ``revision``; the revision the database is at afterwards."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    command.upgrade(alembic_config(app.config["DATABASE_URL"]), revision)
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or "base"


def asked_to_go_back(app: Flask, revision: str, current: str) -> bool:
    """``revision`` is older than ``current``, where the database is: Alembic's upgrade then changes nothing,
    and there are no downgrades (a backup made before the upgrade is the way back)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config(app.config["DATABASE_URL"]))
    try:
        wanted = script.get_revision(revision)
    except CommandError:  # a relative or unusual form ("+1", "heads"): Alembic has said what it did
        return False
    if current == "base":
        return False
    wanted_id = wanted.revision if wanted is not None else "base"
    return wanted_id == "base" or (wanted_id != current and any(
        earlier.revision == wanted_id for earlier in script.iterate_revisions(current, "base")))


def _check_folder_of(dest: Path) -> None:
    if not dest.parent.is_dir():
        raise ValueError(f"There is no folder {dest.parent.absolute()}; make it first or choose another.")


def _sqlite_file(url: str, elsewhere: str) -> str | None:
    """The file of a SQLite database URL; for any other database, ``ValueError(elsewhere)``: what to use there."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise ValueError(elsewhere)
    return parsed.database


def backup_sqlite(url: str, dest: Path) -> str:
    """Consistent copy of a SQLite database with sqlite3's online backup API; refuses other databases."""
    import sqlite3

    source_path = _sqlite_file(url, "The backup command is for SQLite only. For PostgreSQL use "
                                    "`pg_dump --format=custom --file=roundtable.dump DBNAME` (see docs/deploy.md).")
    if not source_path or source_path == ":memory:" or not Path(source_path).exists():
        raise ValueError(f"No SQLite database file at {source_path!r}.")
    dest = Path(dest)
    if dest.exists():
        raise ValueError(f"{dest} exists already; choose a new file name.")
    _check_folder_of(dest)
    source = _read_only(Path(source_path))
    try:
        target = sqlite3.connect(dest)
        try:
            with target:
                source.backup(target, pages=1024)
            # A copy of a WAL database is one too: opened (to check it, to restore it) it would leave -wal and -shm
            # files beside it, which no cleanup of backups looks for. A backup is one file.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    except sqlite3.Error as problem:
        dest.unlink(missing_ok=True)  # no half-written copy that looks like a backup
        raise ValueError(f"Could not write {dest} ({problem}); nothing was kept.") from None
    finally:
        source.close()
    dest.chmod(0o600)
    return source_path


def _read_only(path: Path):
    import sqlite3

    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def restore_sqlite(url: str, backup: Path, ask: Callable[[Path], None]) -> tuple[str, str]:
    """Copy a backup into the configured SQLite database with sqlite3's backup API; the database's path and the
    backup's revision. ``ask(database)`` is called once the backup has passed its checks, before anything changes.

    Copying the file over the database is not a restore: a -wal file left beside it (by an app that was killed,
    or still runs) is replayed over the copy when the database is next opened, and the rows written after the
    backup come back. Through the backup API the copy is one write to the database, -wal included. The backup is
    checked (a readable SQLite file with Roundtable's tables) before anything is touched.
    """
    import sqlite3

    target = Path(_sqlite_file(url, "The restore command is for SQLite only. For PostgreSQL use pg_restore into a "
                                    "fresh database (see docs/deploy.md).") or "")
    backup = Path(backup)
    if not backup.is_file():
        raise ValueError(f"There is no backup file {backup}.")
    _check_folder_of(target)
    if target.exists() and target.samefile(backup):
        raise ValueError(f"{backup} is the database itself; name a backup file.")
    try:
        source = _read_only(backup)
    except sqlite3.Error as problem:
        raise ValueError(f"Could not open {backup} ({problem}); nothing was changed.") from None
    try:
        try:
            checked = source.execute("PRAGMA quick_check").fetchone()[0]
            revision = source.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error as problem:
            raise ValueError(f"{backup} is not a Roundtable backup ({problem}); nothing was changed.") from None
        if checked != "ok":
            raise ValueError(f"{backup} is damaged ({checked}); nothing was changed.")
        if revision is None:
            raise ValueError(f"{backup} is not a Roundtable backup (it has no revision); nothing was changed.")
        if not (revision[0].isascii() and revision[0].isdigit()):
            raise ValueError(f"{backup} is not a Roundtable backup (unknown schema revision {revision[0]!r}); nothing "
                             "was changed.")
        if revision[0] > SCHEMA_REVISION:  # migrate could not bring it back; the app could not read it
            raise ValueError(f"{backup} was made by a newer release (schema revision {revision[0]}; this one knows up "
                             f"to {SCHEMA_REVISION}): restore it with that release. Nothing was changed.")
        ask(target)
        db.engine.dispose()  # no connection of this process holds the database while it is replaced
        try:
            database = sqlite3.connect(target, timeout=30)
            try:
                source.backup(database)  # all pages in one step: the database changes completely or not at all
            finally:
                database.close()
        except sqlite3.Error as problem:
            raise ValueError(f"Could not restore into {target} ({problem}); it was left as it was.") from None
    finally:
        source.close()
    return str(target), revision[0]


def unavailable_page(app: Flask) -> str:
    """The page nginx shows while gunicorn does not answer (a restart, an upgrade): both languages in one
    static file, from the same catalogues as every other page, so it needs nothing of the app to be shown."""
    messages, titles, exits = [], [], []
    for level, language in enumerate(("fil", "en"), start=1):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            i18n.refresh()  # the command's own app context may already hold a locale
            # rendered (and escaped) by our own template, so it goes into the page as it is
            messages.append((language, Markup(render_template("errors/_unavailable_message.html", level=level))))
            titles.append(_("Roundtable will be back in a moment"))
            exits.append((language, _("Exit this page"), _("Quick exit")))
    # The quick exit leads straight to the neutral site: /exit, which would also end the session, is down too.
    with app.test_request_context("/"):
        return render_template("errors/unavailable.html", messages=messages, title=" · ".join(titles), exits=exits,
                               exit_url=app.config["QUICK_EXIT_URL"])


def _driver_says(problem: DBAPIError) -> str:
    """The first line of the driver's own message (`database "x" does not exist`, `Connection refused`): what an
    administrator needs to put it right. The URL's password, should it ever show, is blanked."""
    lines = str(problem.orig).strip().splitlines()
    said = " ".join(lines[0].split()) if lines else type(problem.orig).__name__
    url = db.engine.url
    if url.get_backend_name() == "sqlite":  # "unable to open database file": which one
        said = f"{said} ({url.database})"
    password = url.password
    if password:
        for written in {password, quote(password, safe="")}:
            said = said.replace(written, "***")
    said = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", said)  # a URL with its password
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", said, flags=re.IGNORECASE)  # a libpq keyword


@contextmanager
def _database_answers(then: str, *, migrating: bool = False) -> Iterator[None]:
    """A database that is down, unreachable or not yet migrated ends a command with one line (cron mails it),
    not a traceback. One at another release's revision is refused before the command does anything: a query that
    happens to work there (a dry run, "nothing to do") would report success for a run that cannot be made."""
    try:
        if not migrating and (mismatch := schema_mismatch()):
            raise click.ClickException(f"{mismatch[0].upper()}{mismatch[1:]}. Nothing was done.")
        yield
    except DBAPIError as problem:
        if mismatch := schema_problem(problem):  # never migrated, or an upgrade not migrated
            # (Never migrated, nothing was ever done: what a command says of the rows it did would mislead.)
            after = "" if mismatch == NEVER_MIGRATED else f" {then}"
            raise click.ClickException(f"{mismatch[0].upper()}{mismatch[1:]}.{after}") from None
        if not isinstance(problem, OperationalError):
            raise
        said = _driver_says(problem).rstrip(".")
        raise click.ClickException(f"The database did not answer: {said}. {then}") from None


def init_app(app: Flask) -> None:
    @app.cli.command("migrate")
    @click.option("--revision", default="head", show_default=True)
    def migrate(revision: str) -> None:
        """Create or upgrade the database schema (Alembic)."""
        from alembic.util import CommandError

        if not revision.strip():
            raise click.ClickException("Give a revision, or leave --revision out to upgrade to the newest (head).")

        try:
            with _database_answers("Nothing was changed; run it again once it answers.", migrating=True):
                current = upgrade_database(app, revision)
        except CommandError as problem:
            raise click.ClickException(f"{problem} (revisions are listed in migrations/versions).") from None
        if revision != "head" and asked_to_go_back(app, revision, current):
            raise click.ClickException(
                f"Database is at revision {current}, later than {revision}, and was not changed: migrate only "
                "upgrades. To go back, restore a backup made before the upgrade (docs/deploy.md, section 6).")
        click.echo(f"Database is at revision {current}.")

    @app.cli.command("backup")
    @click.argument("dest", type=click.Path(dir_okay=False, writable=True))
    def backup(dest: str) -> None:
        """Copy a SQLite database safely while the app runs (PostgreSQL: use pg_dump, see docs/deploy.md)."""
        try:
            copied = backup_sqlite(app.config["DATABASE_URL"], Path(dest))
        except ValueError as problem:
            raise click.ClickException(str(problem)) from None
        except OSError as problem:  # a name the file system refuses (too long, say)
            raise click.ClickException(f"Could not write {dest} ({problem.strerror}); nothing was kept.") from None
        click.echo(f"Backed up {copied} to {dest}. The backup holds encrypted text: keep the keys separately.")

    @app.cli.command("restore")
    @click.argument("backup_file", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask first.")
    def restore(backup_file: str, yes: bool) -> None:
        """Replace everything in a SQLite database with a backup made by `backup`. Stop the app first
        (PostgreSQL: use pg_restore, see docs/deploy.md)."""
        def ask(database: Path) -> None:
            if not yes:
                click.confirm(f"Replace everything in {database} with {backup_file}? Stop the app first: it must not "
                              "run while the database is replaced.", abort=True)

        try:
            database, revision = restore_sqlite(app.config["DATABASE_URL"], Path(backup_file), ask)
        except ValueError as problem:
            raise click.ClickException(str(problem)) from None
        click.echo(f"Restored {backup_file} into {database} (revision {revision}). Before the app starts again, run "
                   "`migrate`, then `purge-expired` (docs/deploy.md, section 6).")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
    @click.option("--name", "display_name", default="", help="Display name (defaults to the username).")
    @click.option("--generate-password", is_flag=True, help="Generate a one-time password and print it once.")
    def create_user(username: str, roles: tuple[str, ...], display_name: str, generate_password: bool) -> None:
        """Create a staff account. The password is prompted for, or generated and printed once; a printed
        password is for one sign-in only (it may stay in a terminal's scroll-back)."""
        try:
            with _database_answers("No account was created."):
                if generate_password:
                    user, password = accounts.create_with_one_time_password(
                        username, display_name or username, set(roles), actor=None
                    )
                else:
                    name, _kept = accounts.check_new_account(username, display_name or username, set(roles))
                    password = click.prompt("Password", hide_input=True, confirmation_prompt=True,
                                            value_proc=lambda typed: _meets_the_policy(typed, name))
                    user = accounts.create_user(username, display_name or username, set(roles), password)
                db.session.commit()
        except RuleViolation as problem:
            db.session.rollback()
            raise click.ClickException(str(problem)) from None
        click.echo(f"Created {user.username} ({', '.join(sorted(user.role_set))}).")
        if generate_password:
            click.echo(f"Password (shown once): {password}")

    def _meets_the_policy(password: str, username: str) -> str:
        """For a password prompt: one that breaks the policy is refused there, and asked for again."""
        try:
            accounts.check_password_policy(password, username=username)
        except RuleViolation as problem:
            raise click.UsageError(str(problem)) from None
        return password

    @app.cli.command("write-unavailable-page")
    @click.argument("dest", required=False, type=click.Path(dir_okay=False, writable=True))
    def write_unavailable_page(dest: str | None) -> None:
        """Write the page nginx shows while the app restarts (default: static/unavailable.html)."""
        target = Path(dest) if dest else Path(app.static_folder, "unavailable.html")
        try:
            _check_folder_of(target)
            target.write_text(unavailable_page(app), encoding="utf-8")
        except ValueError as problem:
            raise click.ClickException(str(problem)) from None
        except OSError as problem:
            raise click.ClickException(f"Could not write {target} ({problem.strerror}).") from None
        click.echo(f"Wrote {target}. nginx shows it for 502 and 504 (docs/deploy.md).")

    @app.cli.command("rotate-keys")
    @click.option("--batch-size", default=500, show_default=True, type=click.IntRange(min=1))
    def rotate_keys(batch_size: int) -> None:
        """Re-encrypt all stored text under the newest encryption key (see docs/SECURITY.md)."""
        from roundtable.services import crypto

        try:
            with _database_answers("Run it again once the database answers: rows done are kept."):
                counts = crypto.rotate_keys(batch_size=batch_size)
        except crypto.KeyringNotConfigured as problem:
            raise click.ClickException(str(problem)) from None
        for table, rows in counts.items():
            click.echo(f"{table}: {rows} value(s) re-encrypted")
        click.echo("Done. Keep the old keys until a backup taken after this run exists; then remove them.")

    @app.cli.command("purge-expired")
    @click.option("--dry-run", is_flag=True, help="Only list what would be erased.")
    def purge_expired_command(dry_run: bool) -> None:
        """Erase words whose roundtable is past its retention date, and the pseudonyms and passphrase digests of
        authors left with none (safe to run daily from cron)."""
        from roundtable.services import retention

        verb = "would erase" if dry_run else "erased"

        def erasures():
            for roundtable in retention.due_roundtables():
                if (plan := retention.purge_if_due(roundtable)) is not None:
                    db.session.commit()  # each roundtable's erasure is kept, even if a later one fails
                    yield plan

        plans = []
        with _database_answers("Nothing more was erased; the next run goes on where this one stopped."):
            for plan in retention.due() if dry_run else erasures():
                plans.append(plan)
                click.echo(
                    f"roundtable {plan.roundtable.id}: {verb} {len(plan.reflection_ids)} reflection(s); "
                    f"kept {len(plan.kept_ids)} behind approved quotes"
                )
            if not dry_run:
                retention.erase_what_outlives_the_words()
                db.session.commit()
        if not plans:
            click.echo("Nothing waits to be erased.")

    @app.cli.command("evaluate-detector")
    @click.argument("labelled", type=click.File("rb"))
    def evaluate_detector(labelled) -> None:
        """Score the identifying-detail detector on a labelled JSONL file (docs/identifiers.md): recall per kind,
        precision, then every miss and false alarm."""
        from roundtable.services import identifiers

        try:
            rows = identifiers.read_labelled(labelled)
        except identifiers.UnlabelledLine as problem:
            raise click.ClickException(f"{labelled.name} {problem}. Nothing was scored.") from None
        identifiers.print_report(identifiers.evaluate(rows))

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Add a demo roundtable and demo staff accounts (development only)."""
        from roundtable.demo import seed_demo

        if app.config["ROUNDTABLE_ENV"] == "production":
            raise click.ClickException("Demo data is never added in production.")
        with _database_answers("No demo data was added."):
            summary = seed_demo()
        click.echo(summary)

    for command in app.cli.commands.values():
        command.callback = _closing_the_database(command.callback)


def _closing_the_database(run: Callable) -> Callable:
    """A command closes its database connections when it ends. SQLite moves the -wal file into the database file
    only when the last connection closes; a command that left them to the end of the process left its writes in
    roundtable.db-wal, beside a database file that lacks them. A command run inside a request of its caller's (a
    test's; a command line has none) leaves the caller's session and connections alone."""

    @functools.wraps(run)
    def closing(*args, **kwargs):
        try:
            return run(*args, **kwargs)
        finally:
            if not has_request_context():
                db.session.remove()
                db.engine.dispose()

    return closing
