"""Consent: the append-only record, and THE rule every view and export obeys.

A quote may be shown to an editor, approved or exported only while its author's current
consent grants ``quote_publicly``, its reflection is released, and, where the author asked
to review quotes, the author approved that exact text. The rule is written once, as SQL
conditions below; ``quotable()`` and every query helper use those same conditions.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select

from roundtable.db import db
from roundtable.models import ConsentGrant, ConsentRecord, Participant, Quote, Reflection, Roundtable
from roundtable.services import audit
from roundtable.services.errors import RuleViolation

QUOTE_PUBLICLY = "quote_publicly"
REVIEW_QUOTES = "review_quotes"


def current_record(participant: Participant) -> ConsentRecord | None:
    return db.session.scalar(
        select(ConsentRecord)
        .where(ConsentRecord.participant_id == participant.id)
        .order_by(ConsentRecord.id.desc())
        .limit(1)
    )


def current_grants(participant: Participant) -> frozenset[str]:
    record = current_record(participant)
    return record.granted_keys if record else frozenset()


def history(participant: Participant) -> list[ConsentRecord]:
    return list(
        db.session.scalars(
            select(ConsentRecord).where(ConsentRecord.participant_id == participant.id).order_by(ConsentRecord.id)
        )
    )


def needs_new_consent(participant: Participant) -> bool:
    """True when the roundtable's consent form changed since the participant last consented."""
    record = current_record(participant)
    return record is None or record.form_version < participant.roundtable.consent_version


def record_consent(participant: Participant, granted: set[str], *, adult_confirmed: bool) -> ConsentRecord:
    """Append a new consent record under the roundtable's current form. History is never rewritten."""
    roundtable: Roundtable = participant.roundtable
    clauses = {c.key: c for c in roundtable.current_clauses()}
    unknown = set(granted) - set(clauses)
    if unknown:
        raise RuleViolation(_l("That consent choice is not part of this form."))
    missing = [key for key, clause in clauses.items() if clause.required and key not in granted]
    if missing or not adult_confirmed:
        raise RuleViolation(_l("To take part, please tick the required statements and confirm you are 18 or older."))
    record = ConsentRecord(
        participant_id=participant.id, form_version=roundtable.consent_version, adult_confirmed=adult_confirmed
    )
    record.grants = [ConsentGrant(clause_key=key) for key in sorted(granted)]
    db.session.add(record)
    db.session.flush()
    audit.record("consent.recorded", actor=participant, target=record)
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
    return exists().where(ConsentGrant.record_id == _current_record_id(), ConsentGrant.clause_key == key)


def curatable_reflection() -> ColumnElement:
    """Reflection (joined with its Participant) that an editor may read and quote."""
    return and_(
        Reflection.status == "released",
        Reflection.text.is_not(None),
        Participant.withdrawn_at.is_(None),
        _grants(QUOTE_PUBLICLY),
    )


def quotable_quote() -> ColumnElement:
    """Quote (joined with Reflection and Participant) that may be shown, approved or exported."""
    return and_(
        curatable_reflection(),
        Quote.status != "withdrawn",
        Quote.text.is_not(None),
        or_(not_(_grants(REVIEW_QUOTES)), Quote.participant_approved_revision == Quote.revision),
    )


def exportable_quote() -> ColumnElement:
    return and_(quotable_quote(), Quote.status == "approved")


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
