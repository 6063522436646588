"""Retention: words are erased once their roundtable's retention date has passed.

The one exception is a reflection that backs a quote the consent rule still allows to be
exported (approved, and its author's current consent still allows it): that published quote
keeps its source. Everything else of the roundtable is erased and marked ``purged``; quotes
of erased reflections are withdrawn and emptied. One audit event per roundtable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, func, select

from roundtable.db import constant, db
from roundtable.models import AuditEvent, Participant, Quote, Reflection, Roundtable
from roundtable.services import audit, consent, withdrawal
from roundtable.services.pagination import Page, paginate


@dataclass(frozen=True)
class PurgePlan:
    roundtable: Roundtable
    reflection_ids: tuple[int, ...]
    kept_ids: tuple[int, ...]


def expired_roundtables(today: date) -> list[Roundtable]:
    return list(db.session.scalars(select(Roundtable).where(Roundtable.retention_until < today).order_by(Roundtable.id)))


def _behind_exportable_quote() -> ColumnElement:
    """The reflection backs a quote the consent rule still lets out (approved, its author still allows it):
    retention keeps it. The one place where a purge, and the count of what waits for one, decide this."""
    return Reflection.id.in_(
        consent.quotes_with_authors().where(consent.exportable_quote()).with_only_columns(Quote.reflection_id)
        .correlate(None)
    )


def plan(roundtable: Roundtable) -> PurgePlan:
    rows = db.session.execute(
        select(Reflection.id, _behind_exportable_quote())
        .join(Participant, Reflection.participant_id == Participant.id)
        .where(Participant.roundtable_id == roundtable.id, Reflection.status != constant("purged"))
        .order_by(Reflection.id)
    ).all()
    return PurgePlan(
        roundtable,
        tuple(reflection_id for reflection_id, kept in rows if not kept),
        tuple(reflection_id for reflection_id, kept in rows if kept),
    )


def purge_expired(today: date | None = None, *, dry_run: bool = False, actor=None) -> list[PurgePlan]:
    """Erase what is past retention; with ``dry_run`` only say what would go. Safe to run again.
    ``actor`` is the administrator who asked for it; the daily run from cron is the system."""
    today = today or date.today()
    plans = [plan(roundtable) for roundtable in expired_roundtables(today)]
    plans = [p for p in plans if p.reflection_ids]
    if dry_run:
        return plans
    for item in plans:
        for reflection in db.session.scalars(select(Reflection).where(Reflection.id.in_(item.reflection_ids))):
            withdrawal.take_back(reflection, actor=None, status="purged")
        audit.record("retention.purged", actor=actor, target=item.roundtable)
    db.session.flush()
    return plans


def waiting(today: date, number: int = 1, per_page: int = 25) -> Page:
    """Roundtables past their retention date whose words are not all erased yet, oldest date first: what the
    next purge will do. Each row has ``to_erase`` and ``kept`` (behind a quote that may still be exported),
    in one grouped query whatever the number of roundtables."""
    behind_exportable_quote = _behind_exportable_quote()
    to_erase = func.sum(case((behind_exportable_quote, 0), else_=1))
    query = (
        select(Roundtable.id, Roundtable.title_en, Roundtable.title_fil, Roundtable.retention_until,
               to_erase.label("to_erase"), func.sum(case((behind_exportable_quote, 1), else_=0)).label("kept"))
        .join(Participant, Participant.roundtable_id == Roundtable.id)
        .join(Reflection, Reflection.participant_id == Participant.id)
        .where(Roundtable.retention_until < today, Reflection.status != constant("purged"))
        .group_by(Roundtable.id, Roundtable.title_en, Roundtable.title_fil, Roundtable.retention_until)
        .having(to_erase > 0)
        .order_by(Roundtable.retention_until, Roundtable.id)
    )
    return paginate(query, number, per_page, scalars=False)


def upcoming(today: date, *, limit: int = 10) -> list[Roundtable]:
    """The next roundtables to reach their retention date (today included)."""
    return list(db.session.scalars(
        select(Roundtable).where(Roundtable.retention_until >= today)
        .order_by(Roundtable.retention_until, Roundtable.id).limit(constant(limit))
    ))


def last_erasure() -> AuditEvent | None:
    newest = select(AuditEvent).where(AuditEvent.action == constant("retention.purged"))
    return db.session.scalar(newest.order_by(AuditEvent.id.desc()).limit(1))
