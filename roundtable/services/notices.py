"""“Withdrawn after export”: a quote that left the platform in an export was taken back since.

Editors need to pull it from materials made with that export. A notice names the quote by its
number (never by its words, which may be erased), the exports that carried it and when.
A notice is derived, not stored: an exported quote that is withdrawn or declined, whose latest
withdrawal has no acknowledgement after it. Acknowledging is an audit event, so it is
recorded once for everyone and a later withdrawal of the same quote raises a new notice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from roundtable.db import constant, db
from roundtable.models import AuditEvent, Export, Quote, User, export_quotes
from roundtable.services import audit
from roundtable.services.errors import NotFound
from roundtable.services.pagination import Page, paginate

WITHDRAWN_ACTIONS = ("quote.withdrawn", "quote.declined_by_participant")
ACKNOWLEDGED = "notice.acknowledged"
PULLED_STATUSES = ("withdrawn", "declined")


@dataclass(frozen=True)
class Notice:
    quote_id: int
    status: str
    withdrawn_at: datetime | None
    exports: tuple[Export, ...]


def _latest(actions) -> select:
    return (
        select(func.max(AuditEvent.id))
        .where(AuditEvent.target_type == constant("quote"), AuditEvent.target_id == Quote.id,
               AuditEvent.action.in_([constant(action) for action in actions]))
        .correlate(Quote)
        .scalar_subquery()
    )


def _open_condition():
    latest_withdrawal = _latest(WITHDRAWN_ACTIONS)
    latest_ack = _latest((ACKNOWLEDGED,))
    exported = select(export_quotes.c.quote_id).where(export_quotes.c.quote_id == Quote.id).exists()
    return and_(
        Quote.status.in_([constant(status) for status in PULLED_STATUSES]),
        exported,
        func.coalesce(latest_ack, 0) < func.coalesce(latest_withdrawal, 1),
    )


# Built once: every page an editor sees asks for this count, and building the statement costs more than running it.
_COUNT_OPEN = select(func.count()).select_from(Quote).where(_open_condition())


def count_open() -> int:
    return db.session.scalar(_COUNT_OPEN) or 0


def open_notices(page: int = 1, per_page: int = 25) -> Page:
    """One page of open notices, oldest quote first: three queries, however many notices there are."""
    withdrawn_at = (
        select(AuditEvent.created_at).where(AuditEvent.id == _latest(WITHDRAWN_ACTIONS)).correlate(Quote).scalar_subquery()
    )
    found = paginate(
        select(Quote.id, Quote.status, withdrawn_at).where(_open_condition()).order_by(Quote.id),
        page, per_page, scalars=False,
    )
    carried: dict[int, list[Export]] = {}
    quote_ids = [quote_id for quote_id, _status, _at in found.items]
    for quote_id, export in db.session.execute(
        select(export_quotes.c.quote_id, Export)
        .join(Export, Export.id == export_quotes.c.export_id)
        .where(export_quotes.c.quote_id.in_(quote_ids))
        .order_by(Export.id)
    ):
        carried.setdefault(quote_id, []).append(export)
    return replace(found, items=[
        Notice(quote_id, status, at, tuple(carried.get(quote_id, ()))) for quote_id, status, at in found.items
    ])


def acknowledge(editor: User, quote_id: int) -> None:
    quote = db.session.scalar(select(Quote).where(Quote.id == quote_id, _open_condition()))
    if quote is None:
        raise NotFound(_l("That notice was already acknowledged."))
    audit.record(ACKNOWLEDGED, actor=editor, target=quote)
    db.session.flush()
