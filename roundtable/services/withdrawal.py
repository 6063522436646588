"""Taking words back: one quote, one reflection, or everything a participant wrote.

Withdrawal takes effect at once: a withdrawn reflection or quote leaves every staff list and
every export, because the consent rule only ever allows what is not withdrawn. Erasing goes
further and leaves a content-free row behind, so exports that carried a quote can still be
named by its number.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from roundtable.db import db, lock_row, utcnow
from roundtable.models import Participant, Quote, QuoteFindingDecision, Reflection
from roundtable.services import audit
from roundtable.services.errors import NotFound


def withdraw_quote(quote: Quote, *, actor) -> None:
    """The quote can no longer be shown, approved or exported. Withdrawn is final."""
    if quote.status == "withdrawn":
        return
    quote.status = "withdrawn"
    audit.record("quote.withdrawn", actor=actor, target=quote)


def erase_quote(quote: Quote) -> None:
    """Nothing of the words stays: not the text, not the translation, not an editor's reasons about them."""
    quote.text = None
    quote.translation = None
    quote.participant_comment = None
    quote.descriptor = ""  # what an editor wrote of its author
    db.session.execute(delete(QuoteFindingDecision).where(QuoteFindingDecision.quote_id == quote.id))


def erase_pseudonym(participant: Participant) -> None:
    """The name their words were shown under goes with the words; the row stays, for what the audit log and the
    consent records say of it. ("#" is in no pseudonym, so the key cannot meet one.)"""
    participant.pseudonym = ""
    participant.pseudonym_key = f"#{participant.id}"


def erase_reflection(reflection: Reflection) -> None:
    reflection.text = None
    reflection.moderator_note = None


def quotes_of_reflections(reflection_ids) -> defaultdict[int, list[Quote]]:
    """The quotes of many reflections in one query, by reflection id (an empty list for one without)."""
    found: defaultdict[int, list[Quote]] = defaultdict(list)
    for quote in db.session.scalars(select(Quote).where(Quote.reflection_id.in_(reflection_ids)).order_by(Quote.id)):
        found[quote.reflection_id].append(quote)
    return found


def take_back(reflection: Reflection, *, actor, status: str, erase: bool = True,
              quotes: list[Quote] | None = None) -> None:
    """The reflection leaves every view under ``status``; its quotes are withdrawn; with ``erase``
    its words and its quotes' words are gone too. ``quotes`` are the reflection's quotes, when the
    caller has loaded them together with other reflections' (a purge does)."""
    if quotes is None:
        quotes = quotes_of_reflections([reflection.id])[reflection.id]
    for quote in quotes:
        withdraw_quote(quote, actor=actor)
        if erase:
            erase_quote(quote)
    if erase:
        erase_reflection(reflection)
    reflection.status = status


def has_approved_quote(reflection: Reflection) -> bool:
    return db.session.scalar(
        select(Quote.id).where(Quote.reflection_id == reflection.id, Quote.status == "approved").limit(1)
    ) is not None


def delete_reflection(participant: Participant, reflection: Reflection) -> None:
    """The participant deletes one of their reflections: its words are erased and its quotes withdrawn. Deleted
    already (a double click: the second waits for the first, then finds it done), nothing more is done. The turn is
    taken on the author's row, as every change by them or by staff to what hangs from it is (``take_turn``)."""
    lock_row(Participant, participant.id)
    db.session.refresh(reflection)
    if reflection.participant_id != participant.id or reflection.status == "purged":
        raise NotFound(_l("That reflection was not found."))
    if reflection.status == "withdrawn":
        return
    take_back(reflection, actor=participant, status="withdrawn")
    audit.record("reflection.deleted", actor=participant, target=reflection)


def withdraw_all(participant: Participant, *, erase: bool) -> None:
    """Everything at once: the participant, every reflection and every quote of theirs.

    With ``erase`` the words themselves are gone now, not only hidden; copies already
    exported outside the platform cannot be reached from here. Sent twice at once (a double click), the second waits
    for the first, then finds nothing left to do.
    """
    lock_row(Participant, participant.id)  # (its eager joins cannot be locked with it)
    db.session.refresh(participant, ["withdrawn_at", "pseudonym"])
    if participant.withdrawn_at is not None and not (erase and participant.pseudonym):
        return
    if participant.withdrawn_at is None:
        participant.withdrawn_at = utcnow()
    participant.join_key_digest = None  # their join is over (participation.joined): its form sent again is a new one
    reflections = list(db.session.scalars(select(Reflection).where(Reflection.participant_id == participant.id)))
    quotes = quotes_of_reflections([reflection.id for reflection in reflections])
    with db.session.no_autoflush:  # written together at the flush below
        for reflection in reflections:
            status = "purged" if reflection.status == "purged" else "withdrawn"
            take_back(reflection, actor=participant, status=status, erase=erase, quotes=quotes[reflection.id])
    audit.record("participant.withdrawn", actor=participant, target=participant)
    if erase:
        erase_pseudonym(participant)
        audit.record("participant.words_erased", actor=participant, target=participant)
    db.session.flush()
