"""“Withdrawn after export”: a quote that left the platform in an export may no longer be used.

Its author withdrew or declined it, a facilitator held back its reflection, a sensitive word added
later found an identifying detail in it, an editor changed what is published of it (its words, translation,
attribution or language: they need a new approval), or its author asked to review quotes (it waits for their approval).
Editors need to pull it from materials made with that export.
A notice names the quote by its number (never by its words, which may be erased), why, the exports that
carried it and when. A notice is derived, not stored: an exported quote whose latest such event has no
acknowledgement after it, whatever became of the quote since (a declined quote edited again still owes
its notice). Acknowledging is an audit event, so it is recorded once for everyone and a later withdrawal
of the same quote raises a new notice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, not_, or_, select

from roundtable.db import constant, db, lock_rows
from roundtable.models import AuditEvent, Export, Quote, Reflection, User, export_quotes
from roundtable.services import audit
from roundtable.services.errors import Conflict, NotFound
from roundtable.services.pagination import Page, paginate

SOURCE_HELD = "quote.source_held"
DETAIL_FLAGGED = "quote.detail_flagged"
CHANGED = "quote.changed_after_export"
PUT_TO_AUTHOR = "quote.put_to_author_after_export"
WITHDRAWN_ACTIONS = ("quote.withdrawn", "quote.declined_by_participant", SOURCE_HELD, DETAIL_FLAGGED, CHANGED,
                     PUT_TO_AUTHOR)
ACKNOWLEDGED = "notice.acknowledged"


@dataclass(frozen=True)
class Notice:
    quote_id: int
    event_id: int  # the audit event behind it: an acknowledgement answers this one, not a later one unseen
    reason: str  # the latest of WITHDRAWN_ACTIONS
    withdrawn_at: datetime | None
    exports: tuple[Export, ...]  # those made before it was withdrawn: later ones did not carry it
    # Held back, then released again; put to its author, who approved the same words; or no longer holding the
    # detail a sensitive word found (an editor kept it, or the word was taken off the list): they may be used once more.
    usable_again: bool = False
    changed: tuple[str, ...] = ()  # ``CHANGED``: what of the quote (``audit.QUOTE_PARTS``); empty if not recorded


def exported(quote: Quote) -> bool:
    """Whether an export carried the quote: it is named by its number outside the platform."""
    carried = select(export_quotes.c.quote_id).where(export_quotes.c.quote_id == quote.id).limit(1)
    return db.session.scalar(carried) is not None


def pulled(quote: Quote, reason: str, *, actor, changed: tuple[str, ...] = ()) -> None:
    """An approved quote stopped being exportable without its author taking it back (``SOURCE_HELD``,
    ``DETAIL_FLAGGED``, ``CHANGED``, ``PUT_TO_AUTHOR``): if it left in an export, editors hear of it as of a
    withdrawal. ``changed``: for ``CHANGED``, what of it (``audit.QUOTE_PARTS``), which its notice names."""
    if quote.status == "approved" and quote.id is not None and exported(quote):
        audit.record(reason, actor=actor, target=quote, **_changed(changed))


def _changed(parts: tuple[str, ...]) -> dict:
    return {"changed": parts} if parts else {}


# Notices that say a quote may be used again once it is approved: true only while its words stay as exported.
_USABLE_AGAIN_ONCE_APPROVED = (PUT_TO_AUTHOR, SOURCE_HELD, DETAIL_FLAGGED)


def words_changed_while_pulled(quote: Quote, changed: tuple[str, ...], *, actor) -> None:
    """What an exported quote that is out of use publishes changed (``changed``, as for ``pulled``): a notice that
    would say "may be used again" once it is approved becomes "changed" (the export holds what is no longer
    approved); a "changed" notice still open names this change too. ``pulled`` covers an approved quote."""
    latest = db.session.execute(
        select(AuditEvent.id, AuditEvent.action, AuditEvent.detail)
        .where(AuditEvent.target_type == constant("quote"), AuditEvent.target_id == quote.id,
               AuditEvent.action.in_([constant(action) for action in (*WITHDRAWN_ACTIONS, ACKNOWLEDGED)]))
        .order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if latest is None:
        return
    if latest.action in _USABLE_AGAIN_ONCE_APPROVED:
        audit.record(CHANGED, actor=actor, target=quote, **_changed(changed))
    elif latest.action == CHANGED:  # not acknowledged since: its notice would name only what changed first
        named = audit.detail_text(latest.detail).get("changed", [])
        if named and not set(changed) <= set(named):
            audit.record(CHANGED, actor=actor, target=quote, **_changed((*named, *changed)))


def _latest(actions) -> select:
    return (
        select(func.max(AuditEvent.id))
        .where(AuditEvent.target_type == constant("quote"), AuditEvent.target_id == Quote.id,
               AuditEvent.action.in_([constant(action) for action in actions]))
        .correlate(Quote)
        .scalar_subquery()
    )


def _of_latest_withdrawal(column):
    """``column`` (the action, or when) of the quote's latest event of WITHDRAWN_ACTIONS."""
    return select(column).where(AuditEvent.id == _latest(WITHDRAWN_ACTIONS)).correlate(Quote).scalar_subquery()


