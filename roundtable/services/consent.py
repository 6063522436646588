"""Consent: the append-only record, and THE rule every view and export obeys.

A quote may be shown to an editor, approved or exported only while its author's current
consent grants ``quote_publicly``, its reflection is released, and, where the author asked
to review quotes, the author approved that exact text. The rule is written once, as SQL
conditions below; ``quotable()`` and every query helper use those same conditions.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from types import EllipsisType

from babel.lists import format_list
from flask_babel import format_date, lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, event, exists, func, not_, or_, select, union_all
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased

from roundtable import i18n
from roundtable.db import constant, db, lock_row
from roundtable.models import ConsentClause, ConsentGrant, ConsentRecord, Participant, Quote, Reflection, Roundtable
from roundtable.models.roundtables import ALWAYS_OPTIONAL
from roundtable.numbers import LARGEST
from roundtable.services import audit, notices
from roundtable.services.errors import Conflict, RuleViolation, refuse
from roundtable.services.pagination import Page, paginate

QUOTE_PUBLICLY = "quote_publicly"
REVIEW_QUOTES = "review_quotes"


def current_record(participant: Participant) -> ConsentRecord | None:
    return db.session.scalar(
        select(ConsentRecord)
        .where(ConsentRecord.participant_id == participant.id)
        .order_by(ConsentRecord.id.desc())
        .limit(1)
    )


def current_grants(participant: Participant, record: ConsentRecord | None | EllipsisType = ...) -> frozenset[str]:
    """What the participant's current record grants; ``record``, that record when the caller read it already."""
    record = current_record(participant) if record is ... else record
    return record.granted_keys if record else frozenset()


def history(participant: Participant) -> list[ConsentRecord]:
    return list(
        db.session.scalars(
            select(ConsentRecord).where(ConsentRecord.participant_id == participant.id).order_by(ConsentRecord.id)
        )
    )


def needs_new_consent(participant: Participant, record: ConsentRecord | None | EllipsisType = ...) -> bool:
    """True when the roundtable's consent form changed since the participant last consented. Never past the
    retention date: their words are erased, or wait to be, and there is nothing left to agree to keep; what they
    agreed to before still applies. ``record``: their current record, when the caller read it already."""
    from roundtable.services import roundtables  # consent is the lower layer: it reaches up only at need

    if roundtables.past_retention(participant.roundtable):
        return False
    record = current_record(participant) if record is ... else record
    return record is None or record.form_version < participant.roundtable.consent_version


@dataclass(frozen=True)
class ChangedSinceAnswered:
    """How the statements of the roundtable's current form changed since the version the participant answered."""

    reworded: frozenset[str]  # new, or with other words in their language: theirs to choose afresh
    made_required: frozenset[str]  # optional then, now a condition of taking part
    made_optional: frozenset[str]  # required then, now theirs to say no to


def changed_since_answered(participant: Participant,
                           record: ConsentRecord | None | EllipsisType = ...) -> ChangedSinceAnswered:
    """What changed on the form since the participant answered it, each told beside its statement, from one read
    of their current record (``record``, when the caller read it already). A reworded statement is never ticked for
    them by an answer to other words (a widened "quote publicly", say); a change to the other language's words alone
    changes nothing they read."""
    record = current_record(participant) if record is ... else record
    version = record.form_version if record else None
    required_then = {c.key: c.required for c in clauses_of_version(participant.roundtable, version)} if version else {}
    now = participant.roundtable.current_clauses()
    # The versions they answered before matter only for a statement not on the one last answered (new, or taken off
    # and put back): a record's version is never older than the one before it, so for the others the words of the
    # version last answered are the latest they answered.
    new_since = version is not None and any(c.key not in required_then for c in now)
    answered = db.session.scalars(select(ConsentRecord.form_version.distinct()).where(
        ConsentRecord.participant_id == participant.id)).all() if new_since else ()
    return ChangedSinceAnswered(
        reworded=reworded_since(participant.roundtable, version, participant.language, answered=answered),
        made_required=frozenset(c.key for c in now if c.required and required_then.get(c.key) is False),
        made_optional=frozenset(c.key for c in now if not c.required and required_then.get(c.key) is True),
    )


