"""Exports: exactly the quotes the one rule allows at this moment, recorded with their ids."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, literal, select

from roundtable import clock
from roundtable.db import db, utcnow
from roundtable.models import (
    Export, Participant, Quote, Reflection, Roundtable, Theme, User, export_quotes, quote_themes,
)
from roundtable.models.quotes import EXPORT_FORMATS
from roundtable.services import audit, consent, notices, sent_forms
from roundtable.services.errors import NotFound, RuleViolation
from roundtable.services.export_formats import ExportRow
from roundtable.services.pagination import Page, paginate

BATCH = 1000  # rows fetched from the database at a time while streaming


@dataclass(frozen=True)
class QuoteFilters:
    roundtable_id: int | None = None
    theme_id: int | None = None
    language: str | None = None


def _still_exportable():
    # Besides the one rule: no identifying detail may be undecided. approve() refuses such a quote; this
    # also catches a sensitive word added to the roundtable after approval.
    return and_(consent.exportable_quote(), Quote.unresolved_findings == 0)


def _exportable(filters: QuoteFilters):
    query = consent.quotes_with_authors().where(_still_exportable())
    if filters.roundtable_id:
        query = query.where(Participant.roundtable_id == filters.roundtable_id)
    if filters.language:
        query = query.where(Quote.language == filters.language)
    if filters.theme_id:
        query = query.where(Quote.themes.any(Theme.id == filters.theme_id))
    return query


def exportable_ids(filters: QuoteFilters) -> list[int]:
    return list(db.session.scalars(_exportable(filters).with_only_columns(Quote.id).order_by(Quote.id)))


_NOTHING_MATCHES = _l("No approved quote matches these choices, so nothing was exported. "
                      "Choose other filters, or approve quotes first.")


def record(editor: User, fmt: str, filters: QuoteFilters) -> Export:
    """Write down who exported which quotes. The caller commits it once the file is built, and always before a
    single byte leaves the server (see ``editor.views._built``).

    The quotes are chosen and recorded in one ``INSERT … SELECT``, so the file can hold only what was
    recorded, and thousands of ids never travel to Python and back.
    """
    if fmt not in EXPORT_FORMATS:
        raise RuleViolation(_l("Choose CSV, JSON, Word or Excel."))
    if not db.session.scalar(select(_exportable(filters).exists())):
        raise RuleViolation(_NOTHING_MATCHES)  # asked before the row is made: a refusal takes no export number
    export = Export(user_id=editor.id, format=fmt, quote_count=0)
    db.session.add(export)
    db.session.flush()
    chosen = _exportable(filters).with_only_columns(literal(export.id), Quote.id)
    db.session.execute(export_quotes.insert().from_select(["export_id", "quote_id"], chosen))
    # Counted, not taken from rowcount: drivers do not all report it for INSERT … SELECT.
    export.quote_count = db.session.scalar(
        select(func.count()).select_from(export_quotes).where(export_quotes.c.export_id == export.id)
    )
    if not export.quote_count:  # taken back meanwhile: an empty file would only look like an export that failed
        raise RuleViolation(_NOTHING_MATCHES)
    audit.record("export.created", actor=editor, target=export)
    return export


@dataclass(frozen=True)
class PastExport:
    id: int
    format: str
    quote_count: int
    created_at: datetime
    made_by: str  # the editor's username
    pulled: int  # how many of its quotes have a notice still open ("Withdrawn after export")


def past(number: int = 1, per_page: int = 25) -> Page:
    """Every export, newest first: when, which format, how many quotes, who made it, and how many of its quotes
    have a notice still open (two queries for the page, and one to count). Never a file again: a new export leaves
    out words taken back since."""
    found = paginate(
        select(Export.id, Export.format, Export.quote_count, Export.created_at, User.username)
        .join(User, User.id == Export.user_id).order_by(Export.id.desc()),
        number, per_page, scalars=False,
    )
    pulled = notices.pulled_from([row.id for row in found.items])
    return replace(found, items=[PastExport(*row, pulled=pulled.get(row.id, 0)) for row in found.items])


def own_recent(editor: User, export_id: int) -> Export:
    """An export this editor made within the last day, to download again (a second sending of the form)."""
    found = db.session.get(Export, export_id)
    if found is None or found.user_id != editor.id or found.created_at < utcnow() - sent_forms.KEPT_FOR:
        raise NotFound(_l("That export is not available."))
    return found


def rows(export: Export, language: str) -> Iterator[ExportRow]:
    """The recorded quotes of ``export`` that the rule still allows, as rows for the file, streamed in batches.

    Read again at download: words taken back since the export was recorded (a moment ago, or before a second
    download of it) are left out of the file; the record still lists them, so their withdrawal raises a notice.

    Plain columns, not ORM objects: nothing is kept in the session, so a large export never sits in
    memory twice. Each batch is a query of its own (after the last id of the one before), not one cursor held open:
    the record is committed while a streamed file is being read (after its first piece), which would close it.
    The reflection only leads to the author; its own words are never read (nor decrypted).
    """
    theme_name = Theme.name_column(language)
    themes_of: dict[int, list[str]] = {}
    for quote_id, name in db.session.execute(
        select(quote_themes.c.quote_id, theme_name)
        .join(Theme, Theme.id == quote_themes.c.theme_id)
        .join(export_quotes, export_quotes.c.quote_id == quote_themes.c.quote_id)
        .where(export_quotes.c.export_id == export.id)
        .order_by(Theme.sort_column(language), Theme.id)  # alphabetical in the file's language
    ):
        themes_of.setdefault(quote_id, []).append(name)
    title = Roundtable.title_fil if language == "fil" else Roundtable.title_en
    zone = clock.zone()  # once, not once per row
    batch_after = (
        select(
            Quote.id, Quote.text, Quote.language, Quote.translation, Quote.translation_language, Quote.descriptor,
            Quote.approved_at, Quote.updated_at, Participant.pseudonym, title,
        )
        .join(export_quotes, export_quotes.c.quote_id == Quote.id)
        .join(Reflection, Quote.reflection_id == Reflection.id)
        .join(Participant, Reflection.participant_id == Participant.id)
        .join(Roundtable, Participant.roundtable_id == Roundtable.id)
        .where(export_quotes.c.export_id == export.id, _still_exportable())
        .order_by(Quote.id)
        .limit(BATCH)
    )
    last_id = 0
    while True:
        batch = db.session.execute(batch_after.where(Quote.id > last_id)).all()
        for quote_id, text, quote_language, translation, translation_language, descriptor, approved_at, updated_at, \
                pseudonym, roundtable in batch:
            yield ExportRow(
                quote_id=quote_id,
                text=text or "",
                language=quote_language,
                translation=translation,
                translation_language=translation_language,
                pseudonym=pseudonym,
                descriptor=descriptor,
                roundtable=roundtable,
                date=clock.local_date(approved_at or updated_at, zone),
                themes=tuple(themes_of.get(quote_id, ())),
            )
        if len(batch) < BATCH:
            return
        last_id = batch[-1][0]
