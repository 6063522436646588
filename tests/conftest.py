"""Test fixtures: one app per test run on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set.

The schema is created by the Alembic migrations (never ``create_all``), and every test starts
from empty tables.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import settings
from argon2 import PasswordHasher
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_app_context
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import event, text

ROOT = Path(__file__).resolve().parent.parent

# Settings a production start accepts (tests change one at a time to see it refused): a secret that looks random.
PRODUCTION_ENV = {
    "ROUNDTABLE_ENV": "production",
    "SECRET_KEY": "Tq8vN3xR6mK1pW9zL4cB7hJ2fD5sG0yA-for-tests-only",
    "DATABASE_URL": "postgresql+psycopg://db.internal/roundtable",
    "ROUNDTABLE_ENCRYPTION_KEYS": "A" * 43 + "=",
    "ROUNDTABLE_LOOKUP_KEY": "lookup-key-for-tests-only",
}

# In CI every run explores the same examples, so a red run can be reproduced and is never luck.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def _compile_translations() -> None:
    """Compile the Filipino catalogue when the .mo is missing or older than the .po."""
    po = ROOT / "translations" / "fil" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale="fil")
        with mo.open("wb") as fh:
            write_mo(fh, catalog)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


class IsolatedClient(FlaskClient):
    """Each request gets its own application context, ``g`` and database session, as in production.

    Afterwards the test's own session forgets what it had loaded, so it sees what the request saved.
    Its browser asks for English unless a test chooses otherwise; Filipino is tested explicitly.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            from roundtable.db import db

            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    _compile_translations()
    os.environ["ROUNDTABLE_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    from roundtable import create_app
    from roundtable.cli import upgrade_database
    from roundtable.db import Base, db
    from roundtable.services import accounts

    # Real argon2id, with small costs: the parameters themselves are tested in test_accounts.
    accounts.password_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": False,
            # The login fixture signs in with a password only; tests/auth turn the requirement on.
            "TWO_FACTOR_REQUIRED_ROLES": (),
            "SERVER_NAME": "roundtable.test",
        }
    )
    with application.app_context():
        if database_url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade_database(application)
    application.test_client_class = IsolatedClient
    application.config["ALL_TABLES"] = [t.name for t in reversed(Base.metadata.sorted_tables)]
    yield application


