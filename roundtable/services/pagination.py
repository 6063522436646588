"""One way to page through any list: a count query and a LIMIT/OFFSET query, whatever the size."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

from sqlalchemy import Select, func, select

from roundtable.db import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(query: Select, number: int, per_page: int, *, scalars: bool = True) -> Page:
    number = max(1, number)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    limited = query.limit(per_page).offset((number - 1) * per_page)
    items = db.session.scalars(limited).all() if scalars else db.session.execute(limited).all()
    return Page(items=items, number=number, per_page=per_page, total=total)
