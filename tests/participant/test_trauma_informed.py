"""Trauma-informed details, in both languages.

What staff write in both languages reaches each participant in their own language; a text that exists
in one language only is still shown, marked with its ``lang``. Every writing page offers a break that
keeps the draft, and a participant who meets an error page still has the quick exit.
"""

import re

import pytest

from roundtable.db import db


def _sign_in(client, participant, csrf):
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})


def test_prompts_and_titles_show_in_the_participants_language(client, make, csrf):
    participant = make.participant(language="fil")
    _sign_in(client, participant, csrf)
    client.get("/language/fil")
    html = client.get("/my").get_data(as_text=True)
    assert "<span>Mga korteng nakikinig</span>" in html
    assert "<p>Tanong 1 sa Filipino</p>" in html
    assert "Prompt 1 in English" not in html

    client.get("/language/en")
    html = client.get("/my").get_data(as_text=True)
    assert "<span>Courts that listen</span>" in html
    assert "<p>Prompt 1 in English</p>" in html
    assert "Tanong 1 sa Filipino" not in html


def test_a_prompt_written_in_english_only_is_shown_to_filipino_readers_marked_as_english(client, make, csrf):
    participant = make.participant(language="fil")
    prompt = participant.roundtable.prompts[0]
    prompt.text_fil = ""
    db.session.commit()
    _sign_in(client, participant, csrf)
    client.get("/language/fil")
    assert '<p lang="en">Prompt 1 in English</p>' in client.get("/my").get_data(as_text=True)
    writing = client.get(f"/write/{prompt.id}").get_data(as_text=True)
    assert re.search(r'<h1>\s*<span lang="en">Prompt 1 in English</span>\s*</h1>', writing)


def test_every_writing_page_offers_save_and_take_a_break(client, make, csrf):
    participant = make.participant(language="en")
    draft = make.reflection(participant, status="draft")
    submitted = make.reflection(participant, status="submitted")
    _sign_in(client, participant, csrf)
    client.get("/language/en")
    for url, label in ((f"/write/{participant.roundtable.prompts[1].id}", "Save and take a break"),
                       (f"/my/reflections/{draft.id}", "Save and take a break"),
                       (f"/my/reflections/{submitted.id}", "Submit changes and take a break")):  # never a draft again
        html = client.get(url).get_data(as_text=True)
        assert re.search(rf'<input[^>]*name="leave"[^>]*value="{label}"', html), url


def test_a_participant_who_reaches_an_error_page_still_has_the_quick_exit(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    response = client.get("/write/999999")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'id="quick-exit"' in html and 'href="/exit"' in html


@pytest.mark.parametrize("path", ["/", "/login", "/login?next=/editor/"])
def test_a_participant_signed_in_has_the_quick_exit_and_the_closing_page_on_every_page(client, make, csrf, path):
    """The header's "Roundtable" link leads home, and an old address to the staff sign-in: still signed in there."""
    assert 'id="quick-exit"' not in client.get(path).get_data(as_text=True), "a visitor's own home page"
    _sign_in(client, make.participant(language="en"), csrf)

    html = client.get(path).get_data(as_text=True)

    assert 'id="quick-exit"' in html and "data-idle-seconds=" in html and "participant.js" in html


@pytest.mark.parametrize("path", ["/my", "/my/withdraw", "/before-you-write", "/support", "/write/{prompt}"])
def test_every_page_that_closes_itself_warns_first_with_a_button_to_stay(client, make, csrf, path):
    """WCAG 2.2.1: not only the writing page; participant.js shows the warning shortly before the page closes."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)

    html = client.get(path.format(prompt=participant.roundtable.prompts[0].id)).get_data(as_text=True)

    warning = re.search(r'<div class="flash idle-warning" id="idle-warning" role="alert" hidden>(.*?)</div>', html, re.S)
    assert "data-idle-seconds=" in html and warning, "the page closes itself, and says so first"
    assert "For your safety this page will close soon if nothing happens." in warning.group(1)
    assert '<button type="button">Stay on this page</button>' in warning.group(1)


@pytest.mark.parametrize("path", ["/", "/no-such-page"])
def test_someone_part_way_through_joining_has_the_quick_exit_on_every_page(client, make, csrf, path):
    """Between the code and the passphrase they are a survivor on the platform too: home says what it is for."""
    roundtable = make.roundtable()
    client.post("/join", data={"code": roundtable.join_code, "language": "en", "csrf_token": csrf(client.get("/join"))})

    html = client.get(path).get_data(as_text=True)

    assert 'id="quick-exit"' in html and "participant.js" in html
    client.get("/exit")
    assert 'id="quick-exit"' not in client.get("/").get_data(as_text=True), "the exit forgot the join too"


def test_staff_and_visitors_error_pages_have_no_quick_exit_bar(client):
    html = client.get("/no-such-page").get_data(as_text=True)
    assert 'id="quick-exit"' not in html


@pytest.mark.parametrize("path", ["/support", "/exit/about"])
def test_the_support_pages_have_the_quick_exit_for_survivors_signed_in_or_not(client, make, csrf, login, path):
    assert 'id="quick-exit"' in client.get(path).get_data(as_text=True)
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    html = client.get(path).get_data(as_text=True)
    assert 'id="quick-exit"' in html and "participant.js" in html
    staff = make.user("facilitator")
    login(staff)
    assert 'id="quick-exit"' not in client.get(path).get_data(as_text=True)


def test_the_return_page_says_what_to_do_when_the_passphrase_is_lost(client):
    client.get("/language/en")
    html = client.get("/return").get_data(as_text=True)
    assert "Lost your passphrase?" in html and "Tell your facilitator." in html


def test_the_language_a_participant_chooses_is_kept_for_their_next_visit(client, make, csrf):
    participant = make.participant(language="fil")
    _sign_in(client, participant, csrf)
    client.get("/language/en")

    client.get("/exit")
    _sign_in(client, participant, csrf)

    assert '<html lang="en">' in client.get("/my").get_data(as_text=True)
