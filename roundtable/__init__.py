"""Roundtable: pseudonymous reflections from survivor leaders, under consent they control."""

from __future__ import annotations

import logging
import os
import re
from functools import wraps
from pathlib import Path

from flask import Flask, g, render_template, request
from flask.logging import default_handler
from flask_babel import format_number
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from roundtable import access, assets, config, i18n, identity, numbers, security
from roundtable.changes import messages_at, no_success_said, refused_here
from roundtable.db import db, schema_problem
from roundtable.extensions import babel, csrf, limiter, seconds_until_allowed
from roundtable.forms import box_language, error_links
from roundtable.navigation import page_at_or_above
from roundtable.services import crypto, roundtables
from roundtable.services.errors import Gone
from roundtable.services.errors import NotFound as RecordNotFound

ROOT = Path(__file__).resolve().parent.parent


def create_app(settings: dict | None = None) -> Flask:
    if not all((ROOT / folder).is_dir() for folder in ("templates", "static", "migrations", "translations")):
        # Installed apart from its folders (a plain `pip install .`, run from elsewhere): every page would fail.
        raise config.ConfigurationError(
            f"Roundtable's templates, static files, migrations and translations are not next to its code ({ROOT}). "
            "Run it from its app folder, where they are (docs/deploy.md: `cd /srv/roundtable/app`, as the "
            "roundtable-flask wrapper and the systemd unit do).")
    app = Flask(
        __name__,
        instance_path=os.environ.get("ROUNDTABLE_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.url_map.converters["int"] = numbers.RecordNumber
    app.config.update(config.load(Path(app.instance_path)))
    if settings:
        app.config.update(settings)

    _configure_logging(app)
    crypto.keyring.configure(app.config["ENCRYPTION_KEYS"], app.config["LOOKUP_KEY"])
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_time_zone)
    i18n.install_template_gettext(app.jinja_env)
    limiter.init_app(app)
    security.init_app(app)
    assets.init_app(app)

    app.before_request(identity.load)
    app.before_request(access.enforce)
    _register_blueprints(app)
    _register_error_pages(app)
    _register_template_helpers(app)

    from roundtable import cli

    cli.init_app(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from roundtable.admin.views import bp as admin_bp
    from roundtable.auth.views import bp as auth_bp
    from roundtable.editor.views import bp as editor_bp
    from roundtable.facilitator.views import bp as facilitator_bp
    from roundtable.participant.views import bp as participant_bp
    from roundtable.public.views import bp as public_bp

    for blueprint in (public_bp, auth_bp, participant_bp, facilitator_bp, editor_bp, admin_bp):
        app.register_blueprint(blueprint)


def _register_error_pages(app: Flask) -> None:
    # The first part of every participant address (join, return, my, write, …): an error there keeps the quick
    # exit, even for an address that matched no page, or when who is asking cannot be looked up.
    participant_paths = {rule.rule.split("/")[1] for rule in app.url_map.iter_rules()
                         if rule.endpoint.startswith("participant.")}

    def on_participant_path() -> bool:
        return request.path.split("/")[1] in participant_paths

    app.context_processor(lambda: {"on_participant_path": on_participant_path()})

    def page(status: int, reason: str | None = None, **context):
        return render_template("errors/error.html", status=status, reason=reason, **context), status

    def error_page(*kinds: type[Exception] | int):
        """Registers an error handler whose page says no success (see ``changes.no_success_said``)."""
        def register(handler):
            @wraps(handler)
            def answer(exc):
                no_success_said()
                return handler(exc)
            for kind in kinds:
                app.register_error_handler(kind, answer)
            return answer
        return register

    @error_page(HTTPException)
    def http_error(exc: HTTPException):
        headers = [(name, value) for name, value in exc.get_headers() if name != "Content-Type"]  # Allow
        if exc.code == 429 and (closed := access.closed_for_safety_refused()) is not None:
            body, status = closed, 429
        elif exc.code == 429 and request.form.get("text") and on_participant_path():
            # A participant's words refused by a rate limit (checked before anyone is looked up) are shown back,
            # never thrown away: they came with this very request.
            body, status = render_template("participant/words_kept.html", text=request.form["text"],
                                           language=request.form.get("language"), too_many=True), 429
        elif exc.code == 429 and (wait := seconds_until_allowed()) is not None:
            body, status = page(429, wait_minutes=-(-wait // 60))
            headers.append(("Retry-After", str(wait)))
        else:
            body, status = page(exc.code or 500)
        return body, status, headers

    @error_page(RecordNotFound)
    def record_not_found(exc: RecordNotFound):
        """A record that does not exist, or that this person may not know of: the same plain 404 page. One that left
        a staff member's sight (``Gone``: its author took it back, say) says so, as a form sent to it does."""
        if (closed := access.closed_for_safety_refused()) is not None:  # a reflection deleted in another tab
            return closed, 404
        return page(404, str(exc) if isinstance(exc, Gone) else None)

    @error_page(CSRFError)
    def csrf_error(exc: CSRFError):
        if (closed := access.closed_for_safety_refused()) is not None:  # its token went with an earlier session
            return closed, 400
        # No session cookie came back at all: the browser refuses cookies, and pressing again cannot help.
        no_cookies = app.config["SESSION_COOKIE_NAME"] not in request.cookies
        # Unless the cookie is Secure (production) and the page came over plain http: browsers drop such a cookie
        # (keeping it only on their own loopback address), for everyone, and only whoever runs the site can help.
        not_over_https = no_cookies and app.config["SESSION_COOKIE_SECURE"] and not request.is_secure
        if not_over_https:
            app.logger.warning(
                "a form came over plain http without the session cookie: production sends it over https only, so "
                "browsers drop it and no form can be used. Reach the site over https; behind nginx, check its "
                "X-Forwarded-Proto header and ROUNDTABLE_PROXY_FIX_HOPS (docs/deploy.md, section 4)")
        return render_template("errors/error.html", status=400, out_of_date=True, no_cookies=no_cookies,
                               not_over_https=not_over_https), 400

    @error_page(security.UnreadableForm)
    def unreadable_form(exc: security.UnreadableForm):
        return page(400, unreadable_form=True)

    @error_page(OperationalError)
    def database_unavailable(exc: OperationalError):
        db.session.remove()
        said = str(exc.orig)  # SQLite's words for a missing table or column
        if ("no such" in said or "has no column" in said) and (mismatch := schema_problem(exc)):
            app.logger.error("%s", mismatch)
        else:
            app.logger.error("database unavailable: %s", type(exc.orig).__name__ if exc.orig else "unknown")
        return render_template("errors/error.html", status=503), 503

    @error_page(ProgrammingError)
    def schema_of_another_release(exc: ProgrammingError):
        """PostgreSQL's missing column or table: the database at another schema revision than this code (an
        upgrade whose migrate was skipped), or never migrated, is said in one line, with the calm 503; anything
        else is a bug (500)."""
        if mismatch := schema_problem(exc):
            app.logger.error("%s", mismatch)
            return page(503)
        app.logger.exception("unexpected error on %s", request.endpoint)
        return page(500)

    @error_page(crypto.KeyringNotConfigured)
    def keys_do_not_open_the_words(exc: crypto.KeyringNotConfigured):
        """The configured encryption keys do not open what is stored (rotation steps out of order, a host left
        with old settings): the calm 503 page, and one line for the administrator instead of a traceback."""
        db.session.rollback()
        app.logger.critical("stored text cannot be decrypted with ROUNDTABLE_ENCRYPTION_KEYS: check the keys "
                            "(docs/deploy.md, section 5)")
        return render_template("errors/error.html", status=503), 503

    @error_page(IntegrityError, StaleDataError)
    def changed_at_the_same_moment(exc: Exception):
        """Two people, or two clicks, changed the same record at once and the database kept the first: the
        safety net where a view has no answer of its own. Nothing half-done is stored. The log names the kind
        of refusal and, for a constraint, only its name (PostgreSQL's message would quote the values); a
        constraint refusal is logged as an error, as it may also be a bug."""
        db.session.rollback()
        constraint = getattr(getattr(getattr(exc, "orig", None), "diag", None), "constraint_name", None)
        level = logging.ERROR if isinstance(exc, IntegrityError) else logging.WARNING
        app.logger.log(level, "change refused by the database on %s: %s %s", request.endpoint, type(exc).__name__,
                       constraint or "")
        return page(409)

    @error_page(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unexpected error on %s", request.endpoint)
        db.session.rollback()
        return page(500)


def _register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals["page_at_or_above"] = page_at_or_above  # where a page answering a form leads back
    app.jinja_env.globals["session_hours"] = identity.session_hours  # how long a staff session lasts at most
    app.jinja_env.globals["idle_seconds_of_pages"] = identity.idle_seconds_of_pages
    app.jinja_env.globals["session_ended_elsewhere"] = identity.ended_elsewhere
    app.jinja_env.globals["page_key"] = identity.page_key  # which of a participant's tabs calls
    app.jinja_env.globals["session_lapsed_offline"] = identity.lapsed_offline
    app.jinja_env.globals["warning_seconds_of_pages"] = identity.warning_seconds_of_pages
    @app.context_processor
    def inject():
        language = i18n.current_language()
        return {
            "current_language": language,
            "theme_sort": "sort_key_fil" if language == "fil" else "sort_key_en",  # themes|sort(attribute=theme_sort)
            "in_language": i18n.in_language,
            "long_date": i18n.long_date,
            "staff_time": i18n.staff_time,
            "meeting_time": i18n.meeting_time,
            "status_label": i18n.status_label,
            "quote_label_for_the_author": i18n.quote_label_for_the_author,
            "past_retention": roundtables.past_retention,
            "action_label": i18n.audit_action_label,
            "quote_parts_label": i18n.quote_parts_label,
            "role_label": i18n.role_label,
            "error_links": error_links,
            "box_language": box_language,
            "refused_here": refused_here,
            "messages_at": messages_at,
            "language_label": i18n.language_label,
            # A form's own address, without the #fragment a link to a field left on the page's: a form sent to it
            # would keep it, and the browser would then leave the refused form's error summary unfocused.
            "this_page": request.full_path.rstrip("?"),
            "viewer": g.get("user"),
            "participant": g.get("participant"),
        }


class _NoAddressFilter(logging.Filter):
    """Werkzeug's development log lines start with the client address; drop the address, and every query string and
    fragment (a join code, the words an editor looked for), as gunicorn's access log leaves them out. A malformed
    request line is logged as it came, in the request line of its access line and quoted (%r) in its error line
    ("Bad request version ('kasapi')": the last word of a passphrase sent with spaces): of any request line only
    the method and the path are kept."""

    _CLIENT = re.compile(r"^\S+ - - \[[^\]]*\] ")
    _ACCESS_LINE = '"%s" %s %s'  # request line, status, size
    _STYLED = re.compile(r"^(?P<on>(?:\x1b\[[\d;]*m)*)(?P<line>.*?)(?P<off>(?:\x1b\[[\d;]*m)*)$", re.DOTALL)
    _QUOTED = re.compile(r"""\s*\((?P<quote>['"])(?P<said>.*)(?P=quote)\)""", re.DOTALL)
    _METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
    _VERSION = re.compile(r"HTTP/\d+(?:\.\d+)?")
    _QUERY_OR_FRAGMENT = re.compile(r"[?#]\S*")

    @classmethod
    def _request_line(cls, line: str) -> str:
        """Method and path without query or fragment, and the version of a well-formed line. A word alone may be
        the method or the version (or a passphrase's last word): it is kept only when it is a method."""
        words = line.split()
        kept = [words[0]] if words and words[0] in cls._METHODS else []
        if len(words) > 1:
            kept.append(cls._QUERY_OR_FRAGMENT.sub("", words[1]))
        if len(words) == 3 and cls._VERSION.fullmatch(words[2]):
            kept.append(words[2])
        return " ".join(kept)

    def _quoted(self, quoted: re.Match) -> str:
        line = self._request_line(quoted["said"])
        return f" ({quoted['quote']}{line}{quoted['quote']})" if line else ""

    def _safe(self, said):
        if not isinstance(said, str):
            return said
        return self._QUERY_OR_FRAGMENT.sub("", self._QUOTED.sub(self._quoted, said))

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "werkzeug" and isinstance(record.msg, str):
            record.msg = self._CLIENT.sub("", record.msg).rstrip("\n")
            if isinstance(record.args, tuple) and record.args:
                first, *rest = record.args
                if record.msg == self._ACCESS_LINE and isinstance(first, str):
                    styled = self._STYLED.match(first)
                    first = styled["on"] + self._request_line(styled["line"]) + styled["off"]
                record.args = (self._safe(first), *map(self._safe, rest))
        return True


class _NoLimitKeyFilter(logging.Filter):
    """Flask-Limiter's "limit exceeded" line names the key it counted by: a keyed digest of the client address or
    of a participant, which would link that person's refused tries. The limit and the page are kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "exceeded" in str(record.msg) and isinstance(record.args, tuple) and len(record.args) == 3:
            record.msg, record.args = "ratelimit %s exceeded at endpoint: %s", (record.args[0], record.args[2])
        return True


def _configure_logging(app: Flask) -> None:
    # The loggers are the process's, not the app's: a second app must not stack a second filter, which would cut the
    # path it had already kept ("KASAPI /return" → "/return" → "").
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoAddressFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(_NoAddressFilter())
    app.logger.setLevel(logging.INFO)
    # Flask-Limiter says when Redis stops answering (limits then count per worker) and when it is back; its logger
    # has no handler of its own, and nothing under gunicorn would print it. It goes where the app's own lines go.
    limiter_log = logging.getLogger("flask-limiter")
    limiter_log.setLevel(logging.INFO)
    if not any(isinstance(f, _NoLimitKeyFilter) for f in limiter_log.filters):
        limiter_log.addFilter(_NoLimitKeyFilter())
    if default_handler not in limiter_log.handlers:
        limiter_log.addHandler(default_handler)
