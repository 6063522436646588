"""The turns authors' and staff's changes to many authors' words take, and the limits of an author's words."""

import threading

import pytest
from sqlalchemy import select

from roundtable.db import db
from roundtable.models import Participant
from roundtable.services import participation
from roundtable.services.errors import RuleViolation
from tests.conftest import second_waits_while_first_holds


def test_a_change_to_many_authors_words_waits_for_an_authors_change_then_reads_what_it_left(app, make):
    """A purge, a theme renamed or sensitive words saved (``take_turns``) wait for the change an author is making,
    on SQLite too (its one write lock, where PostgreSQL holds the authors' rows), then read what the author left."""
    roundtable = make.roundtable()
    author = make.participant(roundtable, language="fil")
    make.participant(roundtable)
    held, told, seen = threading.Event(), threading.Event(), []

    def authors_change():
        with app.app_context():
            mine = db.session.get(Participant, author.id)
            participation.take_turn(mine)
            held.set()
            told.wait(10)
            participation.choose_language(mine, "en")
            db.session.commit()

    def staffs_change():
        with app.app_context():
            held.wait(10)
            participation.take_turns(Participant.roundtable_id == roundtable.id)
            seen.append(db.session.scalar(select(Participant.language).where(Participant.id == author.id)))
            db.session.rollback()

    second_waits_while_first_holds(authors_change, staffs_change, held=held, told=told, seen=seen,
                                   why="the staff's change waits while the author's holds their row")
    assert seen == ["en"]


def test_words_over_the_limit_are_refused_saying_how_many_characters_they_have(make):
    """QA r1 #4: told only the limit, the author had to guess how much to cut."""
    author = make.participant()
    with pytest.raises(RuleViolation) as refused:
        participation.save_reflection(author, author.roundtable.prompts[0], text="Katarungan. " * 900, language="fil",
                                      submit=False, idempotency_key="too-long")
    assert str(refused.value) == "You wrote 10,800 characters; use at most 10,000."
