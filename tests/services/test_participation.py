"""The turns authors' and staff's changes to many authors' words take, the limits of an author's words, and the
pseudonyms a roundtable refuses as another's."""

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


@pytest.mark.parametrize("pseudonym", [
    "Bitu\u0131n",  # a dotless ı
    "T\u0251la Dagat",  # a Latin alpha
    "\u01c0log Daan",  # a dental click, an I to the eye
    "Ka\u017fe",  # a long s, an f to the eye
    "\ufb01lo",  # the ligature fi
    "Stra\u00dfe",
])
def test_a_latin_letter_other_than_a_to_z_with_or_without_accents_is_refused(make, pseudonym):
    """QA r4 #1: "Bituın" and "Tɑla Dagat" were taken beside "Bituin" and "Tala Dagat", two people who read as one."""
    with pytest.raises(RuleViolation) as refused:
        participation.check_pseudonym(make.roundtable(), pseudonym)
    assert str(refused.value).startswith("Use only the letters a to z, with or without accents (such as é or ñ),")


@pytest.mark.parametrize("pseudonym", ["Niña", "Ulap Büghaw", "Ng\u0303 Bayan", "Ẽlay", "Çelo Å"])
def test_letters_with_accents_and_the_old_filipino_g_are_fine(make, pseudonym):
    assert participation.check_pseudonym(make.roundtable(), pseudonym) == pseudonym


def test_no_character_a_pseudonym_may_have_is_more_than_one_when_compared():
    """So a pseudonym's key is never longer than the pseudonym: both fit in the same 40 characters."""
    written = [chr(code) for code in range(0x10000) if participation._written_plainly(chr(code))]
    assert "ñ" in written and "ß" not in written
    assert [character for character in written if len(participation._pseudonym_key(character)) > 1] == []


@pytest.mark.parametrize("pseudonym", ["--", "...", "' '", "A.", "- 7"])
def test_a_pseudonym_needs_two_letters_or_numbers(make, pseudonym):
    """QA r5 4: "--", "..." and "' '" were taken, each one key with nothing in it: the second of them in a roundtable
    was told it was "already in use", and a quote would be printed beside no name at all."""
    with pytest.raises(RuleViolation, match="with at least 2 letters or numbers"):
        participation.check_pseudonym(make.roundtable(), pseudonym)
    assert participation.check_pseudonym(make.roundtable(), "Jo") == "Jo"


@pytest.mark.parametrize(("taken", "alike"), [
    ("Bituin", "Bituin."), ("Bituin", "Bituin'"), ("Bituin", "Bitu-in"), ("Tala Dagat", "Tala-Dagat"),
    ("Tala Dagat", "Tala Dagat'"), ("Tala Dagat", "TalaDagat"), ("Ma. Lourdes", "Ma Lourdes"),
    ("'Nay Lita", "Nay Lita"),
])
def test_a_pseudonym_taken_but_for_full_stops_apostrophes_hyphens_or_spaces_is_taken(make, taken, alike):
    """QA r4 #1: "Bituin., survivor leader" in an export reads as Bituin's words."""
    roundtable = make.roundtable()
    participation.join(roundtable, language="en", pseudonym=taken, granted={"take_part", "store_words"},
                       adult_confirmed=True, said_made_up=taken)
    with pytest.raises(RuleViolation, match="already uses that pseudonym"):
        participation.check_pseudonym(roundtable, alike)
    assert participation.check_pseudonym(make.roundtable(), alike) == alike, "shown as typed, where it is free"