def to_read_again(roundtable: Roundtable, version: int | None, kept_until: date | None, language: str) -> frozenset[str]:
    """What the person must tick afresh after reading ``version`` with the retention date ``kept_until``: statements
    new or reworded since, and keeping the words when the date moved later (it is agreed to with a date)."""
    moved = kept_until is not None and roundtable.retention_until > kept_until
    return reworded_since(roundtable, version, language) | ({"store_words"} if moved else set())


def reworded_since(roundtable: Roundtable, version: int | None, language: str,
                   answered: Collection[int] = ()) -> frozenset[str]:
    """The statements of the current form that are new, or whose words in ``language`` changed, since ``version``
    (None: every statement). One taken off the form and put back since is compared with its words on the latest
    version with it that the person ``answered`` before: read and answered then, in the same words it is not new."""
    text = "text_fil" if language == "fil" else "text_en"
    before: dict[str, str] = {}
    for seen in sorted({*answered, version}) if version else ():
        before |= {c.key: getattr(c, text) for c in clauses_of_version(roundtable, seen)}  # the latest words win
    return frozenset(c.key for c in roundtable.current_clauses() if before.get(c.key) != getattr(c, text))


class FormChanged(RuleViolation):
    """What the person read is no longer what they would agree to: they read it again."""


def form_changed() -> FormChanged:
    return FormChanged(_l("The consent form changed while you were reading it. Please read it again and choose."))


def check_choices(
    roundtable: Roundtable, granted: set[str], *, adult_confirmed: bool, shown_version: int | None = None,
    kept_until_shown: date | None = None, continuing: bool = False,
) -> None:
    """The choices fit the roundtable's current form: known clauses, every required one, and adulthood.

    ``shown_version`` is the version of the form the person read and ``kept_until_shown`` the retention date it
    said (views pass them): choices made on an older version answered other words, and an agreement to keep words
    until a date is no agreement to keep them longer (the facilitator may move the date while someone reads).
    ``continuing``: the person already takes part and answers a new form, so a refusal speaks of going on.
    """
    if shown_version is not None and shown_version != roundtable.consent_version:
        raise form_changed()
    if kept_until_shown is not None and roundtable.retention_until > kept_until_shown:
        raise FormChanged(_l("The date until which your words are kept changed while you were reading: it is now "
                             "%(date)s. Please read the form again and choose.",
                             date=format_date(roundtable.retention_until, format="long")))
    clauses = {c.key: c for c in roundtable.current_clauses()}
    if set(granted) - set(clauses):
        raise RuleViolation(_l("That consent choice is not part of this form."))
    problems = []
    unticked = [clause for key, clause in clauses.items() if clause.required and key not in granted]
    if unticked:  # each is named: on a changed form, whether new to them or made required since
        statements = format_list([f"“{_shortened(i18n.in_language(clause, 'text')[0])}”" for clause in unticked],
                                 locale=i18n.current_language())
        problems.append(RuleViolation(
            _l("To keep taking part, please tick the required statements. Not ticked yet: %(statements)s.",
               statements=statements) if continuing
            else _l("To take part, please tick the required statements. Not ticked yet: %(statements)s.",
                    statements=statements), field="clauses"))
    if not adult_confirmed:
        problems.append(RuleViolation(_l("To keep taking part, please confirm you are 18 or older.") if continuing
                                      else _l("To take part, please confirm you are 18 or older."), field="adult"))
    refuse(problems)  # both at once: each box is pointed at on the first try


