"""Facilitators' decisions on reflections: release to curation, or hold."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent
from roundtable.services import moderation


@pytest.mark.parametrize(("decision", "status"), [("release", "released"), ("hold", "held")])
def test_deciding_what_the_page_showed_decided_already_changes_and_records_nothing(make, decision, status):
    """QA r2-2: pressed again from a page opened afresh, the same decision moved its time to now, named whoever
    pressed as its maker and added an audit event each time. Here a colleague the roundtable went to presses it."""
    reflection = make.reflection(status="submitted")
    roundtable = reflection.participant.roundtable
    first = roundtable.facilitator
    moderation.decide(first, reflection, decision, read=moderation.read_mark(reflection))
    decided_at = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
    reflection.decided_at = decided_at
    colleague = make.user("facilitator")
    roundtable.facilitator_id = colleague.id
    db.session.commit()

    again = moderation.decide(colleague, reflection, decision, read=moderation.read_mark(reflection))
    db.session.commit()

    db.session.expire_all()
    assert (reflection.status, reflection.decided_at, reflection.decided_by_id) == (status, decided_at, first.id)
    assert [event.action for event in db.session.scalars(select(AuditEvent))].count(f"reflection.{status}") == 1
    assert again is False, "the page says it was so already"
