"""The turns authors' and staff's changes to many authors' words take, the limits of an author's words, words
saved from a page older than the words they would replace, and the pseudonyms a roundtable refuses as another's."""

import threading

import pytest
from sqlalchemy import func, select

from roundtable.db import db
from roundtable.models import Participant, Reflection
from roundtable.services import participation
from roundtable.services.errors import Conflict, RuleViolation
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


def _draft_saved_from(author, draft, text: str, *, seen: str, submit: bool = False, tried: str | None = None):
    return participation.save_reflection(author, draft.prompt, text=text, language="fil", submit=submit,
                                         idempotency_key=draft.idempotency_key, reflection=draft, seen=seen,
                                         tried=tried)


def test_words_saved_from_a_page_that_showed_a_draft_since_changed_elsewhere_are_refused_and_change_nothing(make):
    """QA r1-1: one draft open in two tabs, the tab that saved last put its words in place of the other's, which
    still said "Draft saved". A page saves from the words it showed (``seen``): changed since, it is refused."""
    author = make.participant()
    draft = make.reflection(author, text="Simula ng borador.", status="draft")
    opened = participation.words_mark(draft)  # both tabs show these words
    first = _draft_saved_from(author, draft, "Simula ng borador. Mga salita mula sa tab A.", seen=opened)
    db.session.commit()

    with pytest.raises(Conflict) as refused:
        _draft_saved_from(author, draft, "Simula ng borador. Tab B.", seen=opened)
    db.session.rollback()

    assert str(refused.value) == ("This draft was changed on another page or tab. Your words here were not saved: "
                                  "copy them, then open the draft again.")
    assert db.session.get(Reflection, draft.id).text == "Simula ng borador. Mga salita mula sa tab A."
    with pytest.raises(Conflict):  # nor submitted in their place
        _draft_saved_from(author, draft, "Simula ng borador. Tab B.", seen=opened, submit=True)
    db.session.rollback()
    assert db.session.get(Reflection, first.id).status == "draft"


def test_words_a_page_sent_but_never_heard_back_about_are_its_own_not_changed_elsewhere(make):
    """An autosave stored, its answer lost as the signal dropped: the page kept the mark of the words before, and its
    next save was refused as changed on another page. Words it sent without hearing back (``tried``: the first and
    the last, as writing.js sends them) are its own; words it did not send are another page's, as before."""
    author = make.participant()
    draft = make.reflection(author, text="Simula.", status="draft")
    opened = participation.words_mark(draft)  # what the page, and another tab, showed
    _draft_saved_from(author, draft, "Simula.\nNawala ang sagot.", seen=opened)  # stored; the page never heard
    db.session.commit()

    with pytest.raises(Conflict):  # a page whose unanswered words are not the draft's
        _draft_saved_from(author, draft, "Simula. Tab B.", seen=opened, tried="Simula. Hindi umabot.")
    db.session.rollback()
    assert db.session.get(Reflection, draft.id).text == "Simula.\nNawala ang sagot."
    # As a browser sends them: the words whose answer was lost, then later ones that never arrived, lines in \r\n.
    tried = "Simula.\r\nNawala ang sagot." + participation.TRIED_APART + "Simula.\r\nNawala ang sagot. Hindi umabot."
    saved = _draft_saved_from(author, draft, "Simula.\nNawala ang sagot. At higit pa.", seen=opened, tried=tried)
    db.session.commit()
    assert saved.text == "Simula.\nNawala ang sagot. At higit pa."

    lost_last = participation.TRIED_APART.join(["Simula. Hindi umabot.", saved.text])  # the last words arrived
    again = _draft_saved_from(author, draft, saved.text + " Wakas.", seen=opened, tried=lost_last, submit=True)
    assert again.status == "submitted" and again.text == "Simula.\nNawala ang sagot. At higit pa. Wakas."


def test_a_page_saving_again_from_the_words_it_saved_last_or_sending_the_same_words_twice_is_not_refused(make):
    """The same tab autosaving again carries the mark of what it saved last; a retry or a double click sends the
    words it already saved, from the mark before them: neither is a change made elsewhere, and each stores once."""
    author = make.participant()
    draft = make.reflection(author, text="Simula.", status="draft")
    opened = participation.words_mark(draft)
    saved = _draft_saved_from(author, draft, "Simula. Pangalawa.", seen=opened)
    db.session.commit()
    again = _draft_saved_from(author, draft, "Simula. Pangalawa.", seen=opened)  # the same sending, twice
    then = _draft_saved_from(author, draft, "Simula. Pangalawa. Pangatlo.", seen=participation.words_mark(saved))
    db.session.commit()

    assert saved.id == again.id == then.id and then.text == "Simula. Pangalawa. Pangatlo."
    assert db.session.scalar(select(func.count()).select_from(Reflection).where(
        Reflection.participant_id == author.id)) == 1
    _draft_saved_from(author, draft, "Simula. Pangalawa. Pangatlo.", seen=opened, submit=True)  # the same words
    assert draft.status == "submitted"


def test_a_shared_reflection_changed_on_another_page_is_not_changed_from_an_older_one(make):
    author = make.participant()
    shared = make.reflection(author, text="Makinig sana ang korte.", status="submitted")
    opened = participation.words_mark(shared)
    _draft_saved_from(author, shared, "Makinig sana ang korte. Dahan-dahan.", seen=opened, submit=True)
    db.session.commit()

    with pytest.raises(Conflict) as refused:
        _draft_saved_from(author, shared, "Makinig sana ang hukom.", seen=opened, submit=True)
    db.session.rollback()
    assert "Your changes here were not submitted" in str(refused.value)
    assert db.session.get(Reflection, shared.id).text == "Makinig sana ang korte. Dahan-dahan."


def test_a_page_that_showed_no_words_saves_into_the_draft_it_made_but_not_into_another_pages(make):
    """A new writing page carries "" (no words yet) and its own key: the draft its first save made is its own, even
    if the answer never came back; a draft another page made meanwhile is not."""
    author = make.participant()
    prompt = author.roundtable.prompts[0]
    mine = participation.save_reflection(author, prompt, text="Una.", language="fil", submit=False,
                                         idempotency_key="page-a", seen="")
    db.session.commit()
    again = participation.save_reflection(author, prompt, text="Una. Dalawa.", language="fil", submit=False,
                                          idempotency_key="page-a", reflection=mine, seen="")
    assert again.id == mine.id and again.text == "Una. Dalawa."
    db.session.commit()

    with pytest.raises(Conflict):
        participation.save_reflection(author, prompt, text="Iba.", language="fil", submit=False,
                                      idempotency_key="page-b", reflection=mine, seen="")
    db.session.rollback()
    assert db.session.get(Reflection, mine.id).text == "Una. Dalawa."
    # A caller that says nothing of what it showed (``seen`` None) is not checked.
    participation.save_reflection(author, prompt, text="Iba.", language="fil", submit=False,
                                  idempotency_key="page-b", reflection=mine)
    assert mine.text == "Iba."
