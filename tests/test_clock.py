"""The organisation's clock: which day it is, and where a day starts and ends, follow its time zone, not the
server's. Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart, so their dates always differ."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from roundtable import clock
from roundtable.db import db
from roundtable.services import retention

AHEAD, BEHIND = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def _on_clock_of(app, monkeypatch, zone: str):
    monkeypatch.setitem(app.config, "TIME_ZONE", zone)
    return app.app_context()  # a new context: Flask-Babel keeps a context's zone once asked


def test_today_is_the_day_in_the_organisations_time_zone(app, monkeypatch):
    with _on_clock_of(app, monkeypatch, AHEAD):
        ahead = clock.today()
        assert ahead == datetime.now(timezone(timedelta(hours=14))).date()
    with _on_clock_of(app, monkeypatch, BEHIND):
        assert clock.today() == datetime.now(timezone(timedelta(hours=-11))).date() < ahead


def test_a_day_starts_and_ends_on_the_organisations_clock(app):
    with app.app_context():  # Asia/Manila: 8 hours ahead of UTC
        assert clock.day_start(date(2026, 12, 3)) == datetime(2026, 12, 2, 16, tzinfo=timezone.utc)
        assert clock.day_end(date(2026, 12, 3)) == datetime(2026, 12, 3, 15, 59, 59, 999_999, tzinfo=timezone.utc)
        assert clock.local_date(datetime(2026, 12, 3, 17, tzinfo=timezone.utc)) == date(2026, 12, 4)


@pytest.mark.parametrize("zone", [AHEAD, BEHIND])
def test_the_first_and_last_days_python_knows_do_not_overflow(app, monkeypatch, zone):
    with _on_clock_of(app, monkeypatch, zone):
        assert clock.day_start(date.min) <= clock.day_end(date.min) < clock.day_end(date.max)


def test_words_wait_for_erasure_once_their_date_has_passed_on_the_organisations_clock(app, make, monkeypatch):
    roundtable = make.reflection().participant.roundtable
    with _on_clock_of(app, monkeypatch, AHEAD):
        roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    with _on_clock_of(app, monkeypatch, BEHIND):
        assert retention.waiting(clock.today()).total == 0, "there, the retention date has not passed yet"
        assert retention.due() == []
    with _on_clock_of(app, monkeypatch, AHEAD):
        assert [item.roundtable.id for item in retention.due()] == [roundtable.id]


def test_every_day_and_time_shown_or_compared_goes_through_the_organisations_clock():
    """The server's own day (``date.today()``) and hand-formatted times (``strftime`` in a template) would
    bring back the UTC day; this covers tomorrow's code as the tests above cover today's."""
    package = Path(clock.__file__).parent
    server_days = [f"{source.relative_to(package.parent)}" for source in package.rglob("*.py")
                   if "date.today()" in source.read_text(encoding="utf-8")]
    formatted = [f"{page.relative_to(package.parent)}" for page in (package.parent / "templates").rglob("*.html")
                 if "strftime" in page.read_text(encoding="utf-8")]
    assert server_days == [] and formatted == [], (server_days, formatted)
