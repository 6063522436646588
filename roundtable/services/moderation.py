"""Facilitators moderate the reflections of their own roundtables: release to curation, or hold.

Past a roundtable's retention date its words are erased, or kept only as the source of a published quote:
moderation no longer shows them."""

from __future__ import annotations

import hmac

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from roundtable.db import constant, db, utcnow
from roundtable.models import Participant, Quote, Reflection, Roundtable, User
from roundtable.services import audit, crypto, listing, notices, participation, roundtables
from roundtable.services.errors import Conflict, NotFound, RuleViolation
from roundtable.services.pagination import Page

MODERATION_STATUSES = ("submitted", "released", "held")


def queue(facilitator: User, *, status: str = "submitted", roundtable_id: int | None = None,
          page: int = 1, per_page: int = 25) -> Page:
    """Reflections of the facilitator's own roundtables, newest first; withdrawn authors never appear."""
    if status not in MODERATION_STATUSES:
        raise ValueError(f"not a moderation status: {status!r}")
    query = (
        select(Reflection)
        .join(Participant, Reflection.participant_id == Participant.id)
        .join(Roundtable, Participant.roundtable_id == Roundtable.id)
        .where(
            Roundtable.facilitator_id == facilitator.id,
            Reflection.status == constant(status),  # one of MODERATION_STATUSES, checked above
            Participant.withdrawn_at.is_(None),
            roundtables.within_retention(),
        )
    )
    if roundtable_id:
        query = query.where(Roundtable.id == roundtable_id)
    return listing.page_of_reflections(query, page, per_page)


def get(facilitator: User, reflection_id: int) -> Reflection:
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None or not _open_to(facilitator, reflection):
        raise _not_open()
    return reflection


def _not_open() -> NotFound:
    return NotFound(_l("That reflection is not open for review: its author may have taken it back."))


def _open_to(facilitator: User, reflection: Reflection) -> bool:
    return (
        reflection.status in MODERATION_STATUSES
        and reflection.participant.withdrawn_at is None
        and reflection.participant.roundtable.facilitator_id == facilitator.id
        and not roundtables.past_retention(reflection.participant.roundtable)
    )


def read_mark(reflection: Reflection) -> str:
    """What the facilitator's page showed of the reflection, as a keyed digest. Sent back with a decision, it
    tells whether the author changed the words since: a release sends editors exactly the words that were read."""
    return crypto.lookup_digest(reflection.text or "", "moderation-read")


def decide(facilitator: User, reflection: Reflection, decision: str, *, read: str | None) -> None:
    """``release`` sends the reflection to curation; ``hold`` keeps it from editors. ``read`` is the
    ``read_mark`` of the page the decision was made on."""
    if decision not in ("release", "hold"):
        raise RuleViolation(_l("Choose release or hold."))
    participation.wait_for_the_author(reflection)
    if not _open_to(facilitator, reflection):
        raise _not_open()
    if not hmac.compare_digest((read or "").encode(), read_mark(reflection).encode()):  # any text sent by hand
        raise Conflict(_l("The author changed this reflection after you opened it. Read it again below, then decide."))
    if decision == "hold" and reflection.status == "released":  # held again, nothing new went out of use
        for quote in db.session.scalars(select(Quote).where(Quote.reflection_id == reflection.id)):
            notices.pulled(quote, notices.SOURCE_HELD, actor=facilitator)
    reflection.status = "released" if decision == "release" else "held"
    reflection.decided_at = utcnow()
    reflection.decided_by_id = facilitator.id
    audit.record(f"reflection.{reflection.status}", actor=facilitator, target=reflection)


def save_note(facilitator: User, reflection: Reflection, note: str) -> None:
    reflection.moderator_note = note or None
    audit.record("reflection.note_saved", actor=facilitator, target=reflection)
