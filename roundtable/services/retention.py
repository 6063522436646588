"""Retention: words are erased once their roundtable's retention date has passed.

The one exception is a reflection that backs a quote the consent rule still allows to be
exported (approved, and its author's current consent still allows it): that published quote
keeps its source, and nothing else of it stays (its other quotes are withdrawn and emptied, a
facilitator's note is erased, and curation makes nothing new of it). Everything else of the
roundtable is erased and marked ``purged``; quotes of erased reflections are withdrawn and
emptied. One audit event per roundtable. Then what was made from what its participants typed goes
with their words (``erase_what_outlives_the_words``): an author with nothing left keeps no pseudonym
and no passphrase digest; one whose words back a published quote keeps both, to be printed with it
and to withdraw it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, literal, or_, select, update

from roundtable import clock
from roundtable.db import constant, db, lock_row
from roundtable.models import AuditEvent, Participant, Quote, Reflection, Roundtable
from roundtable.services import audit, consent, participation, withdrawal
from roundtable.services.pagination import Page, paginate


#: "Erase now" on the Retention page erases whole roundtables, oldest date first, until this many reflections are
#: erased; the rest waits for the next press or the daily run. A backlog of years would otherwise outlast the
#: request (gunicorn's timeout) and, rolled back, erase nothing. The daily run has no such limit.
ERASE_NOW_AT_MOST = 10_000
_BATCH = 500  # reflections loaded, with their quotes, per round trip


@dataclass(frozen=True)
class PurgePlan:
    roundtable: Roundtable
    reflection_ids: tuple[int, ...]
    kept_ids: tuple[int, ...]


def _exportable_quotes() -> Select:
    """Quotes an export still holds (the consent rule lets them out, and no identifying detail waits for a
    decision, which past retention can no longer be made): retention keeps what they were made from, and
    nothing more of it."""
    return consent.quotes_with_authors().where(consent.exportable_quote(), Quote.unresolved_findings == 0)


def _behind_exportable_quote() -> ColumnElement:
    """The reflection backs a quote the consent rule still lets out: retention keeps it. The one place where a
    purge, and the count of what waits for one, decide this."""
    return Reflection.id.in_(_exportable_quotes().with_only_columns(Quote.reflection_id).correlate(None))


def _with_more_than_its_source() -> ColumnElement:
    """A kept reflection that still holds more than the published quote needs: a facilitator's note, or a quote
    (a draft, one waiting for its author, a withdrawn one's words) that may not be exported."""
    return or_(
        Reflection.moderator_note.is_not(None),
        Reflection.id.in_(
            select(Quote.reflection_id).where(
                Quote.text.is_not(None), Quote.id.not_in(_exportable_quotes().with_only_columns(Quote.id))
            ).correlate(None)
        ),
    )


def _holds_words() -> ColumnElement:
    """Not erased yet: by a purge, or by its author ("erase my words now"), which leaves nothing to count."""
    return and_(Reflection.status != constant("purged"),
                or_(Reflection.text.is_not(None), Reflection.moderator_note.is_not(None)))


def plan(roundtable: Roundtable) -> PurgePlan:
    rows = db.session.execute(
        select(Reflection.id, _behind_exportable_quote())
        .join(Participant, Reflection.participant_id == Participant.id)
        .where(Participant.roundtable_id == roundtable.id, _holds_words())
        .order_by(Reflection.id)
    ).all()
    return PurgePlan(
        roundtable,
        tuple(reflection_id for reflection_id, kept in rows if not kept),
        tuple(reflection_id for reflection_id, kept in rows if kept),
    )


def due_roundtables(today: date | None = None) -> list[Roundtable]:
    """The roundtables past their retention date that still have words to erase, oldest date first: those
    ``waiting`` lists (whose words are all erased or kept cost nothing)."""
    ids = list(db.session.scalars(_waiting(today or clock.today()).with_only_columns(Roundtable.id)))
    if not ids:
        return []
    return list(db.session.scalars(
        select(Roundtable).where(Roundtable.id.in_(ids)).order_by(Roundtable.retention_until, Roundtable.id)
    ))


def due(today: date | None = None) -> list[PurgePlan]:
    """One plan per roundtable past its retention date that still has words to erase, oldest date first."""
    return list(map(plan, due_roundtables(today)))


def purge_if_due(roundtable: Roundtable, today: date | None = None, *, actor=None) -> PurgePlan | None:
    """Erase one roundtable's words, if they still wait: two runs ("Erase now" pressed twice, or with the daily
    run) take turns on the roundtable, and the second finds nothing left, erases and records nothing (None).

    Its participants are waited for first (``participation.take_turns``)."""
    participation.take_turns(Participant.roundtable_id == roundtable.id)
    lock_row(Roundtable, roundtable.id)
    still = _waiting(today or clock.today()).where(Roundtable.id == roundtable.id).with_only_columns(Roundtable.id)
    if db.session.scalar(still) is None:
        return None
    item = plan(roundtable)
    purge(item, actor=actor)
    return item


def purge(item: PurgePlan, *, actor=None) -> None:
    """Erase one roundtable's words as planned, loading reflections and their quotes a batch at a time."""
    with db.session.no_autoflush:  # the erasures are written together at each batch's flush
        for reflection, quotes in _with_their_quotes(item.reflection_ids):
            withdrawal.take_back(reflection, actor=None, status="purged", quotes=quotes)
        if item.kept_ids:
            exportable = set(db.session.scalars(
                _exportable_quotes().where(Participant.roundtable_id == item.roundtable.id).with_only_columns(Quote.id)
            ))
        for reflection, quotes in _with_their_quotes(item.kept_ids):
            reflection.moderator_note = None
            for quote in quotes:
                if quote.id not in exportable:
                    withdrawal.withdraw_quote(quote, actor=None)
                    withdrawal.erase_quote(quote)
    # The words that could point to someone here go with the words they protected: every quote still kept has
    # a decision on each detail they found.
    item.roundtable.sensitive_terms = None
    audit.record("retention.purged", actor=actor, target=item.roundtable)
    db.session.flush()


def erase_what_outlives_the_words(today: date | None = None) -> None:
    """Past its roundtable's retention date nothing made from what a participant typed, or was given to type,
    outlives their words.

    Once none of their words are left (a purge erased them, they did, or they wrote nothing), their pseudonym and the
    keyed digest of their passphrase go: the passphrase opens nothing, and /return answers it as it answers any
    passphrase it does not know, with a message that says words are erased on their roundtable's retention date.
    A reflection kept behind a published quote keeps its author's pseudonym, which the quote is printed with, and
    their passphrase, with which they can still withdraw the quote. For everyone, the digest of their join's key
    (from which their passphrase was drawn) goes; a mark in its place still says that join was never finished. The
    page keys of erased reflections go too: the roundtable takes no words any more, so no page saves into them.
    ("#" is in no pseudonym and no digest, so no mark meets one.) A roundtable with no words left is never due for
    a purge: this looks at every roundtable past its date."""
    past = Participant.roundtable_id.in_(
        select(Roundtable.id).where(Roundtable.retention_until < (today or clock.today())).correlate(None)
    )
    words_left = select(Reflection.id).where(Reflection.participant_id == Participant.id, Reflection.text.is_not(None))
    mark = literal("#") + cast(Participant.id, String)
    db.session.execute(
        update(Participant)
        .where(past, or_(Participant.pseudonym != "", Participant.passphrase_digest != mark), ~words_left.exists())
        .values(pseudonym="", pseudonym_key=mark, passphrase_digest=mark)
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(
        update(Participant)
        .where(past, Participant.join_key_digest != mark)
        .values(join_key_digest=mark)
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(
        update(Reflection)
        .where(Reflection.participant_id.in_(select(Participant.id).where(past)), Reflection.text.is_(None),
               Reflection.idempotency_key.is_not(None))
        .values(idempotency_key=None)
        .execution_options(synchronize_session="fetch")
    )


def _with_their_quotes(ids: tuple[int, ...]) -> Iterator[tuple[Reflection, list[Quote]]]:
    """Reflections with their quotes, loaded a batch at a time; what changed is written at each batch's end."""
    for start in range(0, len(ids), _BATCH):
        batch = ids[start:start + _BATCH]
        quotes = withdrawal.quotes_of_reflections(batch)
        for reflection in db.session.scalars(select(Reflection).where(Reflection.id.in_(batch))):
            yield reflection, quotes[reflection.id]
        db.session.flush()


def purge_expired(today: date | None = None, *, actor=None, at_most: int | None = None) -> list[PurgePlan]:
    """Erase what is past retention (``due`` says what would go), then what outlives the words there (pseudonyms
    and passphrase digests of authors with nothing left, join keys' digests, erased reflections' page keys: see
    ``erase_what_outlives_the_words``, which says what is kept and why). Safe to run again. ``actor`` is the
    administrator who asked for it; the daily run from cron is the system. With ``at_most``, whole roundtables
    are erased until that many reflections are; the rest is left for the next run."""
    today = today or clock.today()
    erased: list[PurgePlan] = []
    for roundtable in due_roundtables(today):
        if at_most is not None and sum(len(done.reflection_ids) for done in erased) >= at_most:
            break
        if (item := purge_if_due(roundtable, today, actor=actor)) is not None:
            erased.append(item)
    erase_what_outlives_the_words(today)
    return erased


def waiting(today: date, number: int = 1, per_page: int = 25) -> Page:
    """Roundtables past their retention date whose words are not all erased yet, oldest date first: what the
    next purge will do. Each row has ``to_erase`` and ``kept`` (behind a quote that may still be exported),
    in one grouped query whatever the number of roundtables."""
    return paginate(_waiting(today), number, per_page, scalars=False)


def _waiting(today: date) -> Select:
    behind_exportable_quote = _behind_exportable_quote()
    to_erase = func.sum(case((behind_exportable_quote, 0), else_=1))
    kept_with_more = func.sum(case((and_(behind_exportable_quote, _with_more_than_its_source()), 1), else_=0))
    return (
        select(Roundtable.id, Roundtable.title_en, Roundtable.title_fil, Roundtable.join_code,
               Roundtable.retention_until, to_erase.label("to_erase"),
               func.sum(case((behind_exportable_quote, 1), else_=0)).label("kept"))
        .join(Participant, Participant.roundtable_id == Roundtable.id)
        .join(Reflection, Reflection.participant_id == Participant.id)
        .where(Roundtable.retention_until < today, _holds_words())
        .group_by(Roundtable.id, Roundtable.title_en, Roundtable.title_fil, Roundtable.join_code,
                  Roundtable.retention_until)
        .having(or_(to_erase > 0, kept_with_more > 0))
        .order_by(Roundtable.retention_until, Roundtable.id)
    )


def upcoming(today: date, *, limit: int = 10) -> list[Roundtable]:
    """The next roundtables to reach their retention date (today included)."""
    return list(db.session.scalars(
        select(Roundtable).where(Roundtable.retention_until >= today)
        .order_by(Roundtable.retention_until, Roundtable.id).limit(constant(limit))
    ))


def last_erasure() -> AuditEvent | None:
    newest = select(AuditEvent).where(AuditEvent.action == constant("retention.purged"))
    return db.session.scalar(newest.order_by(AuditEvent.id.desc()).limit(1))