def _shortened(text: str, limit: int = 80) -> str:
    """A statement as a refusal names it: whole, or cut at a word before ``limit`` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.—–-") + "…"


def record_consent(
    participant: Participant, granted: set[str], *, adult_confirmed: bool, shown_version: int | None = None,
    kept_until_shown: date | None = None,
) -> ConsentRecord:
    """Append a new consent record under the roundtable's current form. History is never rewritten."""
    roundtable: Roundtable = participant.roundtable
    _under_the_form_as_it_is(roundtable)
    before = current_grants(participant)
    check_choices(roundtable, granted, adult_confirmed=adult_confirmed, shown_version=shown_version,
                  kept_until_shown=kept_until_shown, continuing=bool(before))
    record = ConsentRecord(
        participant_id=participant.id, form_version=roundtable.consent_version, adult_confirmed=adult_confirmed
    )
    record.grants = [ConsentGrant(clause_key=key) for key in sorted(granted)]
    db.session.add(record)
    db.session.flush()
    audit.record("consent.recorded", actor=participant, target=record)
    apply_change(participant, before, record.granted_keys)
    return record


# --- The one rule, as SQL ----------------------------------------------------------------

def _current_record_id() -> ColumnElement:
    return (
        select(func.max(ConsentRecord.id))
        .where(ConsentRecord.participant_id == Participant.id)
        .correlate(Participant)
        .scalar_subquery()
    )


def _grants(key: str) -> ColumnElement:
    return exists().where(ConsentGrant.record_id == _current_record_id(), ConsentGrant.clause_key == constant(key))


def curatable_reflection() -> ColumnElement:
    """Reflection (joined with its Participant) that an editor may read and quote."""
    return and_(
        Reflection.status == constant("released"),
        Reflection.text.is_not(None),
        Participant.withdrawn_at.is_(None),
        _grants(QUOTE_PUBLICLY),
    )


def quotable_quote() -> ColumnElement:
    """Quote (joined with Reflection and Participant) that may be shown, approved or exported."""
    return and_(
        curatable_reflection(),
        Quote.status != constant("withdrawn"),
        Quote.text.is_not(None),
        or_(not_(_grants(REVIEW_QUOTES)), Quote.participant_approved_revision == Quote.revision),
    )


def exportable_quote() -> ColumnElement:
    return and_(quotable_quote(), Quote.status == constant("approved"))


def quotes_with_authors():
    """``select(Quote)`` joined to its reflection and author, ready for the conditions above."""
    return select(Quote).join(Reflection, Quote.reflection_id == Reflection.id).join(
        Participant, Reflection.participant_id == Participant.id
    )


def reflections_with_authors():
    return select(Reflection).join(Participant, Reflection.participant_id == Participant.id)


def may_quote_reflection(reflection: Reflection) -> bool:
    """Whether an editor may read and quote this reflection right now."""
    return _count(reflections_with_authors().where(Reflection.id == reflection.id, curatable_reflection())) == 1


def quotable(quote: Quote) -> bool:
    """Whether the one rule allows this quote to be shown, approved or exported right now."""
    return _count(quotes_with_authors().where(Quote.id == quote.id, quotable_quote())) == 1


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def author_requires_review(participant: Participant) -> bool:
    return REVIEW_QUOTES in current_grants(participant)


# --- Consent as a living record ------------------------------------------------------------

def clauses_of_version(roundtable: Roundtable, version: int) -> list[ConsentClause]:
    return [c for c in roundtable.clauses if c.version == version]


def keys_until(roundtable: Roundtable, version: int | None) -> frozenset[str] | None:
    """The keys of every statement the roundtable's consent form had up to ``version``: what the rows of a page
    made for that version may name (its statements, and one another page removed since, shown again by the
    refusal that says so). None for a version never made, or none sent: no page of Roundtable's showed it."""
    if version is None or not 1 <= version <= roundtable.consent_version:
        return None
    return frozenset(c.key for c in roundtable.clauses if c.version <= version)


