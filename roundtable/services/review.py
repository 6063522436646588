"""Authors review quotes of their own words: the exact text and translation, approve or decline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from roundtable.db import constant, db, flush_or_refuse, utcnow
from roundtable.models import Participant, Quote, Reflection, Roundtable
from roundtable.services import audit, roundtables
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


# A note for the editor is free text, read by staff and never published. It is refused only for what reaches a person
# (no participant's contact is ever stored), more narrowly than a pseudonym printed with every quote: a date, a year
# range, an amount, "@ the team" are no contact. Nor is a case number: it is kept, for an editor asked to take it out.
_DOMAIN_ENDINGS = "com|net|org|ph|me|io|co|info|app|biz|xyz|tv|gg|ly|edu|gov"
_CONTACTS_IN_NOTE = (
    ("email", re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
    ("account", re.compile(r"(?<![\w@])@[A-Za-z0-9_][A-Za-z0-9_.]+")),  # "Message me @bituin", not "@ the team"
    # A bare domain reads as an address in lower case ("fb.com", "gcash.ph") or with a path ("FB.com/bituin"), not
    # as a sentence run into the next without its space ("Salamat po.Me too").
    ("link", re.compile(
        rf"https?://\S|\bwww\.\w|(?<![\w.@-])\w[\w-]*(?:\.\w[\w-]*)*"
        rf"\.(?:(?:{_DOMAIN_ENDINGS})(?![\w-])|(?i:{_DOMAIN_ENDINGS})/\w)"
    )),
    # Digits grouped as a phone number is, not as a date (12.12.2026, 2026-12-12), a year range (2015-2016) or an
    # amount (10 000 pesos, ₱8000-9000).
    ("phone", re.compile(
        r"""(?<![\w+.,/-])(?<!₱)(?<!₱\s)(?<!php\s)(?:
            (?:\+\s?63|63)[\s.-]?\(?9\d{2}\)?(?:[\s.-]?\d){7}          # +63 917 123 4567
          | \(?0?9\d{2}\)?(?:[\s.-]?\d){7}                             # 0917 123 4567, (0917) 123-4567
          | \(?0\d{1,3}\)?[\s.-]?\d{3,4}[\s.-]?\d{4}                   # (02) 8714 2206, 032 412 8890
          | 8\d{3}[\s-]\d{4}                                           # 8714-2206 in Metro Manila
          | \+\s?[1-9]\d{0,2}(?:[\s.()-]{0,2}\d){7,12}                 # +966 55 318 2047, abroad
        )(?!\w|[.,-]\d|\s*(?:pesos?|piso|php)\b)""",
        re.VERBOSE | re.IGNORECASE,
    )),
)


def contact_in_note(note: str) -> str | None:
    """What in a note for the editor would reach a person: "email", "account", "link" or "phone" (the first there),
    or None."""
    return next((kind for kind, pattern in _CONTACTS_IN_NOTE if pattern.search(note)), None)


# Said beside the note, which the page shows again as typed: what was found, that nothing is sent, and that the same
# button sends it again.
_CONTACT_IN_NOTE = {
    ("email", True): _l("Not sent yet: a note for the editor cannot contain an email address. "
                        "Take it out of the note, then press Approve again."),
    ("email", False): _l("Not sent yet: a note for the editor cannot contain an email address. "
                         "Take it out of the note, then press Decline again."),
    ("account", True): _l("Not sent yet: a note for the editor cannot contain an account name such as @name. "
                          "Take it out of the note, then press Approve again."),
    ("account", False): _l("Not sent yet: a note for the editor cannot contain an account name such as @name. "
                           "Take it out of the note, then press Decline again."),
    ("link", True): _l("Not sent yet: a note for the editor cannot contain a link. "
                       "Take it out of the note, then press Approve again."),
    ("link", False): _l("Not sent yet: a note for the editor cannot contain a link. "
                        "Take it out of the note, then press Decline again."),
    ("phone", True): _l("Not sent yet: a note for the editor cannot contain a phone number. "
                        "Take it out of the note, then press Approve again."),
    ("phone", False): _l("Not sent yet: a note for the editor cannot contain a phone number. "
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
    if comment is not None and (contact := contact_in_note(comment)):
        raise RuleViolation(_CONTACT_IN_NOTE[contact, approve], field="comment")
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
