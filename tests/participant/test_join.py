"""Joining: clear messages in the person's language, nothing typed is lost, nothing personal kept."""

import re
import time
from html import unescape
from datetime import timedelta

import pytest
from sqlalchemy import select

from roundtable import identity
from roundtable.db import db
from roundtable.models import Participant
from roundtable.services import consent, participation, roundtables, withdrawal
from tests.conftest import hidden_fields_of, second_browser_with_the_cookie_of, shown_fields_of
from tests.deployment.live import at_once, passphrase_check


def _up_to_the_pseudonym(client, csrf, roundtable, language="en"):
    """Through the code and the consent steps; the pseudonym page."""
    _start(client, csrf, roundtable.join_code, language)
    page = client.get("/join/consent")
    client.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part", "store_words"], "adult": "y"})
    return client.get("/join/pseudonym")


def _start(client, csrf, code, language="en"):
    client.get(f"/language/{language}")
    page = client.get("/join")
    return client.post("/join", data={"code": code, "language": language, "csrf_token": csrf(page)})


def test_a_wrong_code_says_so_and_keeps_what_was_typed(client, make, csrf):
    make.roundtable()
    response = _start(client, csrf, "WRONG1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We could not find a roundtable with that code" in html
    assert 'value="WRONG1"' in html


def test_the_wrong_code_message_is_in_filipino_for_filipino_readers(client, make, csrf):
    make.roundtable()
    html = _start(client, csrf, "WRONG1", language="fil").get_data(as_text=True)
    assert "We could not find" not in html
    assert '<html lang="fil">' in html


def test_codes_are_case_and_space_insensitive(client, make, csrf):
    roundtable = make.roundtable()
    code = roundtable.join_code
    response = _start(client, csrf, f" {code[:3].lower()}-{code[3:].lower()} ")
    assert response.status_code == 302


def test_a_roundtable_not_open_yet_says_so_and_an_archived_one_is_not_found(client, make, csrf):
    draft, archived = make.roundtable(status="draft"), make.roundtable(status="archived")
    assert "This roundtable is not open yet. Ask your facilitator to open it" in _start(
        client, csrf, draft.join_code).get_data(as_text=True)
    assert "We could not find a roundtable with that code" in _start(
        client, csrf, archived.join_code).get_data(as_text=True)


def test_a_closed_roundtable_accepts_nobody_new_and_says_so(client, make, csrf):
    roundtable = make.roundtable(status="closed")
    html = _start(client, csrf, roundtable.join_code).get_data(as_text=True)
    assert "closed and does not accept new words" in html


def test_a_roundtable_closed_while_someone_joins_says_so_on_the_join_page(client, make, csrf):
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    roundtable.status = "closed"
    db.session.commit()

    response = client.post("/join/pseudonym", data={"pseudonym": "Tahimik Ulap", "csrf_token": csrf(page)})

    assert response.headers["Location"].endswith("/join")
    assert "closed and does not accept new words" in client.get("/join").get_data(as_text=True)


def test_required_clauses_must_be_ticked(client, make, csrf):
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    page = client.get("/join/consent")
    response = client.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part"], "adult": "y"})
    assert response.status_code == 200
    assert "To take part, please tick the required statements" in response.get_data(as_text=True)


@pytest.mark.parametrize("language, told", [
    ("en", "I agree to: To take part, please tick the required statements. Not ticked yet: “Roundtable may keep "
           "what I write, encrypted, until this roundtable's retention…”."),
    ("fil", "Sumasang-ayon ako sa mga ito: Para makasali, pakilagyan ng tsek ang mga kailangang pahayag. "
            "Wala pang tsek: “Maaaring itago ng Roundtable ang isusulat ko, naka-encrypt, hanggang sa petsa ng…”."),
])
def test_a_required_statement_left_unticked_on_joining_is_named_shortened_in_my_language(client, make, csrf,
                                                                                         language, told):
    """The refusal said only "please tick the required statements", not which one: each is named, a long one cut
    at a word."""
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code, language)
    page = client.get("/join/consent")

    html = client.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part", "quote_publicly"],
                                              "adult": "y"}).get_data(as_text=True)

    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert [(target, unescape(text)) for target, text in re.findall(r'<a href="#([\w-]+)">([^<]*)</a>', summary)] == [
        ("clauses", told)]
    beside = re.search(r'<p class="error" id="clauses-error">(.*?)</p>', html, re.S).group(1)
    assert unescape(beside) == told.split(": ", 1)[1], "said beside the statements too"
    assert re.search(r'<input type="checkbox" name="clauses" id="clause-store_words"[^>]*aria-invalid="true"', html)


def test_a_taken_pseudonym_is_refused_whatever_its_case(client, make, csrf):
    roundtable = make.roundtable()
    make.participant(roundtable)  # "Bituin 1"
    taken = db.session.query(Participant.pseudonym).scalar()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    response = client.post("/join/pseudonym", data={"pseudonym": taken.upper(), "csrf_token": csrf(page)})
    html = response.get_data(as_text=True)
    assert "already uses that pseudonym" in html
    assert taken.upper() in html
    assert db.session.query(Participant).count() == 1


def test_a_pseudonym_that_looks_like_contact_details_is_refused(client, make, csrf):
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    for bad in ("maria@example.org", "09171234567", "www.example.org", "+63 917 123 4567", "fb.com/tala.umaga",
                "(02) 8714-2206", "@Bayani"):
        response = client.post("/join/pseudonym", data={"pseudonym": bad, "csrf_token": csrf(page)})
        assert "cannot contain an email, a link, a phone number or an @." in response.get_data(as_text=True), bad


@pytest.mark.parametrize("alike", [lambda taken: "\ufeff" + taken, lambda taken: taken.replace(" ", "\u2060 "),
                                   lambda taken: taken + "\u3164", lambda taken: taken + "\U000e0041",
                                   lambda taken: taken.replace("i", "\u0456"), lambda taken: taken.replace(" ", "\u00a0")],
                         ids=["byte-order-mark", "word-joiner", "hangul-filler", "tag", "cyrillic-i", "no-break-space"])
def test_a_pseudonym_that_only_looks_like_one_taken_is_refused(client, make, csrf, alike):
    """An invisible character or a letter of another script would show one person's words under another's name."""
    roundtable = make.roundtable()
    make.participant(roundtable)
    taken = db.session.query(Participant.pseudonym).scalar()
    page = _up_to_the_pseudonym(client, csrf, roundtable)

    response = client.post("/join/pseudonym", data={"pseudonym": alike(taken), "csrf_token": csrf(page)})

    html = response.get_data(as_text=True)
    assert "already uses that pseudonym" in html or "Use only the letters a to z, with or without accents" in html
    assert db.session.query(Participant).count() == 1


@pytest.mark.parametrize("alike", ["Ulap Büghaw", "Ulap Bughaŵ", "ulap bughaw", "Ulap Bu\u0308ghaw"])
def test_a_pseudonym_taken_but_for_its_accents_is_refused(client, make, csrf, alike):
    """Beside a quote, "Ulap Büghaw" reads as "Ulap Bughaw": they were two people in one roundtable (QA)."""
    roundtable = make.roundtable()
    participation.join(roundtable, language="en", pseudonym="Ulap Bughaw", granted={"take_part", "store_words"},
                       adult_confirmed=True)
    db.session.commit()
    page = _up_to_the_pseudonym(client, csrf, roundtable)

    response = client.post("/join/pseudonym", data={"pseudonym": alike, "csrf_token": csrf(page)})

    assert "already uses that pseudonym" in response.get_data(as_text=True)
    assert db.session.query(Participant).count() == 1


_OTHER_LETTERS = "Use only the letters a to z, with or without accents (such as é or ñ), numbers, spaces, hyphens"


@pytest.mark.parametrize(("taken", "alike", "told"), [
    ("Bituin", "Bitu\u0131n", _OTHER_LETTERS), ("Tala Dagat", "T\u0251la Dagat", _OTHER_LETTERS),
    ("Ilog Daan", "\u01c0log Daan", _OTHER_LETTERS), ("Bituin", "Bituin.", "already uses that pseudonym"),
    ("Bituin", "Bituin'", "already uses that pseudonym"), ("Tala Dagat", "Tala-Dagat", "already uses that pseudonym"),
    ("Tala Dagat", "Tala Dagat'", "already uses that pseudonym"),
])
def test_a_pseudonym_that_reads_as_one_taken_but_for_a_latin_lookalike_or_a_mark_is_refused(client, make, csrf, taken,
                                                                                            alike, told):
    """QA r4 #1: each was taken beside the other, and the Participants page and exports showed two people who read
    as one ("Bituin., survivor leader")."""
    roundtable = make.roundtable()
    participation.join(roundtable, language="en", pseudonym=taken, granted={"take_part", "store_words"},
                       adult_confirmed=True, said_made_up=taken)
    db.session.commit()
    page = _up_to_the_pseudonym(client, csrf, roundtable)

    response = client.post("/join/pseudonym", data={"pseudonym": alike, "csrf_token": csrf(page)})

    assert response.status_code == 200 and told in unescape(response.get_data(as_text=True))
    assert db.session.query(Participant).count() == 1


