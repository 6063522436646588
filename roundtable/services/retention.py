"""Retention: words are erased once their roundtable's retention date has passed.

The one exception is a reflection that backs a quote the consent rule still allows to be
exported (approved, and its author's current consent still allows it): that published quote
keeps its source. Everything else of the roundtable is erased and marked ``purged``; quotes
of erased reflections are withdrawn and emptied. One audit event per roundtable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from roundtable.db import db
from roundtable.models import Participant, Quote, Reflection, Roundtable
from roundtable.services import audit, consent, withdrawal


@dataclass(frozen=True)
class PurgePlan:
    roundtable: Roundtable
    reflection_ids: tuple[int, ...]
    kept_ids: tuple[int, ...]


def expired_roundtables(today: date) -> list[Roundtable]:
    return list(db.session.scalars(select(Roundtable).where(Roundtable.retention_until < today).order_by(Roundtable.id)))


def plan(roundtable: Roundtable) -> PurgePlan:
    kept = set(
        db.session.scalars(
            consent.quotes_with_authors()
            .where(Participant.roundtable_id == roundtable.id, consent.exportable_quote())
            .with_only_columns(Quote.reflection_id)
        )
    )
    candidates = db.session.scalars(
        select(Reflection.id)
        .join(Participant, Reflection.participant_id == Participant.id)
        .where(Participant.roundtable_id == roundtable.id, Reflection.status != "purged")
        .order_by(Reflection.id)
    ).all()
    return PurgePlan(
        roundtable,
        tuple(i for i in candidates if i not in kept),
        tuple(sorted(kept)),
    )


def purge_expired(today: date | None = None, *, dry_run: bool = False) -> list[PurgePlan]:
    """Erase what is past retention; with ``dry_run`` only say what would go. Safe to run again."""
    today = today or date.today()
    plans = [plan(roundtable) for roundtable in expired_roundtables(today)]
    plans = [p for p in plans if p.reflection_ids]
    if dry_run:
        return plans
    for item in plans:
        for reflection in db.session.scalars(select(Reflection).where(Reflection.id.in_(item.reflection_ids))):
            withdrawal.take_back(reflection, actor=None, status="purged")
        audit.record("retention.purged", actor=None, target=item.roundtable)
    db.session.flush()
    return plans
