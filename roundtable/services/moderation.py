"""Facilitators moderate the reflections of their own roundtables: release to curation, or hold.

Past a roundtable's retention date its words are erased, or kept only as the source of a published quote:
moderation no longer shows them."""

from __future__ import annotations


from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from roundtable.db import constant, db, utcnow
from roundtable.models import Participant, Quote, Reflection, Roundtable, User
from roundtable.services import audit, crypto, listing, notices, participation, roundtables
from roundtable.services.errors import Conflict, Gone, RuleViolation
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
        roundtable = reflection.participant.roundtable if reflection is not None else None
        if roundtable is not None and _open_to(roundtable.facilitator, reflection) and roundtables.ran_before(
                roundtable, facilitator):  # open to review, by the colleague it was handed to
            raise roundtables.HandedOver(roundtable)
        raise _not_open()
    return reflection


def _not_open() -> Gone:
    return Gone(_l("That reflection is no longer open to you for review: its author took it back, it went to another "
                   "facilitator, or its roundtable is past its retention date."))


def _open_to(facilitator: User, reflection: Reflection) -> bool:
    return (
        reflection.status in MODERATION_STATUSES
        and reflection.participant.withdrawn_at is None
        and reflection.participant.roundtable.facilitator_id == facilitator.id
        and not roundtables.past_retention(reflection.participant.roundtable)
    )


def read_mark(reflection: Reflection) -> str:
    """What the facilitator's page showed of the reflection: its decision (status and when it was made), and its
    words as a keyed digest. Sent back with a decision, it tells whether the author changed the words since (a
    release sends editors exactly the words that were read), or another page decided in between, even when it
    decided the same as before that (held, released, held again)."""
    return f"{_decision_shown(reflection)}:{_words_mark(reflection)}"


def _decision_shown(reflection: Reflection) -> str:
    return f"{reflection.status}@{reflection.decided_at.timestamp() if reflection.decided_at else ''}"


def _words_mark(reflection: Reflection) -> str:
    return crypto.lookup_digest(reflection.text or "", "moderation-read")


def decide(facilitator: User, reflection: Reflection, decision: str, *, read: str | None) -> bool:
    """``release`` sends the reflection to curation; ``hold`` keeps it from editors. ``read`` is the
    ``read_mark`` of the page the decision was made on. False when that page showed the reflection so decided
    already (pressed again): nothing changes and nothing is recorded, its decision keeps its time and author."""
    if decision not in ("release", "hold"):
        raise RuleViolation(_l("Choose release or hold."))
    participation.wait_for_the_author(reflection)
    if not _open_to(facilitator, reflection):
        raise _not_open()
    shown_decision, _, shown_words = (read or "").rpartition(":")
    if not crypto.marks_match(shown_words, _words_mark(reflection)):  # any text sent by hand
        raise Conflict(_l("The author changed this reflection after you opened it. Read it again below, then decide."))
    status = "released" if decision == "release" else "held"
    if shown_decision != _decision_shown(reflection):
        if reflection.status == status:  # the same decision, made on another page first (a double click): as asked
            return True
        # A hold made for someone's care is not undone by a page opened before it (another tab, a colleague).
        raise Conflict(_l("This reflection was released or held by another page after you opened it. See where it "
                          "stands below, then decide."))
    if reflection.status == status:  # decided so already, as the page showed: one decision, recorded once
        return False
    if decision == "hold" and reflection.status == "released":  # held again, nothing new went out of use
        for quote in db.session.scalars(select(Quote).where(Quote.reflection_id == reflection.id)):
            notices.pulled(quote, notices.SOURCE_HELD, actor=facilitator)
    reflection.status = status
    reflection.decided_at = utcnow()
    reflection.decided_by_id = facilitator.id
    audit.record(f"reflection.{reflection.status}", actor=facilitator, target=reflection)
    return True


def note_mark(reflection: Reflection) -> str:
    """The private note a page showed, as a keyed digest: a save from a page opened before another note was
    saved would replace it unseen."""
    return crypto.lookup_digest(reflection.moderator_note or "", "moderation-note")


def save_note(facilitator: User, reflection: Reflection, note: str, *, read: str | None) -> None:
    """A note is about its author: it goes only on a reflection still open to the facilitator, read after any
    withdrawal under way (which erases the note with the words)."""
    participation.wait_for_the_author(reflection)
    if not _open_to(facilitator, reflection):
        raise _not_open()
    if (note or None) == reflection.moderator_note:  # saved already, perhaps by this same form sent twice
        return
    if not crypto.marks_match(read, note_mark(reflection)):
        raise Conflict(_l("This note was saved on another page after you opened it (a colleague's, or another tab). "
                          "The note saved now is shown below; yours is still in the form. Combine them, then save "
                          "again."))
    reflection.moderator_note = note or None
    audit.record("reflection.note_saved", actor=facilitator, target=reflection)
