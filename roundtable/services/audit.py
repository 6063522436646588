"""The audit trail: actor, action, target, time. Never content, never addresses."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from roundtable import clock
from roundtable.db import db
from roundtable.models import AuditEvent, User
from roundtable.models.staff import ROLES
from roundtable.services.pagination import Page, paginate


ACTOR_TYPES = ("staff", "participant", "system")
ACTION = re.compile(r"[a-z_]+(?:\.[a-z_]+)*")  # "quote.approved", "retention.purged"


ROLE_DETAILS = ("given", "taken")  # roles given to or taken from the target account
ACCOUNT_DETAILS = ("previous", "successor")  # the staff accounts a roundtable went from and to
QUOTE_PARTS = ("words", "translation", "attribution", "language")  # what of a quote ``changed``, in this order


def record(action: str, *, actor=None, actor_type: str | None = None, target=None, **detail) -> AuditEvent:
    """Append one event. ``actor`` is a User or Participant (or None for the system).

    ``detail`` says what changed, only as role names (``given``, ``taken``), staff accounts (``previous``,
    ``successor``) or parts of a quote (``changed``: ``QUOTE_PARTS``, never their words): anything else is
    refused, so the log can hold no one's words.
    """
    if actor_type is None:
        actor_type = "system" if actor is None else ("participant" if type(actor).__name__ == "Participant" else "staff")
    event = AuditEvent(
        action=action,
        actor_type=actor_type,
        actor_id=getattr(actor, "id", None),
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        detail=_written_detail(detail),
    )
    db.session.add(event)
    return event


def _written_detail(detail: dict) -> str | None:
    parts = []
    for key, value in detail.items():
        if key in ROLE_DETAILS and set(value) <= set(ROLES):
            words = sorted(value)
        elif key in ACCOUNT_DETAILS and isinstance(value, User):
            words = [str(value.id)]
        elif key == "changed" and not isinstance(value, str) and set(value) <= set(QUOTE_PARTS):
            words = [part for part in QUOTE_PARTS if part in value]
        else:
            raise ValueError(f"an audit event cannot say {key}={value!r}")
        if words:
            parts.append(f"{key}={','.join(words)}")
    return " ".join(parts) or None


def detail_of(event: AuditEvent) -> dict[str, list[str]]:
    """``{"given": ["admin"], "successor": ["7"]}`` from the event's detail (empty for events without one)."""
    return detail_text(event.detail)


def detail_text(detail: str | None) -> dict[str, list[str]]:
    """``detail_of`` for the detail column read on its own."""
    return {key: words.split(",") for key, _, words in (part.partition("=") for part in (detail or "").split())}


def accounts_named(events) -> list[int]:
    """Every staff account an event names: its actor, its target, the accounts in its detail."""
    named = []
    for event in events:
        if event.actor_type == "staff":
            named.append(event.actor_id)
        if event.target_type == "user":
            named.append(event.target_id)
        named.extend(int(number) for key, numbers in detail_of(event).items() if key in ACCOUNT_DETAILS
                     for number in numbers)
    return named


def page(*, action: str | None = None, actor_type: str | None = None, number: int = 1, per_page: int = 50,
         since: date | None = None, until: date | None = None) -> Page:
    """Newest first; ``since``/``until`` are whole days of the organisation's clock, both included."""
    query = select(AuditEvent)
    if since:
        query = query.where(AuditEvent.created_at >= clock.day_start(since))
    if until:  # to the day's last microsecond: the day after 9999-12-31 does not exist
        query = query.where(AuditEvent.created_at <= clock.day_end(until))
    if action and ACTION.fullmatch(action):  # anything else, typed into the address, filters nothing
        query = query.where(AuditEvent.action == action)
    if actor_type in ACTOR_TYPES:
        query = query.where(AuditEvent.actor_type == actor_type)
    return paginate(query.order_by(AuditEvent.id.desc()), number, per_page)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
