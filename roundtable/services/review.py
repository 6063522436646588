"""Authors review quotes of their own words: the exact text and translation, approve or decline."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from roundtable.db import constant, db, flush_or_refuse, utcnow
from roundtable.models import Participant, Quote, Reflection, Roundtable
from roundtable.services import audit, participation, roundtables
from roundtable.services.errors import NotFound, RuleViolation
from roundtable.services.text import too_long

COMMENT_MAX = 1_000
# An editor's draft is work in progress, and may still hold words its author never wrote (the fidelity check
# flags them, and the editor fixes them before sending): the author sees a quote once it is sent to them.
SHOWN_TO_AUTHOR = ("awaiting_participant", "approved", "declined")


def quotes_of(participant: Participant) -> list[Quote]:
    """Every quote made from the participant's words that was sent to them or approved, and is not withdrawn."""
    return list(
        db.session.scalars(
            select(Quote)
            .join(Reflection, Quote.reflection_id == Reflection.id)
            .where(Reflection.participant_id == participant.id, Quote.status.in_(SHOWN_TO_AUTHOR))
            .options(selectinload(Quote.themes),  # shown with each quote: they are published with the words
                     contains_eager(Quote.reflection))  # a held reflection's quote is said to be unused
            .order_by(Quote.id)
        )
    )


class BeingChanged(RuleViolation):
    """The quote was put to its author, then taken back by an editor to change it."""


def own_quote(participant: Participant, quote_id: int) -> Quote:
    """A quote of the participant's words; anyone else's looks like one that does not exist."""
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.reflection.participant_id != participant.id:
        raise NotFound(_l("That quote was not found."))
    if quote.back_to_author:  # an answer from a page opened before the editor took the quote back to change it
        raise BeingChanged(_l("An editor is changing this quote. You will be asked about the new words."))
    if quote.status not in SHOWN_TO_AUTHOR:
        raise NotFound(_l("That quote was not found."))
    return quote


# Said beside the note, which the page shows again as typed: nothing is sent, and the same button sends it again.
_CONTACT_IN_NOTE = {
    True: _l("Not sent yet: a note for the editor cannot contain an email, a link, a phone number or an @. "
             "Take it out of the note, then press Approve again."),
    False: _l("Not sent yet: a note for the editor cannot contain an email, a link, a phone number or an @. "
              "Take it out of the note, then press Decline again."),
}

TOO_LATE_TO_APPROVE = _l("This roundtable's time for keeping words is over, so this quote can no longer be approved. "
                         "You can still decline it.")


@dataclass(frozen=True)
class QuoteCounts:
    being_changed: int  # put to the author, then taken back by an editor to change: they will be asked again
    taken_back: int  # withdrawn: no longer used, whatever took them back
    in_use_or_making: int  # approved, put to the author, or an editor's draft: what an answer without quoting ends


# An editor's draft counts, though its author is not shown it: taking public quotes back ends it too (withdrawn,
# then counted among those taken back), so the question before it says so. A draft the editor discarded is
# deleted (``curation.discard_draft``): it is counted nowhere.
_MAKING = (constant("draft"), constant("awaiting_participant"), constant("approved"))


def quote_counts(participant: Participant) -> QuoteCounts:
    """What "My words" and the renewed consent form say about quotes the participant is not shown one by one."""
    making = Quote.status.in_(_MAKING)
    row = db.session.execute(
        select(func.count().filter(Quote.back_to_author), func.count().filter(Quote.status == constant("withdrawn")),
               func.count().filter(making))
        .select_from(Quote).join(Reflection, Quote.reflection_id == Reflection.id)
        .where(Reflection.participant_id == participant.id)
    ).one()
    return QuoteCounts(*(value or 0 for value in row))


def quotes_of_reflection_in_use(reflection: Reflection) -> int:
    """What deleting a reflection takes back of what its author sees: a quote approved or waiting for their answer
    (not one they declined; an editor's draft, never shown to them, goes too, unsaid)."""
    return db.session.scalar(
        select(func.count()).select_from(Quote)
        .where(Quote.reflection_id == reflection.id,
               Quote.status.in_([constant("awaiting_participant"), constant("approved")]))
    ) or 0


def quotes_of_roundtable_in_use_or_making(roundtable: Roundtable) -> int:
    """What taking public quotes off a roundtable's consent form would end, as its participants answer it."""
    return db.session.scalar(
        select(func.count()).select_from(Quote).join(Reflection, Quote.reflection_id == Reflection.id)
        .join(Participant, Reflection.participant_id == Participant.id)
        .where(Participant.roundtable_id == roundtable.id, Quote.status.in_(_MAKING))
    ) or 0


def respond(participant: Participant, quote: Quote, *, approve: bool, comment: str | None = None,
            revision: int | None = None) -> None:
    """Approve or decline the revision the author was shown. An edit in between means: look again."""
    if quote.reflection.participant_id != participant.id or quote.status == "withdrawn":
        raise NotFound(_l("That quote was not found."))
    # The revision the author already answered, if they did: an approval records it; only authors decline.
    answered = {"approved": quote.participant_approved_revision, "declined": quote.revision}.get(quote.status)
    same_answer = quote.status == ("approved" if approve else "declined")
    if same_answer and answered is not None and revision in (None, answered):
        return  # the same answer to the same words again (a double click, a retry): it stands as given
    if quote.status != "awaiting_participant":
        raise RuleViolation(_l("This quote is not waiting for your answer."))
    if revision is not None and revision != quote.revision:
        raise RuleViolation(_l("The quote changed while you were reading it. Please read it again."))
    if approve and roundtables.past_retention(quote.reflection.participant.roundtable):
        # as an editor's approval is refused then: the words wait only for the purge, which withdraws the quote
        raise RuleViolation(TOO_LATE_TO_APPROVE)
    if comment is not None and len(comment) > COMMENT_MAX:
        raise RuleViolation(too_long(len(comment), COMMENT_MAX), field="comment")
    if comment is not None and participation.holds_a_contact(comment):
        raise RuleViolation(_CONTACT_IN_NOTE[approve], field="comment")
    quote.participant_comment = comment or None
    quote.comment_revision = quote.revision
    if approve:
        quote.participant_approved_revision = quote.revision
        quote.status = "approved"
        quote.approved_at = utcnow()
        audit.record("quote.approved_by_participant", actor=participant, target=quote)
    else:
        quote.participant_approved_revision = None
        quote.status = "declined"
        audit.record("quote.declined_by_participant", actor=participant, target=quote)
    # an editor may have saved the quote after it was read here: its words may have changed
    flush_or_refuse(RuleViolation(_l("The quote changed while you were reading it. Please read it again.")))
