"""Changing the language: every page offers it, and none loses what was typed or leads to an address that is no page."""

import pytest


def test_words_refused_by_the_rate_limit_are_shown_again_in_the_language_chosen(client, make, csrf):
    participant = make.participant(language="fil")
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
    response = client.post("/words-kept", data={"csrf_token": csrf(client.get("/my")), "kind": "too_many",
                                                "text": "Sana makinig ang korte.", "switch_language": "en"})
    html = response.get_data(as_text=True)
    assert '<html lang="en"' in html and "Too many saves at once" in html and "Sana makinig ang korte." in html


def test_words_are_shown_again_only_to_whom_they_were_shown(client, csrf):
    """Nobody signed in, no session that ended by itself: posted words are not put on a page of ours."""
    for kind in ("too_many", "", "staff"):
        response = client.post("/words-kept", data={"csrf_token": csrf(client.get("/join")), "kind": kind,
                                                    "text": "Words from elsewhere", "typed": "Words from elsewhere"})
        assert response.status_code == 302 and "Words from elsewhere" not in response.get_data(as_text=True)


def test_words_kept_are_shown_again_only_with_the_pages_own_token(client):
    client.get("/")
    assert client.post("/words-kept", data={"text": "Words put on the page by another site"}).status_code == 400


def test_an_error_answering_a_form_leads_its_language_link_to_a_page_not_to_a_405(client, make, login):
    login(make.user("editor"))
    client.get("/language/en")
    refused = client.post("/editor/quotes/1/approve", data={"csrf_token": "stale"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "next=/editor/quotes/1/approve" not in html and "/language/fil" in html


def test_a_language_chosen_on_the_return_page_is_kept_at_sign_in_and_from_then_on(client, make, csrf):
    from roundtable.db import db

    participant = make.participant(language="fil")
    client.get("/language/en?next=/return")
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
    assert '<html lang="en"' in client.get("/my").get_data(as_text=True)
    db.session.refresh(participant)
    assert participant.language == "en", "for their next visit too"


def test_the_language_the_last_person_on_a_shared_phone_left_does_not_decide_the_next_ones(client, make, csrf):
    first, second = make.participant(language="en"), make.participant(language="fil")
    client.get("/language/en")
    page = client.get("/return")
    client.post("/return", data={"passphrase": first.passphrase, "csrf_token": csrf(page)})
    with client.session_transaction() as session:  # the first leaves it open; the idle time ends it
        session["seen"] = 0
    assert client.get("/my").status_code == 302
    page = client.get("/return")
    client.post("/return", data={"passphrase": second.passphrase, "csrf_token": csrf(page)})
    assert '<html lang="fil"' in client.get("/my").get_data(as_text=True)


@pytest.mark.parametrize("stored", [123, ["fil"], {"fil": 1}])
def test_a_language_in_the_cookie_that_is_not_a_code_counts_as_none_chosen(client, stored):
    """A cookie signed with the key but written by another release, say: the page, in the browser's language."""
    with client.session_transaction() as session:
        session["lang"] = stored

    response = client.get("/", headers={"Accept-Language": "fil-PH"})

    assert response.status_code == 200 and '<html lang="fil"' in response.get_data(as_text=True)
