"""One way to page through any list: a bounded count query and a LIMIT/OFFSET query, whatever the size.

Counting every matching row of a table that holds years of data costs more than showing the page, on
every page view. The count therefore stops LOOKAHEAD_PAGES pages past the current one: beyond that the
pager says "Page 3 of more than 7" and still offers Next.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

from sqlalchemy import Select, func, literal_column, select

from roundtable.db import constant, db

T = TypeVar("T")

# Staff rarely go more than a few pages forward; they narrow a list with its filters. Each page counted
# ahead costs a consent-rule check per row, on every view.
LOOKAHEAD_PAGES = 4


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int
    total_is_exact: bool = True  # False: there are more than ``total`` rows (the count stopped early)
    looked_through_all: bool = True  # False: words were looked for in only the newest rows (``curation.SEARCHED_ROWS``)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages or not self.total_is_exact


def paginate(query: Select, number: int, per_page: int, *, scalars: bool = True) -> Page:
    number = max(1, number)
    bound = (number + LOOKAHEAD_PAGES) * per_page
    # Count bare rows: the page's own columns (encrypted words among them) are not needed to count.
    counting = query.with_only_columns(literal_column("1"), maintain_column_froms=True).order_by(None)
    counted = db.session.scalar(select(func.count()).select_from(counting.limit(constant(bound + 1)).subquery())) or 0
    limited = query.limit(constant(per_page)).offset(constant((number - 1) * per_page))
    items = db.session.scalars(limited).all() if scalars else db.session.execute(limited).all()
    return Page(items=items, number=number, per_page=per_page, total=min(counted, bound),
                total_is_exact=counted <= bound)
