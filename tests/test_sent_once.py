"""A staff form that makes something, sent twice (a double click, or a page sent again from the browser's
history), makes it once; the second answer leads to what the first made, which is the page the browser shows."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from roundtable.db import db
from roundtable.models import Prompt, Quote, Roundtable, SentForm, Theme, User
from tests.conftest import csrf_token_of, hidden_fields_of
from tests.deployment.live import at_once

NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()


def _key_of(page) -> str:
    match = re.search(r'name="sent_once" type="hidden" value="([0-9a-f]{32})"', page.get_data(as_text=True))
    assert match, "the form carries no sent-once key"
    return match.group(1)


def _new_quote(make):
    reflection = make.reflection()
    url = f"/editor/reflections/{reflection.id}"
    return make.user("editor"), url, url, {"text": reflection.text, "language": "en", "descriptor": "survivor leader"}, Quote


def _new_theme(make):
    return make.user("editor"), "/editor/themes", "/editor/themes", {"name_fil": "Paghilom", "name_en": "Healing"}, Theme


def _new_roundtable(make):
    return make.user("facilitator"), "/facilitator/roundtables/new", "/facilitator/roundtables/new", {
        "title_fil": "Pagdinig", "title_en": "Hearings", "description_fil": "", "description_en": "",
        "retention_until": NEXT_YEAR, "prompt_fil": "Tanong?", "prompt_en": "Question?",
    }, Roundtable


def _new_prompt(make):
    facilitator = make.user("facilitator")
    page = f"/facilitator/roundtables/{make.roundtable(facilitator).id}"
    return facilitator, page, f"{page}/prompts", {"text_fil": "Ano pa?", "text_en": "What else?"}, Prompt


def _new_account(make):
    return make.user("admin"), "/admin/users", "/admin/users", {
        "username": "new.editor", "display_name": "New Editor", "roles": ["editor"]}, User


CREATING_FORMS = {"quote": _new_quote, "theme": _new_theme, "roundtable": _new_roundtable,
                  "prompt": _new_prompt, "account": _new_account}


def _form_for(kind, make, client, login):
    """Sign in whoever sends this form; return (page URL, form URL, form data without tokens, model)."""
    sender, page, action, data, model = CREATING_FORMS[kind](make)
    login(sender, on=client)
    return page, action, data, model


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("kind", CREATING_FORMS)
def test_a_form_sent_twice_makes_one_thing_and_the_second_answer_leads_to_it(kind, app, make, login):
    browser = app.test_client()
    browser.get("/language/en")
    page_url, action, data, model = _form_for(kind, make, browser, login)
    before = _count(model)
    page = browser.get(page_url)
    form = {**data, "csrf_token": csrf_token_of(page), "sent_once": _key_of(page)}

    first = browser.post(action, data=form)
    second = browser.post(action, data=form)

    assert _count(model) == before + 1
    assert second.status_code == 302
    if first.status_code == 302:  # the page it led to (its query, which may hold words searched for, is not kept)
        assert second.location == first.location.split("?")[0]
    shown = browser.get(second.location).get_data(as_text=True)
    assert "This form was sent twice. What it made was saved once, here." in shown
    assert db.session.scalar(select(func.count()).select_from(SentForm)) == 1


# Where the page the first sending led to says what it did (its own message, "Roundtable created." and the like).
_SAID_AT = {"quote": r"<h1>Quote number \d+</h1>\s*", "theme": r"<h1>Themes</h1>\s*",
            "roundtable": r"<h1>[^/]*</span>\s*</h1>\s*", "prompt": r"<h2>Prompts</h2>\s*",
            "account": r'<h1>[^<]*<span class="code">[^<]*</span></h1>\s*', "hand-over": r"<h1>My roundtables</h1>\s*"}
_SENT_TWICE = (r'<div class="messages" role="status" tabindex="-1" autofocus>(?:<p class="flash \w+">[^<]*</p>)*'
               r'<p class="flash message">This form was sent twice\. What it made was saved once, here\.</p>')


def _said_in_place(html: str, kind: str) -> None:
    assert re.search(_SAID_AT[kind] + _SENT_TWICE, html), html[html.index("<main"):][:2000]
    assert html.count("autofocus") == 1
    assert html.count("This form was sent twice.") == 1, "said there, not at the top of the page as well"


@pytest.mark.parametrize("kind", CREATING_FORMS)
def test_sent_twice_is_said_where_the_page_says_what_the_form_did_and_takes_the_focus(kind, app, make, login):
    """It was said at the top of the page, unfocused, so a screen reader did not say it and the next Tab began again
    at "Skip to content", while the page's own message (which it stands for: the first sending's page was never
    seen) is said under its heading, focused."""
    browser = app.test_client()
    browser.get("/language/en")
    page_url, action, data, model = _form_for(kind, make, browser, login)
    page = browser.get(page_url)
    form = {**data, "csrf_token": csrf_token_of(page), "sent_once": _key_of(page)}

    browser.post(action, data=form)
    second = browser.post(action, data=form)

    _said_in_place(browser.get(second.location).get_data(as_text=True), kind)


def test_a_hand_over_sent_twice_is_said_under_my_roundtables_and_takes_the_focus(app, make, login):
    facilitator, colleague = make.user("facilitator"), make.user("facilitator")
    url = f"/facilitator/roundtables/{make.roundtable(facilitator).id}"
    browser = app.test_client()
    browser.get("/language/en")
    login(facilitator, on=browser)
    asked = browser.post(url + "/hand-over", data={**hidden_fields_of(browser.get(url)),
                                                   "handover-successor": str(colleague.id)})
    sent = {**hidden_fields_of(asked), "confirmed": "yes"}

    browser.post(url + "/hand-over", data=sent)
    second = browser.post(url + "/hand-over", data=sent)

    _said_in_place(browser.get(second.location).get_data(as_text=True), "hand-over")


@pytest.mark.parametrize("kind", CREATING_FORMS)
def test_each_page_shown_carries_a_new_key_so_the_same_words_can_be_sent_again_on_purpose(kind, app, make, login):
    browser = app.test_client()
    page_url, action, data, model = _form_for(kind, make, browser, login)
    keys = {_key_of(browser.get(page_url)) for _ in range(2)}
    assert len(keys) == 2


def test_a_refused_form_keeps_its_key_and_saves_when_corrected(app, make, login):
    browser = app.test_client()
    browser.get("/language/en")
    login(make.user("facilitator"), on=browser)
    page = browser.get("/facilitator/roundtables/new")
    key = _key_of(page)
    form = {"title_fil": "Pagdinig", "title_en": "Hearings", "retention_until": "2001-01-01",
            "prompt_fil": "Tanong?", "prompt_en": "Question?", "csrf_token": csrf_token_of(page), "sent_once": key}

    refused = browser.post("/facilitator/roundtables/new", data=form)
    assert refused.status_code == 200 and "The retention date must be in the future." in refused.get_data(as_text=True)
    assert _key_of(refused) == key, "the page shown again is the same form"
    assert _count(SentForm) == 0, "a refused form was not saved, so it is not 'sent before'"

    saved = browser.post("/facilitator/roundtables/new", data={**form, "retention_until": NEXT_YEAR})
    assert saved.status_code == 302 and _count(Roundtable) == 1
    assert "sent twice" not in browser.get(saved.location).get_data(as_text=True)


def test_the_second_sending_of_a_new_account_says_where_to_make_a_new_one_time_password(app, make, login):
    browser = app.test_client()
    browser.get("/language/en")
    login(make.user("admin"), on=browser)
    page = browser.get("/admin/users")
    form = {"username": "new.editor", "display_name": "New Editor", "roles": ["editor"],
            "csrf_token": csrf_token_of(page), "sent_once": _key_of(page)}

    first = browser.post("/admin/users", data=form)
    assert "one-time password" in first.get_data(as_text=True)
    second = browser.post("/admin/users", data=form)

    account = db.session.scalar(select(User).where(User.username == "new.editor"))
    assert second.location == f"/admin/users/{account.id}"
    shown = browser.get(second.location).get_data(as_text=True)
    assert "If you did not see the account&#39;s one-time password, make a new one here." in shown
    assert "already" not in shown, "not the 'username taken' refusal meant for a different person's form"


def test_a_form_without_a_usable_key_is_still_saved(app, make, login):
    """A page opened before an upgrade, or a key changed by hand, saves as a form always did."""
    browser = app.test_client()
    login(make.user("editor"), on=browser)
    for n, key in enumerate(("", "not-a-key", "A" * 32)):
        page = browser.get("/editor/themes")
        response = browser.post("/editor/themes", data={"name_fil": f"Tema {n}", "name_en": f"Theme {n}",
                                                         "csrf_token": csrf_token_of(page), "sent_once": key})
        assert response.status_code == 302
    assert _count(Theme) == 3 and _count(SentForm) == 0


@pytest.mark.parametrize("kind", CREATING_FORMS)
def test_a_double_click_makes_one_thing_and_both_answers_lead_to_it(kind, app, make, login):
    """The two sendings in flight together. The second waits for the first to commit, at the key or, where what
    the form makes has a unique name (a theme, an account), at that name; then it leads to what the first made."""
    sender, page_url, action, data, model = CREATING_FORMS[kind](make)
    first, second = app.test_client(), app.test_client()  # one person, two requests in flight
    before = _count(model)
    forms = []
    for browser in (first, second):
        login(sender, on=browser)
        page = browser.get(page_url)
        forms.append({**data, "csrf_token": csrf_token_of(page), "sent_once": _key_of(page)})
    forms[1]["sent_once"] = forms[0]["sent_once"]  # the same form, sent twice

    for round_ in range(3):  # in flight together, then again after the first was saved
        answers = at_once(*(lambda browser=browser, form=form: browser.post(action, data=form)
                            for browser, form in zip((first, second), forms)))

        assert _count(model) == before + 1, f"round {round_}: made once"
        # the same page (the first's address may carry the list to go back to: the record keeps no query)
        locations = {answer.location.split("?")[0] for answer in answers if answer.status_code == 302}
        assert len(locations) == 1, f"round {round_}: both answers lead to the same place"
        if kind == "account" and round_ == 0:  # one answer shows the one-time password, the other leads to the account
            assert sorted(answer.status_code for answer in answers) == [200, 302]
            account = db.session.scalar(select(User).where(User.username == data["username"]))
            assert locations == {f"/admin/users/{account.id}"}
        else:
            assert [answer.status_code for answer in answers] == [302, 302]


def test_two_editors_naming_a_theme_alike_at_once_get_one_theme_and_the_rules_words(app, make, login):
    """Both check the name while it is free; the database keeps the first, the second hears why not."""
    browsers = [app.test_client(), app.test_client()]
    forms = []
    for browser in browsers:
        browser.get("/language/en")
        login(make.user("editor"), on=browser)
        page = browser.get("/editor/themes")
        forms.append({"name_fil": "Paghilom", "name_en": "Healing", "csrf_token": csrf_token_of(page),
                      "sent_once": _key_of(page)})

    answers = at_once(*(lambda browser=browser, form=form: browser.post("/editor/themes", data=form)
                        for browser, form in zip(browsers, forms)))

    assert sorted(answer.status_code for answer in answers) == [200, 302]
    refused = next(answer for answer in answers if answer.status_code == 200).get_data(as_text=True)
    assert "A theme with that name exists already." in refused
    assert _count(Theme) == 1
