"""Staff lists read plain rows: a page of 25 quotes or reflections needs no ORM objects.

Each list's query (with the consent rule's conditions) is built by its own service; here its
columns are narrowed to what a list row shows, counted and paged, and the page's themes are
read in one more query. Loading the same rows as ORM objects cost about an eighth of a list page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Mapping, Sequence

from sqlalchemy import Select, select

from roundtable.db import db
from roundtable.models import Participant, Prompt, Quote, Reflection, Theme, quote_themes
from roundtable.services.pagination import Page, paginate


@dataclass(frozen=True)
class QuoteListItem:
    id: int
    status: str
    language: str
    text: str | None
    translation: str | None
    translation_language: str | None
    descriptor: str
    participant_id: int
    pseudonym: str
    unresolved_findings: int  # an approved quote with one is held back from exports
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class ReflectionListItem:
    id: int
    status: str
    language: str
    text: str | None
    participant_id: int
    pseudonym: str
    prompt: Mapping[str, str]  # text_en and text_fil, for the bilingual macro
    changed_after_decision: bool
    roundtable_id: int  # two roundtables may ask the same and have an author of the same pseudonym


_QUOTE_COLUMNS = (Quote.id, Quote.status, Quote.language, Quote.text, Quote.translation, Quote.translation_language,
                  Quote.descriptor, Participant.id, Participant.pseudonym, Quote.unresolved_findings)


def page_of_quotes(query: Select, number: int, per_page: int) -> Page:
    """``query`` selects quotes joined to their reflection and author; newest first."""
    found = paginate(_quote_rows(query), number, per_page, scalars=False)
    return replace(found, items=_quote_items(found.items))


def page_of_quotes_among(query: Select, ids: Sequence[int], number: int, per_page: int, *,
                         looked_through_all: bool = True) -> Page:
    """A page of the quotes ``ids`` (every one the list holds, newest first) that ``query`` selects."""
    return _page_among(_quote_rows(query), Quote.id, ids, number, per_page, _quote_items, looked_through_all)


def _quote_rows(query: Select) -> Select:
    return query.with_only_columns(*_QUOTE_COLUMNS).order_by(Quote.id.desc())


def _page_among(rows: Select, id_column, ids: Sequence[int], number: int, per_page: int,
                items: Callable[[Sequence], list], looked_through_all: bool) -> Page:
    """A page of the rows ``ids`` that ``rows`` selects, in the order of ``ids``: a list whose rows were chosen
    outside the database (words looked for in encrypted text)."""
    number = max(1, number)
    chosen = ids[(number - 1) * per_page:number * per_page]
    found = db.session.execute(rows.where(id_column.in_(chosen))).all() if chosen else []
    return Page(items=items(found), number=number, per_page=per_page, total=len(ids),
                looked_through_all=looked_through_all)


def _quote_items(rows) -> list[QuoteListItem]:
    """The rows of a page, each with its themes (read in one query)."""
    themes_of: dict[int, list[Theme]] = {}
    for quote_id, theme in db.session.execute(
        select(quote_themes.c.quote_id, Theme)
        .join(Theme, Theme.id == quote_themes.c.theme_id)
        .where(quote_themes.c.quote_id.in_([row[0] for row in rows]))
        .order_by(Theme.name_en)
    ):
        themes_of.setdefault(quote_id, []).append(theme)
    return [QuoteListItem(*row, themes=tuple(themes_of.get(row[0], ()))) for row in rows]


# The reflections' list order: the last shared first (a draft shared late, or words changed and shared again after
# a decision, come to the top, not back to where they were written).
REFLECTION_ORDER = (Reflection.submitted_at.desc(), Reflection.id.desc())


def page_of_reflections(query: Select, number: int, per_page: int) -> Page:
    """``query`` selects reflections joined to their author; in ``REFLECTION_ORDER``."""
    found = paginate(_reflection_rows(query), number, per_page, scalars=False)
    return replace(found, items=_reflection_items(found.items))


def page_of_reflections_among(query: Select, ids: Sequence[int], number: int, per_page: int, *,
                              looked_through_all: bool = True) -> Page:
    """A page of the reflections ``ids`` (every one the list holds, in ``REFLECTION_ORDER``) that ``query``
    selects."""
    return _page_among(_reflection_rows(query), Reflection.id, ids, number, per_page, _reflection_items,
                       looked_through_all)


def _reflection_rows(query: Select) -> Select:
    return query.join(Prompt, Prompt.id == Reflection.prompt_id).with_only_columns(
        Reflection.id, Reflection.status, Reflection.language, Reflection.text, Participant.id,
        Participant.pseudonym, Prompt.text_en, Prompt.text_fil, Reflection.changed_after_decision,
        Participant.roundtable_id,
    ).order_by(*REFLECTION_ORDER)


def _reflection_items(rows) -> list[ReflectionListItem]:
    return [
        ReflectionListItem(*row[:6], prompt={"text_en": row.text_en, "text_fil": row.text_fil},
                           changed_after_decision=bool(row[8]), roundtable_id=row.roundtable_id)
        for row in rows
    ]