def _open_condition():
    latest_withdrawal = _latest(WITHDRAWN_ACTIONS)
    latest_ack = _latest((ACKNOWLEDGED,))
    first_exported_at = (
        select(func.min(Export.created_at)).join(export_quotes, export_quotes.c.export_id == Export.id)
        .where(export_quotes.c.quote_id == Quote.id).correlate(Quote).scalar_subquery()
    )
    # Only the few quotes with such an event are looked at (through the index on the action): every editor page
    # counts these, and years of exported quotes each checked against the audit log took 150 ms.
    pulled_ever = (
        select(AuditEvent.target_id)
        .where(AuditEvent.action.in_([constant(action) for action in WITHDRAWN_ACTIONS]),
               AuditEvent.target_type == constant("quote"))
    )
    return and_(
        Quote.id.in_(pulled_ever),
        _of_latest_withdrawal(AuditEvent.created_at) > first_exported_at,  # a decline before it ever left (then approved) owes no notice
        func.coalesce(latest_ack, 0) < latest_withdrawal,
    )


def _usable_again():
    """Whether an open notice's quote may be used once more (``Notice.usable_again``), for a query joined to its
    reflection."""
    reason = _of_latest_withdrawal(AuditEvent.action)
    return and_(Quote.status == constant("approved"), or_(
        reason == constant(PUT_TO_AUTHOR),
        and_(reason == constant(SOURCE_HELD), Reflection.status == constant("released")),
        and_(reason == constant(DETAIL_FLAGGED), Quote.unresolved_findings == 0),
    ))


# Built once: every page an editor sees asks for this count, and building the statement costs more than running it.
_COUNT_OPEN = select(func.count()).select_from(Quote).where(_open_condition())


def count_open() -> int:
    return db.session.scalar(_COUNT_OPEN) or 0


def open_notices(page: int = 1, per_page: int = 25) -> Page:
    """One page of open notices, oldest quote first: three queries, however many notices there are."""
    found = paginate(
        select(Quote.id, _latest(WITHDRAWN_ACTIONS), _of_latest_withdrawal(AuditEvent.action),
               _of_latest_withdrawal(AuditEvent.created_at), _usable_again(), _of_latest_withdrawal(AuditEvent.detail))
        .join(Reflection, Reflection.id == Quote.reflection_id)
        .where(_open_condition()).order_by(Quote.id),
        page, per_page, scalars=False,
    )
    carried: dict[int, list[Export]] = {}
    quote_ids = [row[0] for row in found.items]
    for quote_id, export in db.session.execute(
        select(export_quotes.c.quote_id, Export)
        .join(Export, Export.id == export_quotes.c.export_id)
        .where(export_quotes.c.quote_id.in_(quote_ids))
        .order_by(Export.id)
    ):
        carried.setdefault(quote_id, []).append(export)
    return replace(found, items=[
        Notice(quote_id, event_id, reason, at,
               tuple(e for e in carried.get(quote_id, ()) if at is None or e.created_at <= at),
               usable_again=bool(usable_again), changed=tuple(audit.detail_text(detail).get("changed", ())))
        for quote_id, event_id, reason, at, usable_again, detail in found.items
    ])


def pulled_from(export_ids) -> dict[int, int]:
    """How many quotes of each of these exports have an open notice (of those it carried before they were
    pulled) and may no longer be used: materials made with it need mending. A quote that may be used again (its
    reflection released again, say) needs nothing mended, only its notice acknowledged. One query for a page of
    exports."""
    if not export_ids:
        return {}
    return dict(db.session.execute(
        select(export_quotes.c.export_id, func.count())
        .join(Quote, Quote.id == export_quotes.c.quote_id)
        .join(Export, Export.id == export_quotes.c.export_id)
        .join(Reflection, Reflection.id == Quote.reflection_id)
        .where(export_quotes.c.export_id.in_(export_ids), _open_condition(), not_(_usable_again()),
               Export.created_at <= _of_latest_withdrawal(AuditEvent.created_at))
        .group_by(export_quotes.c.export_id)
    ).all())


def acknowledge(editor: User, quote_id: int, seen: int | None) -> None:
    """``seen`` is the ``event_id`` of the notice the page showed."""
    done, changed = acknowledge_many(editor, {quote_id: seen})
    if changed:
        raise Conflict(_l("This notice changed after you opened the page. Read it again, then acknowledge it."))
    if not done:
        raise NotFound(_l("That notice was already acknowledged."))


def acknowledge_many(editor: User, shown: dict[int, int | None]) -> tuple[int, int]:
    """Acknowledge the notices a page showed (``{quote_id: event_id}``): each only while it is still the notice
    shown. A quote withdrawn again since ("may be used again" read, "taken back" now) stays open, as do notices
    acknowledged meanwhile, which are left alone. Returns how many were acknowledged, and how many changed since."""
    # Two sendings at once (a double click) take turns: the second reads the first's acknowledgements.
    lock_rows(Quote, Quote.id.in_(list(shown)))
    done = changed = 0
    for quote, latest in db.session.execute(
        select(Quote, _latest(WITHDRAWN_ACTIONS)).where(Quote.id.in_(list(shown)), _open_condition())
    ):
        if latest == shown[quote.id]:
            audit.record(ACKNOWLEDGED, actor=editor, target=quote)
            done += 1
        else:
            changed += 1
    db.session.flush()
    return done, changed