@pytest.mark.parametrize(("typed", "kept"), [
    ("Niña D'Kalikasan-Santos", "Niña D'Kalikasan-Santos"),
    ("\u2018Nay Lita", "'Nay Lita"),  # as phone keyboards type an apostrophe at the start of a word
    ("Jose\u2010Maria", "Jose-Maria"),  # a typographic hyphen
    ("Ng\u0303 Bayan", "Ng\u0303 Bayan"),  # the old Filipino g̃: a letter and a combining tilde
    ("Ma. Lourdes", "Ma. Lourdes"),
])
def test_filipino_names_as_phones_type_them_are_fine_pseudonyms(client, make, csrf, typed, kept):
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    response = client.post("/join/pseudonym", data={"pseudonym": typed, "csrf_token": csrf(page)})
    if response.status_code == 200:  # read as a real name: asked whether it is made up, and it is
        assert "If you made it up, tick the box and continue." in response.get_data(as_text=True)
        response = client.post("/join/pseudonym", data={**shown_fields_of(response), "made_up": "y"})
    assert response.headers["Location"].endswith("/join/passphrase")
    assert db.session.query(Participant.pseudonym).scalar() == kept


def _asked_about_maria_santos(client, csrf, make, language="en"):
    """The pseudonym page asking whether "Maria Santos" is made up."""
    page = _up_to_the_pseudonym(client, csrf, make.roundtable(), language)
    return client.post("/join/pseudonym", data={"pseudonym": "Maria Santos", "csrf_token": csrf(page)})


@pytest.mark.parametrize("language, asked", [
    ("en", "“Maria Santos” may be a real name or place. If it could point to you, change your pseudonym."),
    ("fil", "Maaaring tunay na pangalan o lugar ang “Maria Santos”."),
])
def test_a_pseudonym_that_may_be_a_real_name_or_place_is_asked_about_once(client, make, csrf, language, asked):
    response = _asked_about_maria_santos(client, csrf, make, language)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and asked in html
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert '<a href="#pseudonym">' in summary and asked in summary
    assert "I made this pseudonym up" not in summary and "Gawa-gawa ko" not in summary, "not read as the answer"
    assert re.search(r'<input[^>]*id="made_up"[^>]*type="checkbox"', html)
    assert 'value="Maria Santos"' in html and db.session.query(Participant).count() == 0

    ticked = client.post("/join/pseudonym", data={**shown_fields_of(response), "made_up": "y"})
    assert ticked.headers["Location"].endswith("/join/passphrase")
    assert db.session.query(Participant.pseudonym).scalar() == "Maria Santos"


def test_the_box_ticked_for_one_pseudonym_does_not_answer_for_another_typed_in_its_place(client, make, csrf):
    asked = _asked_about_maria_santos(client, csrf, make)
    changed = client.post("/join/pseudonym", data={**shown_fields_of(asked), "made_up": "y",
                                                   "pseudonym": "Rosa ng Tondo"})
    html = changed.get_data(as_text=True)
    assert "“Tondo” may be a real name or place." in html and db.session.query(Participant).count() == 0
    assert 'value="Rosa ng Tondo"' in html and not re.search(r'<input[^>]*checked[^>]*id="made_up"', html)

    safe = client.post("/join/pseudonym", data={**shown_fields_of(changed), "pseudonym": "Bagong Umaga"})
    assert safe.headers["Location"].endswith("/join/passphrase"), "a made-up pseudonym is not asked about"


def test_the_question_about_a_pseudonym_and_its_tick_stay_when_the_language_is_changed(client, make, csrf):
    asked = _asked_about_maria_santos(client, csrf, make)
    switched = client.post("/join/pseudonym", data={**shown_fields_of(asked), "made_up": "y",
                                                    "switch_language": "fil"})
    html = switched.get_data(as_text=True)
    assert '<html lang="fil"' in html and "Maaaring tunay na pangalan o lugar ang “Maria Santos”." in html
    assert re.search(r'<input[^>]*checked[^>]*id="made_up"|<input[^>]*id="made_up"[^>]*checked', html)
    assert db.session.query(Participant).count() == 0, "changing the language answers nothing"

    answered = client.post("/join/pseudonym", data=shown_fields_of(switched))
    assert answered.headers["Location"].endswith("/join/passphrase")


def _up_to_the_passphrase(client, csrf, roundtable, language="en"):
    page = _up_to_the_pseudonym(client, csrf, roundtable, language)
    response = client.post("/join/pseudonym", data={"pseudonym": "Bagong Umaga", "csrf_token": csrf(page)})
    assert response.headers["Location"].endswith("/join/passphrase")


def _away_for(client, seconds):
    with client.session_transaction() as session:
        session["join"] = {**session["join"], "at": int(time.time()) - seconds}


def test_joining_stays_open_while_the_person_is_around(client, app, make, csrf):
    _start(client, csrf, make.roundtable().join_code)
    _away_for(client, app.config["PARTICIPANT_IDLE_MINUTES"] * 60 - 60)
    assert client.get("/join/consent").status_code == 200


def test_a_passphrase_is_shown_again_only_for_a_few_minutes(client, make, csrf):
    from roundtable.participant.views import PASSPHRASE_SHOWN_FOR

    _up_to_the_passphrase(client, csrf, make.roundtable())
    _away_for(client, PASSPHRASE_SHOWN_FOR - 30)
    assert 'class="passphrase"' in client.get("/join/passphrase").get_data(as_text=True)  # a reload, say
    _away_for(client, PASSPHRASE_SHOWN_FOR + 5)
    response = client.get("/join/passphrase")
    assert response.status_code == 302 and response.headers["Location"].endswith("/return")
    html = client.get("/return").get_data(as_text=True)
    assert "shown only for a few minutes. If you wrote it down, type it here." in html


def _asked_words(passphrase_page) -> dict[str, str]:
    """The passphrase form with the two words it asks for typed in, read off the page as the person would."""
    words, first, second = passphrase_check(passphrase_page.get_data(as_text=True))
    return {"first": words[first - 1], "second": words[second - 1], **hidden_fields_of(passphrase_page)}


def test_the_two_words_typed_right_after_the_passphrase_stopped_being_shown_still_count(client, make, csrf):
    """The minutes limit the showing of the words, not the person writing them down slowly."""
    from roundtable.participant.views import PASSPHRASE_SHOWN_FOR

    _up_to_the_passphrase(client, csrf, make.roundtable())
    page = client.get("/join/passphrase")
    assert "For your safety they are shown here for 10 minutes only." in page.get_data(as_text=True)
    typed = _asked_words(page)
    _away_for(client, PASSPHRASE_SHOWN_FOR + 60)

    wrong = client.post("/join/passphrase", data={**typed, "second": "mali"})
    assert wrong.headers["Location"].endswith("/return"), "typed wrong, after the minutes: the words are not shown"
    _up_to_the_passphrase(client, csrf, make.roundtable())
    page = client.get("/join/passphrase")
    typed = _asked_words(page)
    _away_for(client, PASSPHRASE_SHOWN_FOR + 60)
    assert client.post("/join/passphrase", data=typed).headers["Location"].endswith("/before-you-write")


def _shown_seconds_left(passphrase_page) -> int:
    return int(re.search(r'data-shown-seconds="(\d+)"', passphrase_page.get_data(as_text=True)).group(1))


def _more_time(client, passphrase_page, **typed):
    """ "I need more time", pressed on the page (in its form, or in the warning before the words are hidden)."""
    return client.post("/join/passphrase", data={**hidden_fields_of(passphrase_page), **typed, "more_time": "1"})


def test_i_need_more_time_shows_the_passphrase_for_its_whole_minutes_again_without_javascript(client, make, csrf):
    """WCAG 2.2.1: someone writing the words down slowly, or interrupted, gets more time with one button. Without
    JavaScript the page answers itself, with what was typed still in the boxes (QA round: a redirect emptied them)."""
    from roundtable.participant.views import PASSPHRASE_SHOWN_FOR

    _up_to_the_passphrase(client, csrf, make.roundtable())
    _away_for(client, PASSPHRASE_SHOWN_FOR - 60)
    page = client.get("/join/passphrase")
    assert _shown_seconds_left(page) <= 60, "opening the page again gives no more time"
    assert _shown_seconds_left(client.post("/join/passphrase", data={**_asked_words(page), "second": "mali"})) <= 60
    word = passphrase_check(page.get_data(as_text=True))[0][0]

    again = _more_time(client, page, first=word, second="hus")

    html = again.get_data(as_text=True)
    assert again.status_code == 200 and "Your secret passphrase is shown for 10 more minutes." in html
    assert _shown_seconds_left(again) >= PASSPHRASE_SHOWN_FOR - 5
    assert re.search(rf'<input[^>]*id="first"[^>]*value="{word}"', html), "the word typed is still in its box"
    assert re.search(r'<input[^>]*id="second"[^>]*value="hus"', html), "and the one half typed"
    assert passphrase_check(html)[0] == passphrase_check(page.get_data(as_text=True))[0]
    assert "This word does not match" not in html and "Please type the word" not in html, "asked nothing"
    assert _shown_seconds_left(client.get("/join/passphrase")) >= PASSPHRASE_SHOWN_FOR - 5, "the time was kept"
    assert client.post("/join/passphrase", data=_asked_words(again)).headers["Location"].endswith("/before-you-write")


