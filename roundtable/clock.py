"""The organisation's clock.

Times are stored in UTC. The organisation's time zone (``ROUNDTABLE_TIME_ZONE``, Asia/Manila unless set) says
which day it is, for retention dates and the audit log's day filters, and how staff pages show times: a
server keeping UTC would otherwise end a Philippine day at 8 in the morning.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone, tzinfo

from flask_babel import get_timezone


def today() -> date:
    return local_date(datetime.now(timezone.utc))


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the organisation's time zone, in UTC."""
    return _in_utc(datetime.combine(day, time.min))


def day_end(day: date) -> datetime:
    """The last moment (to the microsecond) of ``day`` in the organisation's time zone, in UTC."""
    return _in_utc(datetime.combine(day, time.max))


def _in_utc(wall_clock: datetime) -> datetime:
    try:
        return get_timezone().localize(wall_clock).astimezone(timezone.utc)
    except OverflowError:  # the first or last day Python knows, moved across midnight by the zone
        return wall_clock.replace(tzinfo=timezone.utc)


def local_date(moment: datetime, zone: tzinfo | None = None) -> date:
    """The organisation's day of a moment; pass ``zone()`` when converting many."""
    return moment.astimezone(zone or get_timezone()).date()


def zone() -> tzinfo:
    return get_timezone()