def change_clause(participant: Participant, key: str, *, grant: bool) -> ConsentRecord:
    """Grant or revoke one optional clause: a new record is appended, never an old one changed.

    While the form changed and the participant has not consented to the new version, they can
    still take something back, but can only give more under the new form.
    """
    if grant:  # taking something back needs no form read again, and so waits for no one
        _refuse_more_past_retention(participant)
        _under_the_form_as_it_is(participant.roundtable)
    record = current_record(participant)
    if record is None:
        raise RuleViolation(_l("That consent choice is not part of this form."))
    if grant and needs_new_consent(participant):
        raise RuleViolation(_l("The consent form changed. Please read the new form first."))
    clauses = {c.key: c for c in clauses_of_version(participant.roundtable, record.form_version)}
    clause = clauses.get(key)
    if clause is None:
        raise RuleViolation(_l("That consent choice is not part of this form."))
    if clause.required:
        raise RuleViolation(_l("This statement is needed to take part. To stop, take back all your words instead."))
    before = record.granted_keys
    after = before | {key} if grant else before - {key}
    if after == before:
        return record
    new = ConsentRecord(
        participant_id=participant.id, form_version=record.form_version, adult_confirmed=record.adult_confirmed
    )
    new.grants = [ConsentGrant(clause_key=k) for k in sorted(after)]
    db.session.add(new)
    db.session.flush()
    audit.record("consent.granted" if grant else "consent.revoked", actor=participant, target=new)
    apply_change(participant, before, after)
    return new


def _refuse_more_past_retention(participant: Participant) -> None:
    """Past the retention date nothing more is given: an approval asked for now (reviewing quotes) could never be
    answered, and would only take a kept quote out of use for good."""
    from roundtable.services import roundtables  # consent is the lower layer: it reaches up only at need

    if roundtables.past_retention(participant.roundtable):
        raise RuleViolation(_l("The date to erase this roundtable's words has passed: you can still take back what "
                               "you allowed, but not allow more."))


def _under_the_form_as_it_is(roundtable: Roundtable) -> None:
    """Consent is given or changed under the form as saved now. A facilitator saving a new version at the same
    moment waits, or is waited for (``new_form_version`` locks the same row), and the form is read again after
    the wait: else a request to review quotes could be granted under a form that had just dropped it, unseen by
    the check that refuses to drop it while someone asked for it."""
    lock_row(Roundtable, roundtable.id, shared=True)
    db.session.refresh(roundtable, ["consent_version", "clauses"])


def apply_change(participant: Participant, before: frozenset[str], after: frozenset[str]) -> None:
    """What follows from a consent change, at once: quotes withdrawn, or sent back for review."""
    from roundtable.services import withdrawal

    if QUOTE_PUBLICLY in before and QUOTE_PUBLICLY not in after:
        # A declined quote stays declined (the rule keeps it out of sight, and it was never exportable): it is
        # how a decline still holds, for these words, once quoting is allowed again.
        for quote in _quotes_of(participant, Quote.status.notin_(("withdrawn", "declined"))):
            withdrawal.withdraw_quote(quote, actor=participant)
    if REVIEW_QUOTES in after and REVIEW_QUOTES not in before:
        for quote in _quotes_of(participant, Quote.status == "approved"):
            if quote.participant_approved_revision != quote.revision:
                notices.pulled(quote, notices.PUT_TO_AUTHOR, actor=participant)
                quote.status = "awaiting_participant"
                audit.record("quote.sent_for_review", actor=participant, target=quote)


def _quotes_of(participant: Participant, condition) -> list[Quote]:
    return list(
        db.session.scalars(
            select(Quote)
            .join(Reflection, Quote.reflection_id == Reflection.id)
            .where(Reflection.participant_id == participant.id, condition)
            .order_by(Quote.id)
        )
    )


@dataclass(frozen=True)
class ClauseDraft:
    key: str
    text_en: str
    text_fil: str
    required: bool