def test_i_need_more_time_pressed_as_the_minutes_end_still_counts(client, make, csrf):
    """Without JavaScript the page stays on screen past its minutes (and with it, the answer may be on its way): the
    words are on that screen already, and the person asking is the one writing them down."""
    from roundtable.participant.views import PASSPHRASE_SHOWN_FOR

    _up_to_the_passphrase(client, csrf, make.roundtable())
    page = client.get("/join/passphrase")
    _away_for(client, PASSPHRASE_SHOWN_FOR + 30)

    again = _more_time(client, page)

    assert again.status_code == 200 and 'class="passphrase"' in again.get_data(as_text=True)
    assert 'class="passphrase"' in client.get("/join/passphrase").get_data(as_text=True)


@pytest.mark.parametrize("language, out_of_date", [("en", "This page is out of date"),
                                                  ("fil", "Luma na ang pahinang ito")])
def test_i_need_more_time_sent_from_another_site_gives_no_time(client, make, csrf, language, out_of_date):
    """More time keeps the passphrase on a shared phone's screen: asked for with a token that is not this page's (a
    form on another site), it is refused as any form is (access.enforce checks every POST before the view), said in
    the reader's language. Nothing is lost: the page, its words and its button are there as they were."""
    from roundtable.participant.views import PASSPHRASE_SHOWN_FOR

    _up_to_the_passphrase(client, csrf, make.roundtable(), language)
    _away_for(client, PASSPHRASE_SHOWN_FOR - 60)
    page = client.get("/join/passphrase")

    forged = client.post("/join/passphrase", data={**hidden_fields_of(page), "csrf_token": "forged", "more_time": "1"})

    assert forged.status_code == 400 and out_of_date in forged.get_data(as_text=True)
    assert _shown_seconds_left(client.get("/join/passphrase")) <= 60, "no more time given"
    assert _shown_seconds_left(_more_time(client, page)) >= PASSPHRASE_SHOWN_FOR - 5, "pressed on the page, it is"


def test_more_time_is_given_ten_times_then_the_passphrase_is_hidden_as_before(client, make, csrf):
    from roundtable.participant.views import PASSPHRASE_SHOWN_FOR

    _up_to_the_passphrase(client, csrf, make.roundtable())
    for _ in range(10):
        page = client.get("/join/passphrase")
        assert 'name="more_time"' in page.get_data(as_text=True)
        _more_time(client, page)
    last = client.get("/join/passphrase")
    html = last.get_data(as_text=True)
    assert 'name="more_time"' not in html and "I need more time" not in html
    assert "your secret passphrase will be hidden soon. Write it down now." in html

    _away_for(client, PASSPHRASE_SHOWN_FOR - 60)
    _more_time(client, last)  # a page left from before, say
    assert _shown_seconds_left(client.get("/join/passphrase")) <= 60
    _away_for(client, PASSPHRASE_SHOWN_FOR + 5)
    assert client.get("/join/passphrase").headers["Location"].endswith("/return")


def test_back_from_the_passphrase_page_leads_to_it_again_not_to_a_new_join(client, make, csrf):
    """Back, on a slow phone, before the words were written down: they are shown nowhere else, and the pseudonym is
    taken now, so the pages before lead on to them; once two words were typed back, on to the participant's words."""
    _up_to_the_passphrase(client, csrf, make.roundtable())
    shown = client.get("/join/passphrase")
    for page in ("/join/pseudonym", "/join/consent", "/join"):
        assert client.get(page).headers["Location"].endswith("/join/passphrase"), page
    again = client.post("/join", data={"code": "KAPWA7", "language": "en", "csrf_token": csrf(shown)})
    assert again.headers["Location"].endswith("/join/passphrase"), "Back three times, and the code sent again"
    again = client.post("/join/pseudonym", data={**hidden_fields_of(shown), "pseudonym": "Bagong Umaga"})
    assert again.headers["Location"].endswith("/join/passphrase"), "the form sent again from the page Back showed"
    assert passphrase_check(client.get("/join/passphrase").get_data(as_text=True))[0] == passphrase_check(
        shown.get_data(as_text=True))[0]

    assert client.post("/join/passphrase", data=_asked_words(shown)).headers["Location"].endswith("/before-you-write")
    for page in ("/join/passphrase", "/join/pseudonym", "/join/consent"):
        assert client.get(page).headers["Location"].endswith("/my"), page


def test_only_the_word_typed_wrong_is_marked(client, make, csrf):
    _up_to_the_passphrase(client, csrf, make.roundtable())
    typed = _asked_words(client.get("/join/passphrase"))
    html = client.post("/join/passphrase", data={**typed, "second": "mali"}).get_data(as_text=True)
    assert '<a href="#second">' in html and '<a href="#first">' not in html
    assert "This word does not match." in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="second"', html)
    assert not re.search(r'<input[^>]*aria-invalid="true"[^>]*id="first"', html)


def test_a_passphrase_left_on_screen_is_not_shown_to_the_next_person_on_the_phone(client, app, make, csrf):
    _up_to_the_passphrase(client, csrf, make.roundtable())
    shown = client.get("/join/passphrase").get_data(as_text=True)
    _away_for(client, app.config["PARTICIPANT_IDLE_MINUTES"] * 60 + 5)

    response = client.get("/join/passphrase")

    assert response.status_code == 302 and response.headers["Location"].endswith("/return")
    with client.session_transaction() as session:
        assert "join" not in session
    again = client.get("/return").get_data(as_text=True)
    assert "shown only for a few minutes. If you wrote it down, type it here." in again
    assert "Nothing you chose was kept" not in again, "they joined: their choices were kept"
    assert "Bagong Umaga" not in again and 'class="passphrase"' not in again
    assert 'class="passphrase"' in shown  # what the check above looks for was on the page before


def test_a_passphrase_is_shown_for_the_minutes_the_page_promises_even_with_a_shorter_idle_time(
        client, app, make, csrf, monkeypatch):
    from roundtable.participant.views import PASSPHRASE_SHOWN_FOR

    monkeypatch.setitem(app.config, "PARTICIPANT_IDLE_MINUTES", 1)
    _up_to_the_passphrase(client, csrf, make.roundtable())
    _away_for(client, PASSPHRASE_SHOWN_FOR - 30)

    page = client.get("/join/passphrase")

    assert 'class="passphrase"' in page.get_data(as_text=True)
    assert client.post("/join/passphrase", data=_asked_words(page)).headers["Location"].endswith("/before-you-write")


@pytest.mark.parametrize("answer", ["more time", "two words"])
def test_more_time_or_the_two_words_sent_a_little_after_the_minutes_still_count_with_a_short_idle_time(
        client, app, make, csrf, monkeypatch, answer):
    """The page stays on screen past its minutes while someone types, and the answer may be slow: with an idle time
    of ten minutes or less, the join had ended with them (regression round)."""
    from roundtable.participant.views import PASSPHRASE_SHOWN_FOR

    monkeypatch.setitem(app.config, "PARTICIPANT_IDLE_MINUTES", 2)
    _up_to_the_passphrase(client, csrf, make.roundtable())
    page = client.get("/join/passphrase")
    _away_for(client, PASSPHRASE_SHOWN_FOR + 30)

    sent = {**hidden_fields_of(page), "more_time": "1"} if answer == "more time" else _asked_words(page)
    response = client.post("/join/passphrase", data=sent)

    if answer == "more time":
        assert response.status_code == 200 and 'class="passphrase"' in response.get_data(as_text=True)
    else:
        assert response.headers["Location"].endswith("/before-you-write")


def test_choices_left_half_way_lapse_too_and_the_message_is_in_filipino(client, app, make, csrf):
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code, language="fil")
    _away_for(client, app.config["PARTICIPANT_IDLE_MINUTES"] * 60 + 5)

    response = client.get("/join/consent")

    assert response.headers["Location"].endswith("/join")
    html = client.get("/join").get_data(as_text=True)
    assert '<p class="flash' in html and "joining starts again here" not in html


def test_only_a_digest_of_the_passphrase_is_stored(make):
    participant = make.participant()
    stored = db.session.get(Participant, participant.id)
    assert participant.passphrase not in stored.passphrase_digest
    assert len(stored.passphrase_digest) == 64
    columns = {c.name for c in Participant.__table__.columns}
    assert columns == {"id", "roundtable_id", "pseudonym", "pseudonym_key", "language", "passphrase_digest",
                       "created_at", "withdrawn_at", "session_version", "join_key_digest"}


