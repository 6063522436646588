"""Exports: exactly the quotes the one rule allows at this moment, recorded with their ids."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from roundtable.db import db
from roundtable.models import Export, Participant, Quote, Reflection, Theme, User, export_quotes
from roundtable.models.quotes import EXPORT_FORMATS
from roundtable.services import audit, consent
from roundtable.services.errors import RuleViolation
from roundtable.services.export_formats import ExportRow

BATCH = 500


@dataclass(frozen=True)
class QuoteFilters:
    roundtable_id: int | None = None
    theme_id: int | None = None
    language: str | None = None


def exportable_ids(filters: QuoteFilters) -> list[int]:
    # Besides the one rule: no identifying detail may be undecided. approve() refuses such a quote; this
    # also catches a sensitive word added to the roundtable after approval.
    query = consent.quotes_with_authors().where(consent.exportable_quote(), Quote.unresolved_findings == 0)
    if filters.roundtable_id:
        query = query.where(Participant.roundtable_id == filters.roundtable_id)
    if filters.language:
        query = query.where(Quote.language == filters.language)
    if filters.theme_id:
        query = query.where(Quote.themes.any(Theme.id == filters.theme_id))
    return list(db.session.scalars(query.with_only_columns(Quote.id).order_by(Quote.id)))


def record(editor: User, fmt: str, quote_ids: list[int]) -> Export:
    """Write down who exported which quotes, before a single byte leaves the server."""
    if fmt not in EXPORT_FORMATS:
        raise RuleViolation(_l("Choose CSV, JSON, Word or Excel."))
    export = Export(user_id=editor.id, format=fmt, quote_count=len(quote_ids))
    db.session.add(export)
    db.session.flush()
    if quote_ids:
        db.session.execute(export_quotes.insert(), [{"export_id": export.id, "quote_id": q} for q in quote_ids])
    audit.record("export.created", actor=editor, target=export)
    return export


def rows(quote_ids: list[int], language: str) -> Iterator[ExportRow]:
    """Rows for the file, read in batches so a large export never sits in memory twice."""
    for start in range(0, len(quote_ids), BATCH):
        batch = quote_ids[start : start + BATCH]
        quotes = db.session.scalars(
            select(Quote)
            .where(Quote.id.in_(batch))
            .order_by(Quote.id)
            .options(
                selectinload(Quote.themes),
                # The reflection only leads to its author: its own words are never read (nor decrypted) here.
                selectinload(Quote.reflection)
                .load_only(Reflection.id, Reflection.participant_id)
                .selectinload(Reflection.participant)
                .selectinload(Participant.roundtable),
            )
        ).all()
        for quote in quotes:
            participant = quote.reflection.participant
            yield ExportRow(
                quote_id=quote.id,
                text=quote.text or "",
                language=quote.language,
                translation=quote.translation,
                translation_language=quote.translation_language,
                pseudonym=participant.pseudonym,
                descriptor=quote.descriptor,
                roundtable=participant.roundtable.title(language),
                date=(quote.approved_at or quote.updated_at).date(),
                themes=tuple(theme.name(language) for theme in quote.themes),
            )
        # Forget this batch (a reflection may carry several quotes); authors, roundtables, themes and the
        # signed-in user stay.
        for record in {*quotes, *(quote.reflection for quote in quotes)}:
            if record in db.session:
                db.session.expunge(record)


def exports_of_quote(quote_id: int) -> list[Export]:
    return list(
        db.session.scalars(
            select(Export).join(export_quotes).where(export_quotes.c.quote_id == quote_id).order_by(Export.id)
        )
    )