def check_form_version(roundtable: Roundtable, clauses: list[ClauseDraft], *, seen: int) -> None:
    """What ``new_form_version`` refuses, said before anything is saved: a page that asks before a change checks
    first, so that no one answers a question about a form that could not be saved anyway."""
    from roundtable.services import roundtables  # consent is the lower layer: it reaches up only at need

    roundtables.refuse_if_frozen(roundtable)
    # A page made for an older version is refused before anything else is said of it: its statements may clash
    # with those the newer version added.
    if seen != roundtable.consent_version and not _says_what_is_saved(roundtable, clauses):
        # (What is saved now already says exactly this, as after the same form sent twice: nothing is lost.)
        raise Conflict(_l("The consent form was saved on another page after you opened this one: it is now version "
                          "%(n)s. Statements it added are in the form below, and what is saved now is shown under "
                          "each one that differs; your changes are still in the form. Check them, then save again.",
                          n=roundtable.consent_version))
    # Each problem names the statement and the part of it it is about ("take_part.required"), for the form; every
    # problem is said at once, so that none is found only on the next save.
    problems = []
    keys = [c.key for c in clauses]
    for position, key in enumerate(keys):
        if key in keys[:position]:
            problems.append(RuleViolation(_l("The form already has a statement with this key. Choose another key."),
                                          field=f"{key}.key"))
        elif not _KEY.fullmatch(key):
            problems.append(RuleViolation(_l("Each statement needs its own short key of lowercase letters."),
                                          field=f"{key}.key"))
    for required_key in REQUIRED_KEYS:
        if not any(c.key == required_key and c.required for c in clauses):
            problems.append(RuleViolation(_l("The statements to take part and to keep the words must stay required."),
                                          field=f"{required_key}.{'required' if required_key in keys else 'remove'}"))
    if REVIEW_QUOTES not in keys and QUOTE_PUBLICLY in keys and _someone_reviews(roundtable):
        # Answering the new form would end, unasked, the review they chose (their answer to an earlier version
        # counts until they answer again: public quotes taken off and put back in two saves end it just the same).
        # Without public quotes it is moot.
        problems.append(RuleViolation(
            _l("Someone who took part asked to see every quote of their words before it is used. A form that asks "
               "about public quotes keeps the statement on reviewing quotes."),
            field=f"{REVIEW_QUOTES}.remove" if any(
                c.key == REVIEW_QUOTES for c in roundtable.current_clauses()) else f"{QUOTE_PUBLICLY}.key"))
    for clause in clauses:
        if clause.key in ALWAYS_OPTIONAL and clause.required:
            # Required, it could never be taken back short of withdrawing everything.
            problems.append(RuleViolation(_l("Internal use, public quotes and reviewing quotes stay each "
                                             "participant's choice: they cannot be required."),
                                          field=f"{clause.key}.required"))
        for text in ("text_fil", "text_en"):
            if not getattr(clause, text).strip():
                problems.append(RuleViolation(_l("Write each statement in English and in Filipino."),
                                              field=f"{clause.key}.{text}"))
    refuse(problems)


def saved_already(roundtable: Roundtable, clauses: list[ClauseDraft], *, seen: int) -> bool:
    """Whether a page made for version ``seen`` sends what a newer version saved since says already: the same form
    saved before (its question answered "Yes", then the browser's Back)."""
    return seen != roundtable.consent_version and _says_what_is_saved(roundtable, clauses)


def _says_what_is_saved(roundtable: Roundtable, clauses: list[ClauseDraft]) -> bool:
    return _as_drafts(roundtable.current_clauses()) == _as_drafts(clauses)


def new_form_version(roundtable: Roundtable, actor, clauses: list[ClauseDraft], *, seen: int) -> int:
    """A changed consent form is a new version; the rows of earlier versions stay as they were. Returns the
    version now current: the same one when nothing changed. ``seen`` is the version the changes were made to:
    made to an older one, they would drop, unseen, what the versions since changed.

    Participants keep what they granted under their version (never more) until they consent again.
    """
    # Two saves at once would otherwise make the same version twice. The statements are read again too: the same
    # form sent twice at once finds, after the wait, the version the first made (its own), not a change elsewhere.
    lock_row(Roundtable, roundtable.id)
    db.session.refresh(roundtable, ["consent_version", "clauses"])
    check_form_version(roundtable, clauses, seen=seen)
    if _says_what_is_saved(roundtable, clauses):
        return roundtable.consent_version  # saved unchanged: no one is asked to consent again
    roundtable.consent_version += 1
    for position, draft in enumerate(clauses, start=1):
        roundtable.clauses.append(
            ConsentClause(
                version=roundtable.consent_version, position=position, key=draft.key,
                text_en=draft.text_en.strip(), text_fil=draft.text_fil.strip(), required=draft.required,
            )
        )
    db.session.flush()
    audit.record("consent.form_changed", actor=actor, target=roundtable)
    return roundtable.consent_version