def test_a_phone_keyboard_neither_corrects_nor_capitalises_a_passphrase_typed_to_come_back(client):
    """Autocorrect would turn Filipino words into others without a word; they are typed as they were written."""
    html = client.get("/return").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="passphrase"[^>]*>', html).group(0)
    for attribute in ('autocapitalize="none"', 'spellcheck="false"', 'autocomplete="off"'):
        assert attribute in field


def test_a_wrong_passphrase_gets_the_same_neutral_message(client, make, csrf):
    make.participant()
    client.get("/language/en")
    for attempt in ("ulap bituin mangga", "x" * 150, "UNKNOWN WORDS HERE"):
        page = client.get("/return")
        response = client.post("/return", data={"passphrase": attempt, "csrf_token": csrf(page)})
        assert response.status_code == 200
        assert "We could not open your words with that passphrase" in response.get_data(as_text=True)


def test_the_passphrase_of_someone_who_took_everything_back_says_so(client, make, csrf):
    from roundtable.services import withdrawal

    participant = make.participant()
    withdrawal.withdraw_all(participant, erase=True)
    db.session.commit()
    client.get("/language/en")
    page = client.get("/return")

    answer = client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})

    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Everything written with this passphrase was taken back" in html
    assert "We could not open your words" not in html and "/my" not in answer.headers.get("Location", "")


@pytest.mark.parametrize("language, erased_on_its_date", [
    ("en", "If your roundtable's retention date has passed, its words were erased on that date"),
    ("fil", "Kung lumipas na ang petsa ng pagtatago ng iyong talakayan, binura na ang mga salita nito"),
])
def test_a_passphrase_whose_words_were_erased_on_their_retention_date_says_so_as_a_wrong_one_does(
        client, make, csrf, language, erased_on_its_date):
    """Not an empty "My words": the passphrase opens nothing, and the answer, the same as to a passphrase never
    given, says words are erased on their roundtable's retention date. No one guessing learns which it was."""
    from roundtable.services import retention

    participant = make.participant()
    make.reflection(participant)
    retention.purge_expired(participant.roundtable.retention_until + timedelta(days=1))
    db.session.commit()
    client.get(f"/language/{language}")

    answers = []
    for passphrase in (participant.passphrase, "ulap bituin mangga dagat"):
        page = client.get("/return")
        answer = client.post("/return", data={"passphrase": passphrase, "csrf_token": csrf(page)})
        assert answer.status_code == 200 and "/my" not in answer.headers.get("Location", "")
        html = re.sub(r'name="csrf_token"[^>]*', "", answer.get_data(as_text=True))
        answers.append(html.replace(f'value="{passphrase}"', 'value=""'))  # the words shown back as typed

    assert erased_on_its_date in unescape(answers[0])
    assert answers[0] == answers[1]


def _signed_in_then_away_too_long(client, app, participant, csrf):
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
    client.get("/language/en")
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - app.config["PARTICIPANT_IDLE_MINUTES"] * 60 - 5


def test_words_written_after_the_session_ended_are_shown_back_not_lost(client, app, make, csrf):
    participant = make.participant()
    prompt_id = participant.roundtable.prompts[0].id
    _signed_in_then_away_too_long(client, app, participant, csrf)
    autosaved = client.post(f"/write/{prompt_id}/autosave", headers={"Accept": "application/json"},
                            data={"text": "Ang korte ay dapat makinig sa mga bata.", "language": "fil"})
    assert autosaved.status_code == 401 and autosaved.get_json()["message"].startswith("You were away for a while")
    response = client.post(f"/write/{prompt_id}", data={"text": "Ang korte ay dapat makinig sa mga bata.", "language": "fil"})
    assert response.status_code == 401
    assert "Ang korte ay dapat makinig sa mga bata." in response.get_data(as_text=True)

    # The page's language buttons send the words back with them (a link would lead away and lose them).
    html = response.get_data(as_text=True)
    assert '<html lang="en"' in html and 'form="kept" name="switch_language" value="fil"' in html
    in_filipino = client.post("/words-kept", data={**hidden_fields_of(response), "switch_language": "fil",
                                                   "text": "Ang korte ay dapat makinig sa mga bata."})
    html = in_filipino.get_data(as_text=True)
    assert in_filipino.status_code == 200 and '<html lang="fil"' in html and "Your session ended" not in html
    assert "Ang korte ay dapat makinig sa mga bata." in html and 'id="quick-exit"' in html
    assert 'readonly lang="fil">Ang korte' in html, "the words say their own language, whatever the page's"


def test_a_session_that_lapsed_while_its_page_saw_typing_offline_blames_the_connection_not_the_person(
        client, app, make, csrf):
    """They typed on with no signal past the idle time, and were told "You were away for a while" (QA): the page
    marks words typed where the server could not hear of them (participant.js), in both languages."""
    participant = make.participant()
    prompt_id = participant.roundtable.prompts[0].id
    _signed_in_then_away_too_long(client, app, participant, csrf)
    words = {"text": "Ang korte ay dapat makinig sa mga bata.", "language": "fil", "typed_offline": "1"}

    autosaved = client.post(f"/write/{prompt_id}/autosave", data=words, headers={"Accept": "application/json"})

    assert autosaved.status_code == 401 and autosaved.get_json()["message"].startswith(
        "This phone had no connection for a while, so we closed your session to keep your words safe.")
    kept = client.post(f"/write/{prompt_id}", data={**words, "submit": "Submit"})
    html = kept.get_data(as_text=True)
    assert kept.status_code == 401 and words["text"] in html and "You were away" not in html
    assert "This phone had no connection for a while" in html
    in_filipino = client.post("/words-kept", data={**hidden_fields_of(kept), "switch_language": "fil",
                                                   "text": words["text"]})
    html = in_filipino.get_data(as_text=True)
    assert words["text"] in html and "Nawalan ng koneksyon nang medyo matagal ang teleponong ito" in html
    assert "Matagal kang nawala" not in html
    html = client.get("/return").get_data(as_text=True)
    assert "Nawalan ng koneksyon nang medyo matagal ang teleponong ito" in html and "Matagal kang nawala" not in html


def _signed_in_on_two_phones(app, participant, csrf):
    phones = app.test_client(), app.test_client()
    for phone in phones:
        phone.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(phone.get("/return"))})
    return phones


def test_a_session_ended_elsewhere_says_so_even_when_its_page_was_offline(app, make, csrf):
    participant = make.participant(language="en")
    prompt_id = participant.roundtable.prompts[0].id
    phone, other_phone = _signed_in_on_two_phones(app, participant, csrf)
    other_phone.get("/exit").close()  # as a server does once the answer is sent: then the copies end

    autosaved = phone.post(f"/write/{prompt_id}/autosave", headers={"Accept": "application/json"},
                           data={"text": "Courts should listen.", "language": "en", "typed_offline": "1"})

    assert autosaved.get_json()["message"].startswith("Your session was ended with “Exit this page”")


def test_a_session_ended_from_another_phone_says_so_and_keeps_the_words_typed(app, make, csrf):
    """It said "You were away for a while", and an autosave "Use the buttons below to save", which save nothing (QA)."""
    participant = make.participant(language="en")
    prompt_id = participant.roundtable.prompts[0].id
    phone, other_phone = _signed_in_on_two_phones(app, participant, csrf)
    words = {"text": "Ang korte ay dapat makinig sa mga bata.", "language": "fil"}
    other_phone.get("/exit").close()  # as a server does once the answer is sent: then the copies end

    autosaved = phone.post(f"/write/{prompt_id}/autosave", data=words, headers={"Accept": "application/json"})

    assert autosaved.status_code == 401 and autosaved.get_json() == {"saved": False, "message": (
        "Your session was ended with “Exit this page” or a button that takes a break, on this phone or another. Your words "
        "here may not be saved: copy them if you want to keep them, then open your words again with your passphrase.")}
    submitted = phone.post(f"/write/{prompt_id}", data={**words, "submit": "Submit"})
    html = submitted.get_data(as_text=True)
    assert submitted.status_code == 401 and words["text"] in html
    assert "Your session was ended with “Exit this page” or a button that takes a break, on this phone or another." in html
    assert "You were away" not in html
    html = phone.get("/return").get_data(as_text=True)
    assert "Your session was ended with “Exit this page” or a button that takes a break, on this phone or another." in html
    assert "You were away" not in html


def test_a_note_for_the_editor_written_after_the_session_ended_is_shown_back_not_lost(client, app, make, csrf):
    participant = make.participant()
    _signed_in_then_away_too_long(client, app, participant, csrf)

    response = client.post("/my/quotes/7", data={"q7-comment": "Please keep the part about the hearing.",
                                                 "q7-revision": "1", "q7-decline": "Decline"})

    assert response.status_code == 401 and "Please keep the part about the hearing." in response.get_data(as_text=True)


