"""The audit trail: actor, action, target, time. Never content, never addresses."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from roundtable import clock
from roundtable.db import db
from roundtable.models import AuditEvent
from roundtable.services.pagination import Page, paginate


ACTOR_TYPES = ("staff", "participant", "system")
ACTION = re.compile(r"[a-z_]+(?:\.[a-z_]+)*")  # "quote.approved", "retention.purged"


def record(action: str, *, actor=None, actor_type: str | None = None, target=None) -> AuditEvent:
    """Append one event. ``actor`` is a User or Participant (or None for the system)."""
    if actor_type is None:
        actor_type = "system" if actor is None else ("participant" if type(actor).__name__ == "Participant" else "staff")
    event = AuditEvent(
        action=action,
        actor_type=actor_type,
        actor_id=getattr(actor, "id", None),
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
    )
    db.session.add(event)
    return event


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
