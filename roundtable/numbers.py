"""Numbers taken from a URL fit the database's integer columns, or they name nothing.

PostgreSQL refuses to compare an ``integer`` column with 99999999999999999999 (it raises instead of finding
no row), so such a number must never reach a query: in a path it does not match the route (404), in a query
string it counts as absent.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

LARGEST = 2**31 - 1  # PostgreSQL's ``integer``, the type of every id column


class RecordNumber(IntegerConverter):
    """Every ``<int:…>`` in the routes: a number beyond ``LARGEST`` does not match, nor one written with other digits
    than 0-9 ("١", "１", which Python reads as 1) or with leading zeros: each record has one address."""

    regex = r"0|[1-9][0-9]*"

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST)
        super().__init__(map, *args, **kwargs)


def number_arg(value: str) -> int:
    """``type=`` for ``request.args.get``: a whole number from 0 to ``LARGEST``, else the default."""
    number = int(value)
    if not 0 <= number <= LARGEST:
        raise ValueError(value)
    return number