def test_words_a_page_sent_as_it_closed_with_nobody_there_are_not_shown_once_the_session_ended(client, app, make, csrf):
    """Its connection came back after the session ended: whoever holds the phone now may not be their author."""
    participant = make.participant()
    prompt_id = participant.roundtable.prompts[0].id
    _signed_in_then_away_too_long(client, app, participant, csrf)

    response = client.post(f"/write/{prompt_id}", data={"text": "Typed with no signal, about the hearing.",
                                                         "language": "en", "leave": "y", "closed_for_safety": "1"})

    html = response.get_data(as_text=True)
    assert response.status_code == 401 and "Typed with no signal" not in html and "<textarea" not in html
    assert "Your page closed to keep your words safe" in html and 'href="/return"' in html


def test_a_page_that_closes_itself_ends_the_session_and_every_copy_of_it(app, client, make, csrf):
    """It closes before the session's own idle time is up: going to /return alone would lead back to "My words"."""
    from tests.conftest import second_browser_with_the_cookie_of

    participant = make.participant(language="en")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(client.get("/return"))})
    copy = second_browser_with_the_cookie_of(app, client)

    closed = client.get("/closed")
    closed.close()  # as a server does once the answer is sent: then the copies end

    assert closed.status_code == 302 and closed.headers["Location"] == "/return"
    html = client.get("/return").get_data(as_text=True)
    assert 'id="passphrase"' in html and "we closed your session to keep your words safe" in html
    assert client.get("/my").headers["Location"].endswith("/return")
    assert copy.get("/my").headers["Location"].endswith("/return"), "every copy of the cookie ended"


def test_a_page_closes_itself_before_its_session_ends_by_itself(client, app, make, csrf):
    """The session's clock moves at most once a minute: a page that waited the whole idle time would send its last
    words to a session already ended."""
    participant = make.participant()
    _signed_in_then_away_too_long(client, app, participant, csrf)
    page = client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(client.get("/return"))})
    html = client.get(page.headers["Location"]).get_data(as_text=True)

    waits = int(re.search(r'data-idle-seconds="(\d+)"', html).group(1))
    assert 0 < waits <= app.config["PARTICIPANT_IDLE_MINUTES"] * 60 - identity._TOUCH_EVERY


def _address(page, attribute: str) -> str:
    """An address a page's script calls (its autosave, its still-here, where it goes as it closes itself), as the
    page gives it: with the page's own key."""
    return unescape(re.search(rf'{attribute}="([^"]+)"', page.get_data(as_text=True)).group(1))


def _two_tabs(client, participant, csrf):
    """Signed in, with "My words" open in one tab and the first question's writing page in another (one cookie jar)."""
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(client.get("/return"))})
    client.get("/language/en")
    return client.get("/my"), client.get(f"/write/{participant.roundtable.prompts[0].id}")


def _autosaved(client, writing, text: str):
    return client.post(_address(writing, "data-autosave-url"), headers={"Accept": "application/json"},
                       data={**hidden_fields_of(writing), "text": text, "language": "en"})


def test_a_page_that_closes_itself_while_another_tab_is_in_use_ends_nothing_and_shows_nothing(client, make, csrf):
    """QA: a tab left on "My words" closed itself after its own idle time and ended the session under the tab where
    the person was writing: its autosave then failed, and the words typed since were lost on "Save draft"."""
    participant = make.participant(language="en")
    left_alone, writing = _two_tabs(client, participant, csrf)
    assert _autosaved(client, writing, "The judge should wait").get_json()["saved"] is True

    closed = client.get(_address(left_alone, "data-idle-url"))

    html = closed.get_data(as_text=True)
    assert closed.status_code == 200 and "<h1>Your page closed to keep your words safe</h1>" in html
    assert "You are still signed in on another page or tab." in html and 'href="/my"' in html
    assert "The judge should wait" not in html and participant.pseudonym not in html
    assert _autosaved(client, writing, "The judge should wait for me to finish.").get_json()["saved"] is True
    saved = client.post(f"/write/{participant.roundtable.prompts[0].id}?sent=1", data={
        **hidden_fields_of(writing), "text": "The judge should wait for me to finish. And listen.", "language": "en",
        "save": "Save draft"})
    assert saved.status_code == 302 and saved.headers["Location"] == "/my"
    assert "The judge should wait for me to finish. And listen." in client.get(
        f"/write/{participant.roundtable.prompts[0].id}").get_data(as_text=True)
    client.get("/language/fil")
    assert "Naka-sign in ka pa rin sa ibang pahina o tab." in client.get(
        _address(left_alone, "data-idle-url")).get_data(as_text=True)


def test_a_page_that_closes_itself_when_no_other_tab_was_heard_from_since_ends_the_session(client, make, csrf):
    participant = make.participant(language="en")
    _my_words, writing = _two_tabs(client, participant, csrf)
    left_alone = client.get("/my")  # heard from last
    with client.session_transaction() as session:
        session["seen"] -= identity.idle_seconds_of_pages(60) + 5

    closed = client.get(_address(left_alone, "data-idle-url"))

    assert closed.status_code == 302 and closed.headers["Location"] == "/return"
    assert client.get("/my").headers["Location"] == "/return"


@pytest.mark.parametrize("asked", ["/healthz", "/language/fil?next=/my", "/still-here"])
def test_a_request_that_shows_no_page_of_theirs_does_not_keep_the_session_open_under_the_page_closing_itself(
        client, make, csrf, asked):
    """Every request of a signed-in participant was "heard from a page" with a new key of its own: after a /healthz, a
    language link (a redirect) or a still-here without a key, their only page closing itself was told "You are still
    signed in on another page or tab" and the session stayed open; and the cookie was sent again for each."""
    participant = make.participant(language="en")
    _my_words, _writing = _two_tabs(client, participant, csrf)
    left_alone = client.get("/my")  # heard from last
    if asked == "/still-here":  # an old page's, whose address holds no key
        answer = client.post(asked, data={"csrf_token": csrf(left_alone)})
        assert answer.status_code == 204
    else:
        answer = client.get(asked)
    assert asked.startswith("/language") or "Set-Cookie" not in answer.headers  # (a language changes the cookie)
    with client.session_transaction() as session:
        session["seen"] -= identity.idle_seconds_of_pages(60) + 5

    closed = client.get(_address(left_alone, "data-idle-url"))

    assert closed.status_code == 302 and closed.headers["Location"] == "/return"
    assert client.get("/my").headers["Location"] == "/return"


@pytest.mark.parametrize("opened", ["/support", "/no-such-page", "/language/en?next=/support"])
def test_a_public_or_error_page_shown_to_a_signed_in_participant_is_a_page_of_theirs_that_closes_in_turn(
        client, make, csrf, opened):
    """It has the quick exit and closes itself, as every page shown to them does (base.html): shown after "My words",
    "My words" closing itself ends nothing, and it, closing in turn, ends the session."""
    participant = make.participant(language="en")
    left_alone, _writing = _two_tabs(client, participant, csrf)
    shown = client.get(opened, follow_redirects=True)
    assert "data-idle-url" in shown.get_data(as_text=True)

    assert "You are still signed in on another page or tab." in client.get(
        _address(left_alone, "data-idle-url")).get_data(as_text=True)
    closed = client.get(_address(shown, "data-idle-url"))

    assert closed.status_code == 302 and closed.headers["Location"] == "/return"
    assert client.get("/my").headers["Location"] == "/return"


def test_words_sent_from_another_tab_after_a_page_closed_and_ended_the_session_are_shown_back(client, app, make, csrf):
    """Every tab left alone, the one heard from last closed and ended the session; then someone typed in another. The
    closed tab's next page, /return, forgot that the session had ended by itself, and their words were "not saved:
    write it again" (QA)."""
    participant = make.participant(language="en")
    words = "Typed in the other tab: the court should let a child rest."
    _my_words, writing = _two_tabs(client, participant, csrf)
    left_alone = client.get("/my")  # heard from last
    with client.session_transaction() as session:
        session["seen"] -= identity.idle_seconds_of_pages(app.config["PARTICIPANT_IDLE_MINUTES"]) + 5
    client.get(_address(left_alone, "data-idle-url"))
    assert "we closed your session to keep your words safe" in client.get("/return").get_data(as_text=True)

    autosaved = _autosaved(client, writing, words)
    kept = client.post(f"/write/{participant.roundtable.prompts[0].id}?sent=1",
                       data={**hidden_fields_of(writing), "text": words, "language": "en", "save": "Save draft"})

    assert autosaved.status_code == 401 and autosaved.get_json()["message"].startswith("You were away for a while")
    html = kept.get_data(as_text=True)
    assert kept.status_code == 401 and "Your session ended, but your words are here" in html and words in html