def anyone_asked_again(roundtable: Roundtable) -> bool:
    """Whether anyone taking part answered a version of the consent form before the current one: they are asked
    to consent again when they return. On a roundtable no one has joined, no one is."""
    return db.session.scalar(select(ConsentRecord.id).join(Participant).where(
        Participant.roundtable_id == roundtable.id, _taking_part(),
        ConsentRecord.form_version < roundtable.consent_version,
    ).limit(1)) is not None


@dataclass(frozen=True)
class MadeRequired:
    """A statement optional on the current form that a new version would make required, and how many of the people
    taking part said no to it: to keep taking part, they would have to agree to it or take back all their words."""

    clause: ConsentClause  # as the current form words it, the words they said no to
    said_no: int
    # Who said no at a join left unfinished: back with their passphrase, they take part and face the same choice.
    unfinished: int = 0


def made_required_after_no(roundtable: Roundtable, clauses: list[ClauseDraft]) -> list[MadeRequired]:
    """The statements ``clauses`` would make required that someone taking part, or someone whose join is unfinished,
    said no to, in the form's order: the facilitator is asked first. A "no" given under an earlier version counts, as
    in ``who_said_no``."""
    current = {clause.key: clause for clause in roundtable.current_clauses()}
    keys = [draft.key for draft in clauses
            if draft.required and draft.key in current and not current[draft.key].required]
    if not keys:
        return []
    said_no = {key: (finished, unfinished) for key, finished, unfinished in db.session.execute(
        select(ConsentClause.key, func.count(case((_finished_joining(), 1))),
               func.count(case((not_(_finished_joining()), 1))))
        .select_from(Participant)
        .join(ConsentRecord, ConsentRecord.id == _current_record_id())
        .join(ConsentClause, and_(ConsentClause.roundtable_id == Participant.roundtable_id,
                                  ConsentClause.version == ConsentRecord.form_version, ConsentClause.key.in_(keys)))
        .where(Participant.roundtable_id == roundtable.id, Participant.withdrawn_at.is_(None),
               not_(exists().where(ConsentGrant.record_id == ConsentRecord.id,
                                   ConsentGrant.clause_key == ConsentClause.key)))
        .group_by(ConsentClause.key)
    )}
    return [MadeRequired(current[key], *said_no[key])
            for key in sorted(keys, key=lambda key: current[key].position) if key in said_no]


@dataclass(frozen=True)
class AddedAsRequired:
    """Statements a new version would add to the form as required, on a roundtable people joined already: to keep
    taking part, each of them would have to agree to every one or take back all their words."""

    statements: list[ClauseDraft]  # as typed
    joined: int  # taking part now
    # Started joining and stopped at the passphrase: back with it, they take part and face the same choice.
    unfinished: int = 0


def added_as_required(roundtable: Roundtable, clauses: list[ClauseDraft]) -> AddedAsRequired | None:
    """The statements ``clauses`` would add as required, with how many people joined, or started to (none: None,
    and no one is asked). The facilitator is asked first, as for a statement made required after a "no"."""
    current = {clause.key for clause in roundtable.current_clauses()}
    added = [draft for draft in clauses if draft.required and draft.key not in current]
    if not added:
        return None
    joined, unfinished = db.session.execute(
        select(func.count(case((_finished_joining(), 1))), func.count(case((not_(_finished_joining()), 1))))
        .where(Participant.roundtable_id == roundtable.id, Participant.withdrawn_at.is_(None))
    ).one()
    return AddedAsRequired(added, joined, unfinished) if joined or unfinished else None