@pytest.fixture(autouse=True)
def _clean_tables(request):
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    from roundtable.db import db

    with application.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in application.config["ALL_TABLES"]:
                connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def ctx(app):
    """An application context with a request, as a service call from a view would have."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


# --- factories ---------------------------------------------------------------------------

class Factory:
    """Builds domain objects through the services, the way the app itself does."""

    def __init__(self) -> None:
        self.counter = 0

    def _n(self) -> int:
        self.counter += 1
        return self.counter

    def user(self, *roles: str, username: str | None = None, password: str = "a long test password 1"):
        from roundtable.db import db
        from roundtable.services import accounts

        user = accounts.create_user(username or f"staff{self._n()}", "Staff Member", set(roles), password)
        db.session.commit()
        return user

    def roundtable(self, facilitator=None, *, status: str = "open", prompts: int | list[tuple[str, str]] = 2,
                   **schedule):
        """``prompts``: how many, or their (English, Filipino) texts. ``schedule``: ``meets_on``, ``starts_at``,
        ``ends_at``, as ``roundtables.create`` takes them."""
        from roundtable.db import db
        from roundtable.services import roundtables

        facilitator = facilitator or self.user("facilitator")
        item = roundtables.create(
            facilitator,
            title_en="Courts that listen", title_fil="Mga korteng nakikinig",
            description_en="What should change.", description_fil="Ano ang dapat magbago.",
            retention_until=date.today() + timedelta(days=365),
            prompts=prompts if isinstance(prompts, list)
            else [(f"Prompt {i} in English", f"Tanong {i} sa Filipino") for i in range(1, prompts + 1)],
            **schedule,
        )
        if status != "draft":
            roundtables.set_status(item, facilitator, "open")
        if status in ("closed", "archived"):
            roundtables.set_status(item, facilitator, "closed")
        if status == "archived":
            roundtables.set_status(item, facilitator, "archived")
        db.session.commit()
        return item

    def participant(self, roundtable=None, *, grants=("take_part", "store_words", "quote_publicly"), language="fil"):
        from roundtable.db import db
        from roundtable.services import participation

        roundtable = roundtable or self.roundtable()
        participant, passphrase = participation.join(
            roundtable, language=language, pseudonym=f"Bituin {self._n()}", granted=set(grants), adult_confirmed=True
        )
        db.session.commit()
        participant.passphrase = passphrase
        return participant

    def reflection(self, participant=None, *, text="The court should let children speak from a safe room.",
                   language="en", status="released", prompt=None):
        from roundtable.db import db
        from roundtable.services import moderation, participation

        participant = participant or self.participant()
        prompt = prompt or participant.roundtable.prompts[0]
        reflection = participation.save_reflection(
            participant, prompt, text=text, language=language, submit=status != "draft",
            idempotency_key=f"key-{self._n()}",
        )
        if status in ("released", "held"):
            decision = "release" if status == "released" else "hold"
            moderation.decide(participant.roundtable.facilitator, reflection, decision, read=moderation.read_mark(reflection))
        db.session.commit()
        return reflection

    def quote(self, reflection=None, *, editor=None, text=None, approve=True, descriptor="survivor leader"):
        from roundtable.db import db
        from roundtable.services import curation

        reflection = reflection or self.reflection()
        editor = editor or self.user("editor")
        quote = curation.create_quote(
            editor, reflection, text=text or reflection.text, language=reflection.language,
            translation=None, translation_language=None, descriptor=descriptor,
        )
        if approve:
            curation.approve(editor, quote)
        db.session.commit()
        return quote


@pytest.fixture
def make(ctx) -> Factory:
    return Factory()


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def post_roundtable_edit(client, roundtable, **changes):
    """The facilitator's edit form as a browser posts it: every field, with the roundtable's current values
    except ``changes``."""
    url = f"/facilitator/roundtables/{roundtable.id}/edit"
    page = client.get(url)
    data = {"title_fil": roundtable.title_fil, "title_en": roundtable.title_en, "description_fil": "",
            "description_en": "", "retention_until": roundtable.retention_until.isoformat(),
            "meets_on": "", "starts_at": "", "ends_at": "", **hidden_fields_of(page)}
    return client.post(url, data={**data, **changes})


def sensitive_words_saved(actor, roundtable, text: str) -> list[str]:
    """A roundtable's sensitive words saved from a page opened just now."""
    from roundtable.services import curation

    return curation.set_sensitive_terms(actor, roundtable, text, read=curation.sensitive_terms_mark(roundtable))


def password_typed_long_ago(client, minutes: int = 16) -> None:
    """As if the signed-in staff member typed their password ``minutes`` ago (fresh-password checks)."""
    with client.session_transaction() as session:
        session["password_at"] = int(time.time()) - minutes * 60


def second_browser_with_the_cookie_of(app, client):
    """Another client holding a copy of ``client``'s session cookie, as a second tab or a copied cookie would."""
    name, domain = app.config["SESSION_COOKIE_NAME"], app.config["SERVER_NAME"]
    copy = app.test_client()
    copy.set_cookie(name, client.get_cookie(name, domain=domain).value, domain=domain)
    return copy