@pytest.mark.parametrize("left", ["its page closed itself", "the idle time passed"])
def test_words_shown_back_after_a_session_ended_are_not_shown_again_once_nobody_uses_its_pages(
        client, app, make, csrf, left):
    """Shown back while a page of theirs may be in use, not to whoever finds the phone later and sends the old form
    again (Back, Reload)."""
    participant = make.participant(language="en")
    url = f"/write/{participant.roundtable.prompts[0].id}?sent=1"
    _my_words, writing = _two_tabs(client, participant, csrf)
    left_alone = client.get("/my")  # heard from last
    form = {**hidden_fields_of(writing), "text": "Words of the person before.", "language": "en", "submit": "Submit"}
    with client.session_transaction() as session:
        session["seen"] -= identity.idle_seconds_of_pages(app.config["PARTICIPANT_IDLE_MINUTES"]) + 5
    client.get(_address(left_alone, "data-idle-url"))
    kept = client.post(url, data=form)
    in_filipino = client.post("/words-kept", data={**hidden_fields_of(kept), "text": form["text"],
                                                   "switch_language": "fil"})
    assert "Words of the person before." in in_filipino.get_data(as_text=True)

    if left == "its page closed itself":
        client.get(_address(in_filipino, "data-idle-url"))
    else:
        with client.session_transaction() as session:
            session["seen"] = int(time.time()) - app.config["PARTICIPANT_IDLE_MINUTES"] * 60 - 1

    again = client.post(url, data=form)
    assert again.status_code == 302 and "person before" not in again.get_data(as_text=True)
    assert "person before" not in client.post("/words-kept", data={
        **hidden_fields_of(kept), "text": form["text"], "switch_language": "en"}).get_data(as_text=True)


def test_an_autosave_after_a_quick_exit_in_another_tab_says_to_copy_the_words_not_to_press_a_button(
        client, make, csrf):
    """It said "Use the buttons below to save", and a button led to /return, the words gone (QA). Quick exit shows
    nothing back, so the words can only be kept on the page they are on."""
    participant = make.participant(language="en")
    _left_alone, writing = _two_tabs(client, participant, csrf)
    client.get("/exit")

    autosaved = _autosaved(client, writing, "Typed in the other tab.")

    assert autosaved.status_code == 401 and autosaved.get_json() == {"saved": False, "message": (
        "This browser is no longer signed in, so your words here were not saved: copy them if you want to keep them, "
        "then open your words again with your passphrase.")}


def test_after_a_quick_exit_a_form_sent_again_shows_nothing_of_its_words(client, app, make, csrf):
    """A shared phone: the next person presses Back and Reload, and the browser sends the last form again."""
    participant = make.participant()
    prompt_id = participant.roundtable.prompts[0].id
    _signed_in_then_away_too_long(client, app, participant, csrf)
    kept = client.post(f"/write/{prompt_id}", data={"text": "Words of the person before.", "language": "en"})
    assert "Words of the person before." in kept.get_data(as_text=True)
    client.get("/exit")

    for url, data in ((f"/write/{prompt_id}", {"text": "Words of the person before.", "language": "en"}),
                      ("/words-kept", {**hidden_fields_of(kept), "switch_language": "fil"})):
        again = client.post(url, data=data)
        assert again.status_code in (302, 400) and "person before" not in again.get_data(as_text=True), url


def test_two_people_choosing_the_same_pseudonym_at_the_same_moment_get_one_each_and_a_calm_message(app, make, csrf):
    roundtable = make.roundtable()
    db.session.commit()
    tokens, people = [], [app.test_client(), app.test_client()]
    for person in people:
        _start(person, csrf, roundtable.join_code)
        page = person.get("/join/consent")
        person.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part", "store_words"], "adult": "y"})
        tokens.append(csrf(person.get("/join/pseudonym")))

    answers = at_once(*(lambda person=person, token=token: person.post(
        "/join/pseudonym", data={"pseudonym": "Tala", "csrf_token": token}) for person, token in zip(people, tokens)))

    assert sorted(answer.status_code for answer in answers) == [200, 302]
    refused = next(answer for answer in answers if answer.status_code == 200).get_data(as_text=True)
    assert "already uses that pseudonym" in refused
    assert db.session.query(Participant).filter_by(roundtable_id=roundtable.id).count() == 1


def test_the_pseudonym_form_sent_again_by_the_same_join_is_that_join_with_the_same_passphrase(app, client, make,
                                                                                                 csrf):
    """Sent again before its answer arrived (a slow connection, a second tap), the form said "already uses that
    pseudonym" and left a participant no one could open: the passphrase was never seen (QA)."""
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    sent = {"pseudonym": "Bagong Umaga", "csrf_token": csrf(page)}
    # the cookie as it was when the form was sent: the first answer never came back to update it
    retry, late = second_browser_with_the_cookie_of(app, client), second_browser_with_the_cookie_of(app, client)
    assert client.post("/join/pseudonym", data=sent).headers["Location"].endswith("/join/passphrase")
    first_answer = passphrase_check(client.get("/join/passphrase").get_data(as_text=True))[0]

    again = retry.post("/join/pseudonym", data=sent)

    assert again.headers["Location"].endswith("/join/passphrase")
    page = retry.get("/join/passphrase")
    assert passphrase_check(page.get_data(as_text=True))[0] == first_answer, "whichever answer is on the screen"
    assert retry.post("/join/passphrase", data=_asked_words(page)).headers["Location"].endswith("/before-you-write")
    joined = db.session.scalars(select(Participant).where(Participant.roundtable_id == roundtable.id)).one()
    assert joined.pseudonym == "Bagong Umaga" and consent.current_grants(joined)
    assert participation.find_by_passphrase(" ".join(first_answer)).id == joined.id

    once_over = late.post("/join/pseudonym", data=sent)  # the same form, once the join is over: nothing more

    assert "already uses that pseudonym" in once_over.get_data(as_text=True)


def test_the_same_join_sent_again_after_its_consent_was_answered_otherwise_keeps_the_answer_now(app, client, make,
                                                                                                 csrf):
    """Back on the consent page after a lost answer, they said no to public quotes: the retry must not keep the
    first answer's yes (regression round)."""
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    page = client.get("/join/consent")
    client.post("/join/consent", data={**hidden_fields_of(page), "adult": "y",
                                       "clauses": ["take_part", "store_words", "quote_publicly", "internal_use"]})
    sent = {"pseudonym": "Bagong Umaga", "csrf_token": csrf(client.get("/join/pseudonym"))}
    retry = second_browser_with_the_cookie_of(app, client)
    client.post("/join/pseudonym", data=sent)  # its answer lost: the browser keeps the cookie from before
    page = retry.get("/join/consent")
    retry.post("/join/consent", data={**hidden_fields_of(page), "adult": "y", "clauses": ["take_part", "store_words"]})

    assert retry.post("/join/pseudonym", data=sent).headers["Location"].endswith("/join/passphrase")

    joined = db.session.scalars(select(Participant).where(Participant.roundtable_id == roundtable.id)).one()
    assert consent.current_grants(joined) == {"take_part", "store_words"}


def test_the_pseudonym_form_sent_twice_at_once_is_one_join(app, client, make, csrf):
    roundtable = make.roundtable()
    db.session.commit()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    second_tap = second_browser_with_the_cookie_of(app, client)
    sent = {"pseudonym": "Tala", "csrf_token": csrf(page)}

    answers = at_once(lambda: client.post("/join/pseudonym", data=sent),
                      lambda: second_tap.post("/join/pseudonym", data=sent))

    assert [answer.headers.get("Location", "") for answer in answers] == ["/join/passphrase"] * 2
    db.session.expire_all()
    assert db.session.query(Participant).filter_by(roundtable_id=roundtable.id).count() == 1
    shown = [passphrase_check(browser.get("/join/passphrase").get_data(as_text=True))[0]
             for browser in (client, second_tap)]
    assert shown[0] == shown[1], "whichever answer the browser shows, its words open the words written"
    page = second_tap.get("/join/passphrase")
    assert second_tap.post("/join/passphrase", data=_asked_words(page)).headers["Location"].endswith("/before-you-write")


def test_the_language_someone_reads_the_page_in_is_the_one_ticked(client):
    for language in ("en", "fil"):
        client.get(f"/language/{language}")
        ticked = re.findall(r'<input checked[^>]*name="language"[^>]*value="(\w+)"', client.get("/join").get_data(as_text=True))
        assert ticked == [language]


def test_a_pseudonym_with_letters_that_grow_when_compared_is_refused_for_its_letters(client, make, csrf):
    """Its key would not fit where the pseudonym does: "ß" is "ss" once folded for comparison."""
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    forty = ("Straße " * 6)[:40]
    response = client.post("/join/pseudonym", data={"pseudonym": forty, "csrf_token": csrf(page)})
    assert response.status_code == 200 and _OTHER_LETTERS in unescape(response.get_data(as_text=True))
    assert db.session.query(Participant).count() == 0