def _someone_reviews(roundtable: Roundtable) -> bool:
    """Whether anyone taking part in this roundtable asked to review every quote of their words."""
    return db.session.scalar(select(Participant.id).where(
        Participant.roundtable_id == roundtable.id, Participant.withdrawn_at.is_(None), _grants(REVIEW_QUOTES),
    ).limit(1)) is not None


def _as_drafts(clauses) -> list[tuple[str, str, str, bool]]:
    return [(c.key, c.text_en.strip(), c.text_fil.strip(), bool(c.required)) for c in clauses]


REQUIRED_KEYS = ("take_part", "store_words")
_KEY = re.compile(r"[a-z][a-z_]{1,39}")

#: The statements Roundtable acts on by itself. Any other (the default form's internal_use, or one a facilitator
#: adds) is asked and recorded; staff honour an author's "no" to it by hand, shown to editors beside the words.
ACTED_ON = frozenset({*REQUIRED_KEYS, QUOTE_PUBLICLY, REVIEW_QUOTES})


def fixed_requirement(key: str) -> bool | None:
    """The statements whose place on the form no facilitator chooses: True for those required to take part and
    keep the words, which also stay on the form; False for each participant's own choices (ALWAYS_OPTIONAL), never
    required; None for the rest. The form editor shows the fixed ones as text; ``check_form_version`` refuses a
    form that changes them."""
    return True if key in REQUIRED_KEYS else False if key in ALWAYS_OPTIONAL else None


def said_no_to(participant: Participant) -> list[ConsentClause]:
    """The statements of their current form that the author said no to and that Roundtable does not act on."""
    record = current_record(participant)
    if record is None:
        return []
    granted = current_grants(participant)
    return [clause for clause in clauses_of_version(participant.roundtable, record.form_version)
            if clause.key not in ACTED_ON and clause.key not in granted]


# --- A roundtable's answers, for its facilitator ----------------------------------------------

@dataclass(frozen=True)
class StatementAnswers:
    """How many of those who answered the current form said yes, and no, to one of its statements."""

    clause: ConsentClause
    yes: int
    no: int


@dataclass(frozen=True)
class RoundtableAnswers:
    joined: int  # taking part now: finished joining and not withdrawn
    answered: int  # of them, those whose current answer is to the current form
    statements: list[StatementAnswers]  # the current form's, in its order
    withdrew: int = 0  # joined and took everything back; said only when no one is taking part
    unfinished: int = 0  # started joining but never typed their passphrase back (``participation.joined``)


def answers_in(roundtable: Roundtable) -> RoundtableAnswers:
    """What the people taking part in ``roundtable`` answer now, each by their current record (as the one rule reads
    it), in two queries whatever their number. Yes and no are counted among those who answered the current form: an
    answer to an earlier version answered other words, and they are asked again at their next visit."""
    joined, answered, withdrew, unfinished = db.session.execute(
        select(func.count(case((_taking_part(), 1))),
               func.count(case((and_(_taking_part(), _answers_current_form(roundtable)), 1))),
               func.count(Participant.withdrawn_at),
               func.count(case((and_(Participant.withdrawn_at.is_(None), not_(_finished_joining())), 1))))
        .select_from(Participant).outerjoin(ConsentRecord, ConsentRecord.id == _current_record_id())
        .where(Participant.roundtable_id == roundtable.id)
    ).one()
    yes = dict(db.session.execute(
        _taking_part_in(roundtable).join(ConsentGrant, ConsentGrant.record_id == ConsentRecord.id)
        .where(_answers_current_form(roundtable))
        .with_only_columns(ConsentGrant.clause_key, func.count())
        .group_by(ConsentGrant.clause_key)
    ).all())
    return RoundtableAnswers(joined, answered, [
        StatementAnswers(clause, yes.get(clause.key, 0), answered - yes.get(clause.key, 0))
        for clause in roundtable.current_clauses()
    ], 0 if joined else withdrew, unfinished)


@dataclass(frozen=True)
class SaidNo:
    """A line of the facilitator's list of names: someone who said no to ``clause``, a statement staff honour in
    person, or (``clause`` None) who has not answered the current form yet."""

    clause: ConsentClause | None
    pseudonym: str