class _ShownFields(HTMLParser):
    """A page's form fields with what they show: (name, value, is hidden), in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str, bool]] = []
        self._text_box: str | None = None
        self._typed: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "textarea" and name:
            self._text_box, self._typed = name, []
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on", False))
            elif kind not in ("submit", "button", "reset", "file", "image"):
                self.fields.append((name, attrs.get("value") or "", kind == "hidden"))

    def handle_data(self, data):
        if self._text_box is not None:
            self._typed.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._text_box is not None:
            typed = "".join(self._typed)
            # A browser drops the one line break that may follow <textarea>.
            self.fields.append((self._text_box, typed[1:] if typed.startswith("\n") else typed, False))
            self._text_box = None


def _fields_of(response, *, hidden_only: bool) -> dict[str, str | list[str]]:
    parser = _ShownFields()
    parser.feed(response.get_data(as_text=True))
    fields: dict[str, str | list[str]] = {}
    for name, value, hidden in parser.fields:
        if hidden_only and not hidden:
            continue
        if name not in fields:
            fields[name] = value
        elif not hidden:  # boxes ticked under one name (choices) are all sent
            fields[name] = [*([fields[name]] if isinstance(fields[name], str) else fields[name]), value]
    return fields


def hidden_fields_of(response) -> dict[str, str]:
    """Every hidden field of a page (CSRF token, the consent form's version, …), as a browser would send them."""
    return _fields_of(response, hidden_only=True)


def shown_fields_of(response) -> dict[str, str | list[str]]:
    """Every field of a page as a browser sends it untouched: hidden and typed values, text boxes, ticked boxes."""
    return _fields_of(response, hidden_only=False)


def csrf_token_of(response) -> str:
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


@pytest.fixture
def csrf():
    """Read the CSRF token out of a rendered page."""
    return csrf_token_of


@pytest.fixture
def login(client):
    """Sign a staff user in through the real login form."""

    def sign_in(user, password: str = "a long test password 1", *, on=None):
        browser = on or client
        token = csrf_token_of(browser.get("/login"))
        response = browser.post("/login", data={"username": user.username, "password": password, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return sign_in


def second_waits_while_first_holds(first, second, *, held, told, seen: list, why: str) -> None:
    """Runs ``first`` and ``second`` in threads. ``first`` sets ``held`` once it holds its lock, then waits for
    ``told``; ``second`` waits for ``held``, then appends what it read to ``seen``. Checks that ``second`` read
    nothing while ``first`` held, then lets ``first`` finish and waits for both."""
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    held.wait(10)
    time.sleep(0.5)
    assert seen == [], why
    told.set()
    for thread in threads:
        thread.join(timeout=30)


def python_calls(function, *args) -> int:
    """How many Python and C functions a call runs: a measure of work that, unlike a clock, is the same on every
    machine and every run. Tests compare it across input sizes to catch work that grows faster than the input."""
    counted = 0

    def count(frame, event, arg):
        nonlocal counted
        if event in ("call", "c_call"):
            counted += 1

    sys.setprofile(count)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return counted


@contextmanager
def counting_queries():
    """The SQL statements sent to the database while the block runs, in a list filled as they are sent."""
    from roundtable.db import db

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def said_in_focus(html: str, after: str, said: str) -> None:
    """``said`` (as typed, escaped here as the page writes it) is a message right after ``after`` (a pattern: the
    heading it belongs under), in the focused box of messages, and the page's only autofocus: a screen reader says it
    there and the next Tab goes on from it. Said there, not at the top of the page as well."""
    shown = re.escape(str(escape(said)))
    focused = (r'<div class="messages" role="status" tabindex="-1" autofocus>(?:<p class="flash[\w ]*">[^<]*</p>)*'
               rf'<p class="flash[\w ]*">[^<]*{shown}[^<]*</p>')
    assert re.search(after + focused, html, re.S), html[html.index("<main"):][:2000]
    assert html.count("autofocus") == 1
    assert html.count(str(escape(said))) == 1, "said there, not at the top of the page as well"


@contextmanager
def database(engine):
    """The app's session talks to ``engine`` instead of the test database until the block ends."""
    from roundtable.db import db

    working = db.engine
    db.session.remove()
    db.session.configure(bind=engine)
    try:
        yield
    finally:
        db.session.remove()
        db.session.configure(bind=working)
        engine.dispose()


@pytest.fixture
def never_migrated(app, tmp_path):
    """Point the app at a database that answers but holds no Roundtable tables (a new or wrongly named one)."""
    from sqlalchemy import create_engine

    from roundtable.db import db

    if db.engine.dialect.name == "postgresql":
        from tests.deployment.live import scratch_postgres

        with scratch_postgres(db.engine.url.render_as_string(hide_password=False), "never_migrated") as url:
            with database(create_engine(url)):
                yield
    else:
        with database(create_engine(f"sqlite:///{tmp_path / 'new.db'}")):
            yield
