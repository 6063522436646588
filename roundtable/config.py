"""Settings from the environment, with safe embedded defaults for development.

Production (``ROUNDTABLE_ENV=production``) refuses to start without a real secret key,
a database URL and encryption keys: a missing setting there is an outage, not a default.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import click
from babel.dates import get_timezone
from cryptography.fernet import Fernet


class ConfigurationError(click.ClickException):
    """The app cannot run safely with the settings it was given.

    A click exception, so that a ``flask`` command (cron's purge-expired, rotate-keys) ends with this one line
    and exit status 1 instead of a traceback; anything else that creates the app sees an ordinary exception.
    """


_WEAK_SECRETS = {"", "dev", "changeme", "secret", "development", "please-change-me"}


_ON, _OFF = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _switch(env, name: str, default: bool) -> bool:
    """An on/off setting; empty means the default. A mistyped one ("ture") stops the start: read as off, it
    could quietly turn the rate limits off."""
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value not in _ON | _OFF:
        raise ConfigurationError(f"{name} must be true or false (not {env[name].strip()!r}).")
    return value in _ON


def _whole(env, name: str, default: int, *, least: int) -> int:
    """A whole number setting; empty means the default."""
    value = env.get(name, "").strip()
    try:
        number = int(value) if value else default
    except ValueError:
        number = least - 1
    if number < least:
        raise ConfigurationError(f"{name} must be a whole number, {least} or more (not {value!r}).")
    return number


def _seconds(env, name: str, default: float) -> float:
    value = env.get(name, "").strip()
    try:
        seconds = float(value) if value else default
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= 86_400:  # PostgreSQL refuses more than about 24 days, and a day is already no limit
        raise ConfigurationError(f"{name} must be a number of seconds from 0 to 86400 (0 means no limit).")
    return seconds


_CONTACT_FIELDS = {"name_en", "name_fil", "contact", "hours_en", "hours_fil"}


def _support_contacts(value: str) -> list[dict]:
    """The /support page's contacts: a JSON list of objects with name_en and/or name_fil, contact, and optional
    hours_en/hours_fil (docs/deploy.md)."""
    problem = "ROUNDTABLE_SUPPORT_CONTACTS must be a JSON list such as "
    example = '[{"name_en": "…", "name_fil": "…", "contact": "…", "hours_en": "…", "hours_fil": "…"}]'
    try:
        contacts = json.loads(value)
    except ValueError:
        raise ConfigurationError(problem + example + " (it is not JSON; quote the whole value in the env file).") from None
    if not isinstance(contacts, list) or not all(isinstance(c, dict) for c in contacts):
        raise ConfigurationError(problem + example + ".")
    for position, contact in enumerate(contacts, start=1):
        unknown = set(contact) - _CONTACT_FIELDS
        if unknown or not (contact.get("name_en") or contact.get("name_fil")) or not contact.get("contact"):
            raise ConfigurationError(
                f"{problem}{example}: contact {position} needs name_en or name_fil, and contact"
                + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else "") + "."
            )
    return contacts


def _roles(value: str) -> tuple[str, ...]:
    """Roles that must use a second factor; empty means the default (admin, editor). A misspelt role would quietly
    leave the accounts it meant without one."""
    from roundtable.models.staff import ROLES

    roles = tuple(role.strip() for role in value.split(",") if role.strip()) or ("admin", "editor")
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ConfigurationError(
            f"ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES names roles that do not exist: {', '.join(unknown)} "
            f"(roles: {', '.join(ROLES)})."
        )
    return roles


def _time_zone(name: str) -> str:
    name = name.strip() or "Asia/Manila"  # empty, like other settings: the default
    try:
        get_timezone(name)
    except LookupError:
        raise ConfigurationError(
            f"ROUNDTABLE_TIME_ZONE must name a time zone of the IANA database, such as Asia/Manila (not {name!r})."
        ) from None
    return name


def _default_locale(value: str) -> str:
    """The language before anyone chooses one; any other would leave pages untranslated or half-translated."""
    from roundtable.i18n import LANGUAGES

    locale = value.strip() or "fil"
    if locale not in LANGUAGES:
        raise ConfigurationError(f"ROUNDTABLE_DEFAULT_LOCALE must be {' or '.join(LANGUAGES)} (not {locale!r}).")
    return locale


def _quick_exit_url(value: str, *, production: bool) -> str:
    """The neutral site the quick-exit button leaves for. Without a scheme (www.example.org) the browser would read
    it as an address on Roundtable itself and stay; a javascript: address would run instead of leaving. Plain
    http:// only outside production: on the way out, no one on the network should be able to change the page."""
    url = value.strip() or "https://www.pagasa.dost.gov.ph/weather"
    schemes = ("https",) if production else ("https", "http")
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname or any(c.isspace() or ord(c) < 32 for c in url):
        raise ConfigurationError(
            f"ROUNDTABLE_QUICK_EXIT_URL must be a full {' or '.join(s + '://' for s in schemes)} address, such as "
            f"https://www.pagasa.dost.gov.ph/weather (not {url!r})."
        )
    return url


def _database_url(value: str, *, production: bool = False) -> str:
    """PostgreSQL through psycopg (3), the one driver installed, or a SQLite file (``sqlite://`` alone, in memory, is
    for tests; production takes a file by its full path only). ``postgresql://`` and ``postgres://``, as PostgreSQL's
    own tools and many hosts write it, are read as ``postgresql+psycopg://``. Messages never repeat the URL: it may
    hold the database password."""
    url = value.strip()
    for alias in ("postgresql://", "postgres://"):
        if url.startswith(alias):
            url = "postgresql+psycopg://" + url.removeprefix(alias)
    expected = "DATABASE_URL must start with postgresql+psycopg:// or sqlite:/// (see docs/deploy.md)"
    if not url.startswith(("postgresql+psycopg://", "sqlite:///")) and url != "sqlite://":
        raise ConfigurationError(f"{expected}.")
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise ConfigurationError(f"{expected}; this one cannot be read (is the port a number?).") from None
    # The password's own @ read as the end of it, the rest taken for the host; or its / read as the end of the
    # host, the rest taken for the database's name: either way the server is not the one meant.
    if "@" in (parsed.host or "") or (url.startswith("postgresql") and "@" in (parsed.database or "")):
        raise ConfigurationError("DATABASE_URL: percent-encode the password (an @ in it is written %40, a / %2F; "
                                 "see docs/deploy.md).")
    if production and (url == "sqlite://" or ":memory:" in url):
        raise ConfigurationError("DATABASE_URL names an in-memory SQLite database: everything would be lost at "
                                 "each restart. Use PostgreSQL, or a SQLite file (see docs/deploy.md).")
    if production and url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        raise ConfigurationError("DATABASE_URL: a SQLite file needs its full path, with four slashes "
                                 "(sqlite:////var/lib/roundtable/roundtable.db): a relative one depends on the "
                                 "folder the command runs in.")
    return url


def _port_is_a_number(uri: str) -> bool:
    try:
        urlsplit(uri).port  # read only when asked for
    except ValueError:
        return False
    return True


def _redis_database_is_a_number(uri: str) -> bool:
    """``redis://host:6379/4`` or ``?db=4``: a database number, given once, or none (0). Redis would read ``/notadb``
    as 0, unsaid, and let ``?db=0`` override ``/6``."""
    from urllib.parse import parse_qs

    parts = urlsplit(uri)
    given = parse_qs(parts.query).get("db", [])
    if uri.startswith(("redis://", "rediss://")) and parts.path not in ("", "/"):
        given.append(parts.path[1:])
    return len(given) <= 1 and all(number.isascii() and number.isdigit() for number in given)


_RATE_LIMIT_STORES = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://", "memory://")


def _rate_limit_storage(value: str) -> str:
    """Where rate-limit counters live: Redis, or memory:// for one process. Flask-Limiter would refuse anything
    else with a traceback at start-up. Messages never repeat the URI: it may hold Redis's password."""
    uri = value.strip() or "memory://"
    if not uri.startswith(_RATE_LIMIT_STORES) or not _port_is_a_number(uri) or not _redis_database_is_a_number(uri):
        raise ConfigurationError(
            "RATELIMIT_STORAGE_URI must be redis://HOST:PORT/DB (or rediss://, redis+unix://, redis+sentinel://, "
            "redis+cluster://), or memory:// for one process (see docs/deploy.md)."
        )
    return uri


def _development_keys(instance_path: Path) -> dict:
    """Create (once) and read the development key file under ``instance/``; never committed."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "keys.json"
    if not key_file.exists():
        keys = {
            "secret_key": secrets.token_urlsafe(48),
            "encryption_keys": [Fernet.generate_key().decode()],
            "lookup_key": secrets.token_urlsafe(32),
        }
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(keys, fh)
    return json.loads(key_file.read_text())


# Every setting read from the environment under these prefixes (gunicorn.conf.py reads the GUNICORN_ ones; gunicorn
# itself GUNICORN_CMD_ARGS). In production a name not among them is refused: misspelled, it would be ignored unsaid
# (the storage's "URL" for "URI": counters in each worker's memory; a proxy "HOP": one counter for everyone).
KNOWN_SETTINGS = frozenset({
    "ROUNDTABLE_ENV", "ROUNDTABLE_DEFAULT_LOCALE", "ROUNDTABLE_TIME_ZONE", "ROUNDTABLE_STAFF_IDLE_MINUTES",
    "ROUNDTABLE_STAFF_CONFIRM_MINUTES", "ROUNDTABLE_PARTICIPANT_IDLE_MINUTES", "ROUNDTABLE_QUICK_EXIT_URL",
    "ROUNDTABLE_SUPPORT_CONTACTS", "ROUNDTABLE_PROXY_FIX_HOPS", "ROUNDTABLE_STATEMENT_TIMEOUT_SECONDS",
    "ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES", "ROUNDTABLE_DEMO_WITHOUT_TWO_FACTOR", "ROUNDTABLE_ENCRYPTION_KEYS",
    "ROUNDTABLE_LOOKUP_KEY", "ROUNDTABLE_INSTANCE_PATH",
    "RATELIMIT_ENABLED", "RATELIMIT_STORAGE_URI",
    "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT", "GUNICORN_KEEPALIVE",
    "GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER", "GUNICORN_ACCESS_LOG", "GUNICORN_LOG_LEVEL",
    "GUNICORN_FORWARDED_ALLOW_IPS", "GUNICORN_CMD_ARGS",
})


# Read without a prefix, as every Flask deployment names them: one written with a prefix means one of these.
UNPREFIXED_SETTINGS = ("DATABASE_URL", "SECRET_KEY")


def _no_unknown_settings(env) -> None:
    from difflib import get_close_matches

    for name in sorted(env):
        if name.startswith(("ROUNDTABLE_", "RATELIMIT_", "GUNICORN_")) and name not in KNOWN_SETTINGS:
            unprefixed = name.partition("_")[2]
            near = [unprefixed] if unprefixed in UNPREFIXED_SETTINGS else get_close_matches(name, KNOWN_SETTINGS, n=1)
            hint = f" Did you mean {near[0]}?" if near else ""
            raise ConfigurationError(f"{name} is not a setting Roundtable reads: misspelled, it would be ignored.{hint} "
                                     "See docs/deploy.md for the settings.")


def load(instance_path: Path, environ: dict[str, str] | None = None) -> dict:
    env = os.environ if environ is None else environ
    environment = env.get("ROUNDTABLE_ENV", "").strip() or "development"
    if environment not in ("production", "development"):
        # "Production" or "prod" must not quietly run without production's protections.
        raise ConfigurationError(f"ROUNDTABLE_ENV must be production or development (not {environment!r}).")
    production = environment == "production"
    if production:
        _no_unknown_settings(env)
    settings: dict = {
        "ROUNDTABLE_ENV": "production" if production else "development",
        "BABEL_DEFAULT_LOCALE": _default_locale(env.get("ROUNDTABLE_DEFAULT_LOCALE", "")),
        # The organisation's time zone: what day it is for retention dates, how staff pages show times (clock.py).
        "TIME_ZONE": _time_zone(env.get("ROUNDTABLE_TIME_ZONE", "")),
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_CHECK_DEFAULT": False,  # checked by access.enforce, after the audience check
        # Pages send no Referer (Referrer-Policy: no-referrer), so the token alone guards forms.
        "WTF_CSRF_SSL_STRICT": False,  # the token lives as long as the session: slow writers lose nothing
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "rt_session",
        "SESSION_COOKIE_SECURE": production,
        # A staff session ends 12 hours after sign-in however busy it is (identity.load checks "since").
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        # The cookie is sent again only when the session changes ("seen" moves at most every 15 seconds, "heard_page"
        # when another of a participant's pages is opened or calls).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "STAFF_IDLE_MINUTES": _whole(env, "ROUNDTABLE_STAFF_IDLE_MINUTES", 30, least=1),
        # Changing staff accounts needs the password typed within this many minutes (identity.password_is_fresh).
        "STAFF_CONFIRM_MINUTES": _whole(env, "ROUNDTABLE_STAFF_CONFIRM_MINUTES", 15, least=1),
        "PARTICIPANT_IDLE_MINUTES": _whole(env, "ROUNDTABLE_PARTICIPANT_IDLE_MINUTES", 60, least=1),
        "RATELIMIT_STORAGE_URI": _rate_limit_storage(env.get("RATELIMIT_STORAGE_URI", "")),
        "RATELIMIT_ENABLED": _switch(env, "RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": False,
        # Every limit of a page is checked, not only up to the first one refusing: the 429 page says the longest
        # wait (a room refused by the minute's limit may have used up the hour's too).
        "RATELIMIT_FAIL_ON_FIRST_BREACH": False,
        # Redis down must not turn a sign-in or a reflection into an error page: each worker counts in memory
        # meanwhile (and goes back to Redis once it answers), and any other storage error lets the request by.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "QUICK_EXIT_URL": _quick_exit_url(env.get("ROUNDTABLE_QUICK_EXIT_URL", ""), production=production),
        "SUPPORT_CONTACTS": _support_contacts(env.get("ROUNDTABLE_SUPPORT_CONTACTS", "").strip() or "[]"),
        "PROXY_FIX_HOPS": _whole(env, "ROUNDTABLE_PROXY_FIX_HOPS", 0, least=0),
        # Seconds a single PostgreSQL statement may run (0: no limit); below gunicorn's 60 s worker timeout.
        "DATABASE_STATEMENT_TIMEOUT": _seconds(env, "ROUNDTABLE_STATEMENT_TIMEOUT_SECONDS", 30),
        "PAGE_SIZE": 25,
        # Roles that must use a second factor (TOTP). Facilitators may opt in. See docs/SECURITY.md.
        "TWO_FACTOR_REQUIRED_ROLES": _roles(env.get("ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES", "")),
        # Only for the local demo and the black-box scan (scripts/scan.sh); refused in production.
        "TWO_FACTOR_DISABLED": _switch(env, "ROUNDTABLE_DEMO_WITHOUT_TWO_FACTOR", False),
    }
    if production and not {"admin", "editor"} <= set(settings["TWO_FACTOR_REQUIRED_ROLES"]):
        # Written to add facilitators ("facilitator"), the list would take the second factor from the rest.
        raise ConfigurationError("ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES must keep admin and editor in production "
                                 "(to add facilitators: admin,editor,facilitator).")
    if production and settings["TWO_FACTOR_DISABLED"]:
        raise ConfigurationError("ROUNDTABLE_DEMO_WITHOUT_TWO_FACTOR is only for the local demo and scan.")
    if production and not settings["RATELIMIT_ENABLED"]:
        # They are what slows down guessing of passphrases, passwords and join codes. Said, not refused: the
        # fault drill runs production settings with every client on one loopback address.
        logging.getLogger(__name__).warning(
            "RATELIMIT_ENABLED is off: nothing slows down guessing of passphrases, passwords and join codes. "
            "Never in production (leave it unset, or set it to true).")
    if production:
        missing = [
            name
            for name in ("SECRET_KEY", "DATABASE_URL", "ROUNDTABLE_ENCRYPTION_KEYS", "ROUNDTABLE_LOOKUP_KEY")
            if not env.get(name)
        ]
        if missing:
            raise ConfigurationError(
                "Refusing to start in production without: " + ", ".join(missing)
                + ". See docs/deploy.md for how to generate them."
            )
        if (env["SECRET_KEY"].strip().lower() in _WEAK_SECRETS or len(env["SECRET_KEY"]) < 32
                or len(set(env["SECRET_KEY"])) < 10):  # 32 underscores is not random
            raise ConfigurationError("SECRET_KEY must be a random value of at least 32 characters.")
        if env.get("FLASK_DEBUG", "").strip().lower() not in ("", "0", "false", "no", "off"):
            # Flask's debugger runs code typed into the browser; `flask run --debug` sets this too.
            raise ConfigurationError("FLASK_DEBUG is on (or `--debug` was given): the debugger would run code typed "
                                     "into a browser. Never in production: leave it unset.")
        settings.update(
            SECRET_KEY=env["SECRET_KEY"],
            DATABASE_URL=_database_url(env["DATABASE_URL"], production=True),
            ENCRYPTION_KEYS=_encryption_keys(env["ROUNDTABLE_ENCRYPTION_KEYS"]),
            LOOKUP_KEY=env["ROUNDTABLE_LOOKUP_KEY"],
        )
    else:
        keys = _development_keys(instance_path)
        settings.update(
            SECRET_KEY=env.get("SECRET_KEY") or keys["secret_key"],
            DATABASE_URL=_database_url(env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'roundtable.db'}"),
            ENCRYPTION_KEYS=_encryption_keys(env.get("ROUNDTABLE_ENCRYPTION_KEYS", "")) or keys["encryption_keys"],
            LOOKUP_KEY=env.get("ROUNDTABLE_LOOKUP_KEY") or keys["lookup_key"],
        )
    _check_encryption_keys(settings["ENCRYPTION_KEYS"])
    return settings


_FERNET_KEY = re.compile(r"[A-Za-z0-9_-]{43}=")  # 32 bytes, as Fernet.generate_key() writes them


def _encryption_keys(value: str) -> list[str]:
    return [key.strip() for key in value.split(",") if key.strip()]


def _check_encryption_keys(keys: list[str]) -> None:
    if not keys:  # "ROUNDTABLE_ENCRYPTION_KEYS=, ," in production
        raise ConfigurationError(
            "ROUNDTABLE_ENCRYPTION_KEYS holds no key: it needs one Fernet key or more, separated by commas. "
            "docs/deploy.md shows how to make one."
        )
    for position, key in enumerate(keys, start=1):
        # Fernet itself decodes a key leniently: it skips what is not base64 and stops at the first "=", so two keys
        # separated by a space or ";" passed as the first alone, and the second was dropped without a word.
        if not _FERNET_KEY.fullmatch(key):
            raise ConfigurationError(
                f"ROUNDTABLE_ENCRYPTION_KEYS: key {position} of {len(keys)} is not a Fernet key (44 characters of "
                "url-safe base64, the last one =); keys are separated by commas. docs/deploy.md shows how to make one."
            )