def test_a_pseudonym_pasted_too_long_is_refused_whole_not_cut_short_unseen(client, make, csrf):
    """A browser cuts a paste at maxlength without a word: the person would take part under a name they did not
    choose. Sent whole, it comes back with the limit said, and how many characters it has (QA r1 #4)."""
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    code_box = re.search(r'<input[^>]*id="code"[^>]*>', client.get("/join").get_data(as_text=True))
    page = _up_to_the_pseudonym(client, csrf, roundtable)

    box = re.search(r'<input[^>]*id="pseudonym"[^>]*>', page.get_data(as_text=True)).group(0)

    assert "maxlength" not in box and (code_box is None or "maxlength" not in code_box.group(0))
    refused = client.post("/join/pseudonym", data={"pseudonym": "Bituin sa Gabi ng Mahabang Paglalakbay 2026",
                                                   "csrf_token": csrf(page)})
    assert "You wrote 43 characters; use at most 40." in refused.get_data(as_text=True)
    too_short = client.post("/join/pseudonym", data={"pseudonym": "B", "csrf_token": csrf(refused)})
    assert "Use between 2 and 40 characters." in too_short.get_data(as_text=True)


def _facilitator_changes_the_form(roundtable):
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    drafts[0] = consent.ClauseDraft(drafts[0].key, "Changed words.", "Binagong salita.", True)
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()


def test_a_consent_form_changed_while_it_was_read_is_shown_again(client, make, csrf):
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    page = client.get("/join/consent")
    _facilitator_changes_the_form(roundtable)

    response = client.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part", "store_words"],
                                                  "adult": "y"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "The consent form changed while you were reading it" in html
    assert "Changed words." in html and hidden_fields_of(response)["form_version"] == "2"
    response = client.post("/join/consent", data={**hidden_fields_of(response), "clauses": ["take_part", "store_words"],
                                                  "adult": "y"})
    assert response.headers["Location"].endswith("/join/pseudonym")


def test_nothing_is_ticked_for_someone_joining(client, make, csrf):
    """Taking part is their choice: each statement, the required ones too, is ticked by them."""
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)

    html = client.get("/join/consent").get_data(as_text=True)

    assert 'name="clauses"' in html and " checked" not in html


def test_after_a_changed_form_only_the_statements_whose_words_stayed_keep_their_ticks(client, make, csrf):
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)  # take_part and store_words ticked
    _facilitator_changes_the_form(roundtable)  # take_part reworded
    client.post("/join/pseudonym", data={"pseudonym": "Tala", "csrf_token": csrf(page)})

    html = client.get("/join/consent").get_data(as_text=True)

    assert re.search(r'id="clause-store_words"[^>]* checked', html), "the same words: ticked as they left it"
    assert not re.search(r'id="clause-take_part"[^>]* checked', html), "new words: theirs to read and tick"


@pytest.mark.parametrize("change", ["reworded", "kept longer"])
def test_a_form_changed_while_its_page_was_open_comes_back_with_ticks_only_on_words_read_as_they_are(
    client, make, csrf, change
):
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    page = client.get("/join/consent")
    if change == "reworded":
        _facilitator_changes_the_form(roundtable)  # take_part reworded
        unticked = "take_part"
    else:
        _facilitator_keeps_the_words_longer(roundtable)  # store_words is agreed to with a date
        unticked = "store_words"

    response = client.post("/join/consent", data={**hidden_fields_of(page), "adult": "y",
                                                  "clauses": ["take_part", "store_words", "quote_publicly"]})

    html = response.get_data(as_text=True)
    assert not re.search(rf'id="clause-{unticked}"[^>]* checked', html), "words not read as they are: unticked"
    assert re.search(r'id="clause-quote_publicly"[^>]* checked', html), "the same words: ticked as sent"


def test_a_consent_form_changed_before_the_pseudonym_is_chosen_is_read_again_first(client, make, csrf):
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    _facilitator_changes_the_form(roundtable)

    response = client.post("/join/pseudonym", data={"pseudonym": "Tala", "csrf_token": csrf(page)})

    assert response.headers["Location"].endswith("/join/consent")
    assert "The consent form changed while you were reading it" in client.get("/join/consent").get_data(as_text=True)
    assert db.session.query(Participant).count() == 0


def _facilitator_keeps_the_words_longer(roundtable):
    roundtables.update(roundtable, roundtable.facilitator, read=roundtables.edit_mark(roundtable),
                       retention_until=roundtable.retention_until + timedelta(days=365))
    db.session.commit()


def test_a_retention_date_moved_later_while_the_form_was_read_is_shown_again(client, make, csrf):
    """Agreeing to keep words until one date is no agreement to keep them a year longer."""
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    page = client.get("/join/consent")
    _facilitator_keeps_the_words_longer(roundtable)

    response = client.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part", "store_words"],
                                                  "adult": "y"})

    html = response.get_data(as_text=True)
    moved = f"The date until which your words are kept changed while you were reading: it is now {roundtable.retention_until:%B} "
    assert response.status_code == 200 and moved in html, "the date that changed is named, with its new value"
    assert hidden_fields_of(response)["kept_until"] == roundtable.retention_until.isoformat()
    tampered = client.post("/join/consent", data={**hidden_fields_of(response), "kept_until": "someday",
                                                  "clauses": ["take_part", "store_words"], "adult": "y"})
    assert tampered.status_code == 200, "a date that is not the one shown is refused"


def test_a_retention_date_moved_later_before_the_pseudonym_is_chosen_is_read_again_first(client, make, csrf):
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    _facilitator_keeps_the_words_longer(roundtable)

    response = client.post("/join/pseudonym", data={"pseudonym": "Tala", "csrf_token": csrf(page)})

    assert response.headers["Location"].endswith("/join/consent")
    html = client.get("/join/consent").get_data(as_text=True)
    assert "The date until which your words are kept changed while you were reading" in html
    assert db.session.query(Participant).count() == 0


def test_a_retention_date_moved_later_in_the_moment_of_joining_is_refused_under_the_lock(make):
    """The facilitator's save and the join take turns on the roundtable's row: the join sees the new date."""
    roundtable = make.roundtable()
    shown = roundtable.retention_until
    _facilitator_keeps_the_words_longer(roundtable)

    with pytest.raises(consent.FormChanged):
        participation.join(roundtable, language="en", pseudonym="Tala", granted={"take_part", "store_words"},
                           adult_confirmed=True, shown_version=roundtable.consent_version, kept_until_shown=shown)


def test_a_retention_date_moved_earlier_while_the_form_was_read_still_lets_them_join(client, make, csrf):
    """Erasing sooner takes nothing from them; My words shows the new date."""
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    roundtables.update(roundtable, roundtable.facilitator, read=roundtables.edit_mark(roundtable),
                       retention_until=roundtable.retention_until - timedelta(days=30))
    db.session.commit()

    response = client.post("/join/pseudonym", data={"pseudonym": "Tala", "csrf_token": csrf(page)})

    assert response.headers["Location"].endswith("/join/passphrase")


def test_a_refused_consent_page_leads_from_its_summary_to_the_choices_and_ties_the_message_to_them(client, make, csrf):
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    page = client.get("/join/consent")

    html = client.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part"]}).get_data(as_text=True)

    assert re.search(r'<div class="error-summary" role="alert">\s*<h2 tabindex="-1" autofocus>', html)
    for target in re.findall(r'<a href="#([\w-]+)">', html.split('class="error-summary"')[1].split("</div>")[0]):
        assert f'id="{target}"' in html, target
    assert re.search(r'<fieldset[^>]*id="clauses"[^>]*aria-describedby="clauses-error"', html)
    assert re.search(r'<input type="checkbox" name="clauses" id="clause-store_words"[^>]*aria-invalid="true" '
                     r'aria-describedby="clauses-error"', html), "each box says why, not only its fieldset"
    assert '<a href="#clauses">' in html and '<a href="#adult">' in html, "the age too, not on a second try"
    assert re.search(r'<input aria-describedby="adult-error" aria-invalid="true"[^>]*id="adult"', html)
    changed = client.post("/join/consent", data={**hidden_fields_of(page), "form_version": "99",
                                                 "clauses": ["take_part", "store_words"]}).get_data(as_text=True)
    assert "The consent form changed while you were reading it." in changed
    assert not re.search(r'<input[^>]*aria-invalid="true"[^>]*id="adult"', changed), "a message not about age"


def test_joining_on_a_phone_where_someone_is_signed_in_ends_every_copy_of_their_session(app, client, make, csrf):
    from tests.conftest import second_browser_with_the_cookie_of

    participant = make.participant()
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
    other_tab = second_browser_with_the_cookie_of(app, client)
    other = make.roundtable()

    page = client.get("/join")
    joined = client.post("/join", data={"code": other.join_code, "language": "en", "csrf_token": csrf(page)})
    joined.close()  # as a server does once the answer is sent

    assert joined.status_code == 302
    assert other_tab.get("/my").status_code == 302


def test_continuing_with_nothing_ticked_points_at_the_statements_and_the_age_at_once(client, make, csrf):
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    page = client.get("/join/consent")

    html = client.post("/join/consent", data=hidden_fields_of(page)).get_data(as_text=True)

    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert [(target, unescape(text)) for target, text in re.findall(r'<a href="#([\w-]+)">([^<]*)</a>', summary)] == [
        ("clauses", "I agree to: To take part, please tick the required statements. Not ticked yet: “I choose to "
                    "take part in this roundtable. I can stop at any time.” and “Roundtable may keep what I write, "
                    "encrypted, until this roundtable's retention…”."),
        ("adult", "I am 18 years old or older: To take part, please confirm you are 18 or older."),
    ]
    assert re.search(r'<input aria-describedby="adult-error" aria-invalid="true"[^>]*id="adult"', html)
    assert re.search(r'<input type="checkbox" name="clauses" id="clause-take_part"[^>]*aria-invalid="true"', html)