def who_said_no(roundtable: Roundtable, number: int = 1, per_page: int = 50) -> Page:
    """A page of ``SaidNo``: the people taking part in ``roundtable`` who said no to a statement of its current form
    that Roundtable does not act on (``ACTED_ON``), statement by statement in the form's order, then those who have
    not answered the current form. Nothing is said of who declined what Roundtable acts on by itself. A "no" given
    under an earlier version stays in force until they answer the current one (as the one rule reads it), so it is
    listed under the current statement of the same key too."""
    taking_part = _taking_part_in(roundtable)
    current = aliased(ConsentClause)
    said_no = (
        taking_part.join(ConsentClause, and_(
            ConsentClause.roundtable_id == Participant.roundtable_id,
            ConsentClause.version == ConsentRecord.form_version,
            ConsentClause.key.notin_(sorted(ACTED_ON)),
        ))
        .join(current, and_(current.roundtable_id == ConsentClause.roundtable_id, current.key == ConsentClause.key,
                            current.version == constant(roundtable.consent_version)))
        .where(not_(exists().where(
            ConsentGrant.record_id == ConsentRecord.id, ConsentGrant.clause_key == ConsentClause.key,
        )))
        .with_only_columns(current.position.label("place"), Participant.pseudonym, Participant.pseudonym_key,
                           Participant.id)
    )
    unanswered = taking_part.where(not_(_answers_current_form(roundtable))).with_only_columns(
        constant(LARGEST).label("place"), Participant.pseudonym, Participant.pseudonym_key, Participant.id,
    )  # placed after every statement
    rows = union_all(said_no, unanswered).subquery()
    found = paginate(select(rows.c.place, rows.c.pseudonym).order_by(rows.c.place, rows.c.pseudonym_key, rows.c.id),
                     number, per_page, scalars=False)
    clause_at = {clause.position: clause for clause in roundtable.current_clauses()}
    return replace(found, items=[SaidNo(clause_at.get(place), pseudonym) for place, pseudonym in found.items])


def _taking_part_in(roundtable: Roundtable) -> Select:
    """The people taking part in ``roundtable`` (``_taking_part``), each with their current record."""
    return (
        select(Participant)
        .outerjoin(ConsentRecord, ConsentRecord.id == _current_record_id())
        .where(Participant.roundtable_id == roundtable.id, _taking_part())
    )


def _taking_part() -> ColumnElement:
    """(Participant) joined and not withdrawn. Whoever left the join before typing their passphrase back is not
    counted: a facilitator's numbers and names match the people in the room. (If they come back with the
    passphrase, their join is over then, and they are.)"""
    return and_(Participant.withdrawn_at.is_(None), _finished_joining())


def _finished_joining() -> ColumnElement:
    """(Participant) typed their passphrase back: ``participation.joined`` cleared the join's marker."""
    return Participant.join_key_digest.is_(None)


def _answers_current_form(roundtable: Roundtable) -> ColumnElement:
    """(Participant with their current ConsentRecord): their answer is to the roundtable's current form."""
    return func.coalesce(ConsentRecord.form_version, 0) == constant(roundtable.consent_version)


# --- History is never rewritten --------------------------------------------------------------

class HistoryRewrite(RuntimeError):
    """Raised when code tries to change or delete a consent record or grant."""


@event.listens_for(OrmSession, "before_flush")
def _refuse_history_rewrite(session, flush_context, instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, (ConsentRecord, ConsentGrant)):
            raise HistoryRewrite("consent records are append-only: no DELETE")
    for obj in session.dirty:
        if isinstance(obj, (ConsentRecord, ConsentGrant)) and session.is_modified(obj, include_collections=True):
            raise HistoryRewrite("consent records are append-only: no UPDATE")


@event.listens_for(OrmSession, "do_orm_execute")
def _refuse_bulk_history_rewrite(state) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_ in (ConsentRecord, ConsentGrant):
            raise HistoryRewrite("consent records are append-only: no bulk UPDATE or DELETE")
