"""HTTP hardening applied to every response."""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask, request
from flask import Request as FlaskRequest
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if request.endpoint != "static":
        # Pages can show someone's words; no page may be kept by a browser or a proxy.
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def _query_string_as_ascii(wsgi_app):
    """A query string sent with raw bytes beyond ASCII (not %-encoded; browsers never do, scanners and odd clients do)
    is %-encoded before the app reads it: Werkzeug decodes it strictly as UTF-8 wherever the page's own address is
    read, and one such byte made every page, the error page too, a server error under gunicorn."""

    def app(environ, start_response):
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():
            environ["QUERY_STRING"] = quote(query.encode("latin-1", "replace"), safe="".join(map(chr, range(33, 127))))
        return wsgi_app(environ, start_response)

    return app


class UnreadableForm(BadRequest):
    """A form body that cannot be parsed: raw bytes beyond UTF-8 (not %-encoded; browsers never send them), a multipart
    body without its boundary or cut short."""


class Request(FlaskRequest):
    """Werkzeug reads a form body it cannot parse as an empty form: the missing CSRF token then told the sender the
    page was out of date because someone signed in or out in another tab. It is refused as unreadable instead."""

    def make_form_data_parser(self):
        parser = super().make_form_data_parser()
        parser.silent = False
        return parser

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except ValueError:
            # Nothing was sent, from here on: the error page may read the form again.
            self.__dict__.update(form=self.parameter_storage_class(), files=self.parameter_storage_class())
            raise UnreadableForm() from None


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


def _refuse_audit_changes(session: Session, flush_context, instances) -> None:
    from roundtable.models import AuditEvent

    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit events are never changed or deleted by the application")


def _refuse_audit_statements(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) == "audit_events":
        raise AuditLogIsAppendOnly("audit events are never changed or deleted by the application")


def guard_audit_log() -> None:
    """Append-only in the app: no ORM update/delete and no bulk UPDATE/DELETE statement of AuditEvent."""
    if not event.contains(Session, "before_flush", _refuse_audit_changes):
        event.listen(Session, "before_flush", _refuse_audit_changes)
        event.listen(Session, "do_orm_execute", _refuse_audit_statements)


def init_app(app: Flask) -> None:
    guard_audit_log()
    app.after_request(add_security_headers)
    app.request_class = Request
    app.wsgi_app = _query_string_as_ascii(app.wsgi_app)
    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