def test_only_the_age_confirmation_left_unticked_is_pointed_at_not_the_statements_already_ticked(client, make, csrf):
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code)
    page = client.get("/join/consent")

    html = client.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part", "store_words"]}
                       ).get_data(as_text=True)

    assert "please confirm you are 18 or older" in html
    assert '<a href="#adult">' in html
    assert re.search(r'<input aria-describedby="adult-error" aria-invalid="true"[^>]*id="adult"', html)
    assert 'aria-invalid="true" ' not in html.split('id="clauses"')[1].split("</fieldset>")[0]


def _type_two_words_back(client, csrf):
    return client.post("/join/passphrase", data=_asked_words(client.get("/join/passphrase")))


def test_a_language_changed_while_joining_is_the_one_kept(client, make, csrf):
    from roundtable.services import passphrases

    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code, "fil")
    client.get("/language/en?next=/join/consent")  # reads English better, after all
    page = client.get("/join/consent")
    client.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part", "store_words"], "adult": "y"})
    page = client.get("/join/pseudonym")
    client.post("/join/pseudonym", data={"pseudonym": "Bagong Umaga", "csrf_token": csrf(page)})
    html = client.get("/join/passphrase").get_data(as_text=True)
    shown = re.findall(r'<li lang="en">([a-z]+)</li>', html.split('class="passphrase"')[1].split("</ol>")[0])
    assert len(shown) == 7, "each word says its language"
    assert set(shown) <= set(passphrases.wordlist("en")) and not set(shown) <= set(passphrases.wordlist("fil"))

    assert _type_two_words_back(client, csrf).status_code == 302
    assert db.session.scalar(select(Participant.language)) == "en"
    assert '<html lang="en"' in client.get("/before-you-write").get_data(as_text=True)


def test_a_language_changed_on_the_passphrase_page_is_kept_and_the_words_keep_theirs(client, make, csrf):
    _up_to_the_passphrase(client, csrf, make.roundtable(), "en")
    client.get("/language/fil?next=/join/passphrase")
    html = client.get("/join/passphrase").get_data(as_text=True)
    listed = html.split('class="passphrase"')[1].split("</ol>")[0]
    assert '<html lang="fil"' in html and listed.count('<li lang="en">') == 7
    assert 'aria-label="Ang iyong lihim na parirala"' in listed, "the Filipino label is read as Filipino"

    _type_two_words_back(client, csrf)
    assert db.session.scalar(select(Participant.language)) == "fil"
    assert '<html lang="fil"' in client.get("/before-you-write").get_data(as_text=True)


def test_the_language_button_while_joining_brings_the_page_back_in_that_language_as_it_was(client, make, csrf):
    """WCAG 3.3.7: what was ticked or typed is not asked for again (a language link would lose it)."""
    roundtable = make.roundtable()
    _start(client, csrf, roundtable.join_code, "en")
    page = client.get("/join/consent")
    assert 'form="consent-choices" name="switch_language" value="fil"' in page.get_data(as_text=True)
    switched = client.post("/join/consent", data={**hidden_fields_of(page), "switch_language": "fil",
                                                  "clauses": ["take_part", "store_words", "quote_publicly"],
                                                  "adult": "y"})
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="fil"' in html and "error-summary" not in html
    assert re.search(r'<input[^>]*checked[^>]*id="clause-quote_publicly"|<input[^>]*id="clause-quote_publicly"'
                     r'[^>]*checked', html)
    assert re.search(r'<input[^>]*checked[^>]*id="adult"|<input[^>]*id="adult"[^>]*checked', html)
    assert client.get("/join/pseudonym").headers["Location"].endswith("/join/consent"), "nothing was answered yet"

    client.post("/join/consent", data={**shown_fields_of(switched)})
    page = client.get("/join/pseudonym")
    switched = client.post("/join/pseudonym", data={**hidden_fields_of(page), "pseudonym": "Bagong Umaga",
                                                    "switch_language": "en"})
    html = switched.get_data(as_text=True)
    assert '<html lang="en"' in html and 'value="Bagong Umaga"' in html
    assert db.session.query(Participant).count() == 0


def _checked(html: str, box_id: str) -> bool:
    return bool(re.search(rf'<input[^>]*checked[^>]*id="{box_id}"|<input[^>]*id="{box_id}"[^>]*checked', html))


def test_the_language_button_on_the_code_and_the_passphrase_check_keeps_what_was_typed(client, make, csrf):
    """QA round: there the header had a language link, which lost the code and the two words typed (WCAG 3.3.7)."""
    roundtable = make.roundtable()
    client.get("/language/en")
    page = client.get("/join")
    html = page.get_data(as_text=True)
    assert 'form="join-code" name="switch_language" value="fil"' in html
    assert '<button type="submit" form="join-code" name="next" value="1" hidden' in html, "Enter still continues"
    switched = client.post("/join", data={"code": roundtable.join_code, "language": "en", "switch_language": "fil",
                                          "csrf_token": csrf(page)})
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="fil"' in html and "error-summary" not in html
    assert f'value="{roundtable.join_code}"' in html and _checked(html, "language-0")  # Filipino, as the page
    assert client.get("/join/consent").status_code == 302, "nothing was tried yet"

    _up_to_the_passphrase(client, csrf, roundtable, "en")
    page = client.get("/join/passphrase")
    typed = {**_asked_words(page), "first": "hal"}  # half a word, and one whole
    assert '<button type="submit" form="passphrase-check" name="kept" value="1" hidden' in page.get_data(as_text=True)
    switched = client.post("/join/passphrase", data={**typed, "switch_language": "fil"})
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="fil"' in html and "error-summary" not in html
    assert 'value="hal"' in html and f'value="{typed["second"]}"' in html and html.count("<li lang=\"en\">") == 7
    assert client.get("/before-you-write").status_code == 302, "the words typed were not checked"

    assert _type_two_words_back(client, csrf).headers["Location"].endswith("/before-you-write")
    assert db.session.scalar(select(Participant.language)) == "fil"


def test_the_language_button_on_the_return_page_keeps_the_passphrase_typed_out_of_every_address(client, make, csrf,
                                                                                                 caplog):
    participant = make.participant(language="en")
    client.get("/language/en")
    page = client.get("/return")
    assert '<button type="submit" form="come-back" name="open" value="1" hidden' in page.get_data(as_text=True)
    switched = client.post("/return", data={"passphrase": participant.passphrase, "switch_language": "fil",
                                            "csrf_token": csrf(page)})
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="fil"' in html and "error-summary" not in html
    assert f'value="{participant.passphrase}"' in html and "Location" not in switched.headers
    assert participant.passphrase not in caplog.text
    assert client.get("/my").status_code == 302, "not signed in by changing the language"

    opened = client.post("/return", data={**shown_fields_of(switched), "open": "1"})  # Enter in the box
    assert opened.headers["Location"].endswith("/my")
    db.session.refresh(participant)
    assert participant.language == "fil", "chosen on the page, as with the header's link"


def test_the_same_join_sent_again_after_its_participant_took_everything_back_is_a_new_join(app, client, make, csrf):
    """The first answer's passphrase used at /return and everything taken back: the retry gave a 409 for good."""
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    retry = second_browser_with_the_cookie_of(app, client)
    client.post("/join/pseudonym", data={"pseudonym": "Bagong Umaga", "csrf_token": csrf(page)})
    first = db.session.scalars(select(Participant).where(Participant.roundtable_id == roundtable.id)).one()
    withdrawal.withdraw_all(first, erase=False)
    db.session.commit()

    again = retry.post("/join/pseudonym", data={"pseudonym": "Bagong Hapon", "csrf_token": csrf(page)})

    assert again.headers["Location"].endswith("/join/passphrase")
    assert db.session.query(Participant).filter_by(roundtable_id=roundtable.id).count() == 2


def test_signing_in_with_the_passphrase_ends_the_join_that_made_it(client, make, csrf):
    roundtable = make.roundtable()
    page = _up_to_the_pseudonym(client, csrf, roundtable)
    client.post("/join/pseudonym", data={"pseudonym": "Bagong Umaga", "csrf_token": csrf(page)})
    words = " ".join(passphrase_check(client.get("/join/passphrase").get_data(as_text=True))[0])
    joined = db.session.scalars(select(Participant).where(Participant.roundtable_id == roundtable.id)).one()
    assert joined.join_key_digest is not None
    client.get("/exit")

    page = client.get("/return")
    client.post("/return", data={"passphrase": words, "csrf_token": csrf(page)})

    db.session.expire_all()
    assert db.session.get(Participant, joined.id).join_key_digest is None
