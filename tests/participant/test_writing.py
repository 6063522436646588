"""Writing a reflection: drafts, submits, and gentle messages for empty or too long text."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from roundtable.db import db
from roundtable.models import Quote, Reflection
from roundtable.services import roundtables, withdrawal
from tests.conftest import hidden_fields_of, second_browser_with_the_cookie_of
from tests.deployment.live import at_once


def _sign_in(client, participant, csrf):
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})


def _form(page, csrf, **fields):
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return {"idempotency_key": key, "language": "en", "csrf_token": csrf(page), **fields}


def test_an_empty_submit_is_refused_gently(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    response = client.post(url, data=_form(client.get(url), csrf, text="   ", submit="Submit"))
    assert "Write something before you submit" in response.get_data(as_text=True)
    assert db.session.query(Reflection).count() == 0


def test_too_long_text_is_refused_and_kept_in_the_form_saying_how_many_characters_it_has(client, make, csrf):
    """QA r1 #4: told only the limit, the person had to guess how much to cut."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    text = "Makinig po kayo. " * 700
    page = client.get(url)
    assert "maxlength" not in re.search(r"<textarea[^>]*>", page.get_data(as_text=True)).group(0), \
        "a browser would cut a long paste unseen; sent whole, it is refused and kept"
    response = client.post(url, data=_form(page, csrf, text=text, submit="Submit"))
    html = response.get_data(as_text=True)
    assert "You wrote 11,899 characters; use at most 10,000." in html  # the last space is not kept
    assert "Makinig po kayo. Makinig po kayo." in html
    assert db.session.query(Reflection).count() == 0


def test_a_draft_is_kept_and_finished_later(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    client.post(url, data=_form(client.get(url), csrf, text="First thoughts about the hearing.", save="Save draft"))
    page = client.get(url)
    assert "First thoughts about the hearing." in page.get_data(as_text=True)
    assert "<title>Write: question 1 · Roundtable</title>" in page.get_data(as_text=True)  # a draft is still written
    client.post(url, data=_form(page, csrf, text="First thoughts about the hearing, finished.", submit="Submit"))
    reflection = db.session.query(Reflection).one()
    assert reflection.status == "submitted" and reflection.text.endswith("finished.")


def test_markup_is_stripped_and_stored_as_plain_text(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    client.post(url, data=_form(client.get(url), csrf, text="<b>Courts</b> must &lt;script&gt;listen<script>x</script>",
                                submit="Submit"))
    stored = db.session.query(Reflection).one().text
    assert "<" not in stored and ">" not in stored
    assert stored.startswith("Courts must")


def test_a_closed_roundtable_accepts_no_new_words(client, make, csrf):
    from roundtable.services import roundtables

    participant = make.participant(language="en")
    roundtable = participant.roundtable
    _sign_in(client, participant, csrf)
    url = f"/write/{roundtable.prompts[0].id}"
    open_before = client.get(url)
    roundtables.set_status(roundtable, roundtable.facilitator, "closed")
    db.session.commit()
    assert "closed and does not accept new words" in client.get("/my").get_data(as_text=True)
    response = client.post(url, data=_form(open_before, csrf, text="Late words.", submit="Submit"))
    html = response.get_data(as_text=True)
    assert "closed and does not accept new words" in html and "Late words.</textarea>" in html, "kept on screen"
    assert "copy them if you want to keep them" in html
    assert 'name="submit"' not in html and 'name="save"' not in html, "no button that cannot save"
    assert db.session.query(Reflection).count() == 0
    opened_now = client.get(url).get_data(as_text=True)
    assert "closed and does not accept new words" in opened_now
    assert "<textarea" not in opened_now and 'form="writing"' not in opened_now, "no form that could not save"


@pytest.mark.parametrize("status", [None, "draft", "submitted"])
def test_words_sent_after_the_roundtable_closed_are_not_said_to_be_kept_nor_autosaved(client, make, csrf, status):
    """QA r2 1: the page showing them back warned, before closing itself, "Your draft is kept" (or, for words
    already shared, that changes not submitted would be lost, as if they could be), and autosaved every 5 s, refused
    each time. Nothing is kept: the warning says to copy them, and the page does not autosave."""
    participant = make.participant(language="en")
    roundtable = participant.roundtable
    reflection = status and make.reflection(participant, prompt=roundtable.prompts[0], status=status,
                                            text="Earlier words.")
    _sign_in(client, participant, csrf)
    url = f"/my/reflections/{reflection.id}" if reflection else f"/write/{roundtable.prompts[0].id}"
    open_before = client.get(url)
    assert ("data-autosave-url" in open_before.get_data(as_text=True)) == (status != "submitted")
    roundtables.set_status(roundtable, roundtable.facilitator, "closed")
    db.session.commit()

    html = client.post(url, data=_form(open_before, csrf, text="Late words.", submit="Submit")).get_data(as_text=True)

    assert "Late words.</textarea>" in html and "copy them if you want to keep them" in html
    warning = re.search(r'id="idle-warning" role="alert" hidden><p>(.*?)</p>', html, re.S).group(1)
    assert "Your words here are not saved: copy them before the page closes." in warning
    assert "kept" not in warning and "not submitted" not in warning
    assert "data-autosave-url" not in html and 'name="save"' not in html, "nothing that would be refused"
    assert [r.text for r in db.session.scalars(select(Reflection))] == (["Earlier words."] if reflection else [])


def _idle_warning(html: str) -> str:
    return re.search(r'id="idle-warning" role="alert" hidden><p>(.*?)</p>', html, re.S).group(1)


@pytest.mark.parametrize("how", ["closed", "past its retention date", "closed as it saved"])
@pytest.mark.parametrize("language", ["en", "fil"])
@pytest.mark.parametrize("status", [None, "draft"])
def test_an_autosave_after_the_roundtable_closed_is_refused_with_the_warning_the_page_now_needs(
        client, make, csrf, monkeypatch, how, language, status):
    """A page open as the facilitator closed the roundtable: its autosaves were refused, and its warning before it
    closed itself still said "Your draft is kept" while the words typed since were lost. The refusal says why, and
    carries the warning a page showing words sent after the close has (writing.js puts it in place)."""
    from roundtable import clock
    from roundtable.services import participation

    participant = make.participant(language=language)
    roundtable = participant.roundtable
    reflection = status and make.reflection(participant, prompt=roundtable.prompts[0], status=status,
                                            text="Earlier words.")
    _sign_in(client, participant, csrf)
    url = f"/my/reflections/{reflection.id}" if reflection else f"/write/{roundtable.prompts[0].id}"
    open_before = client.get(url)
    autosave = re.search(r'data-autosave-url="([^"]+)"', open_before.get_data(as_text=True)).group(1)
    if how == "closed":
        roundtables.set_status(roundtable, roundtable.facilitator, "closed")
    elif how == "past its retention date":
        roundtable.retention_until = clock.today() - timedelta(days=1)
    else:  # between the page's check and the save
        monkeypatch.setattr(participation, "save_reflection", lambda *a, **k: (_ for _ in ()).throw(
            roundtables.closed_to_words()))
    db.session.commit()

    answer = client.post(autosave.replace("&amp;", "&"), headers={"Accept": "application/json"},
                         data=_form(open_before, csrf, text="Late words.", language=language))

    assert answer.status_code == 400
    refusal = answer.get_json()
    assert set(refusal) == {"saved", "message", "warning"} and refusal["saved"] is False
    if how != "closed as it saved":
        sent_now = client.post(url, data=_form(open_before, csrf, text="Late words.", language=language, submit="1"))
        assert refusal["warning"] == _idle_warning(sent_now.get_data(as_text=True)), "the same as 182e8b8's page"
    if language == "en":
        assert refusal["message"] == "This roundtable is closed and does not accept new words."
        assert refusal["warning"] == ("For your safety this page will close soon if nothing happens. Your words here "
                                      "are not saved: copy them before the page closes. Type or press a button to stay.")
    else:
        assert refusal["message"] == "Sarado na ang talakayang ito at hindi na tumatanggap ng bagong isusulat."
        assert "Hindi naka-save ang iyong mga salita rito: kopyahin ang mga ito" in refusal["warning"]
    assert refusal["warning"] != _idle_warning(open_before.get_data(as_text=True)), "no longer 'Your draft is kept'"
    assert [r.text for r in db.session.scalars(select(Reflection))] == (["Earlier words."] if reflection else [])


def test_an_autosave_the_roundtable_takes_carries_no_warning(client, make, csrf):
    """Only a closed roundtable's refusal changes the page's warning: words over the limit may still be saved."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    page = client.get(f"/write/{participant.roundtable.prompts[0].id}")
    autosave = re.search(r'data-autosave-url="([^"]+)"', page.get_data(as_text=True)).group(1).replace("&amp;", "&")
    headers = {"Accept": "application/json"}
    assert client.post(autosave, headers=headers, data=_form(page, csrf, text="x" * 10_001)).get_json().keys() == {
        "saved", "message"}
    saved = client.post(autosave, headers=headers, data=_form(page, csrf, text="Words.")).get_json()
    assert saved["saved"] is True and saved.keys() == {"saved", "seen"}  # seen: the words' mark, for the next save


def test_past_its_retention_date_an_open_roundtable_takes_no_new_words_or_people(client, make, csrf):
    from datetime import timedelta

    from roundtable import clock

    participant = make.participant(language="en")
    roundtable = participant.roundtable
    roundtable.retention_until = clock.today() - timedelta(days=1)  # still "open": nobody closed it
    db.session.commit()
    _sign_in(client, participant, csrf)
    my = client.get("/my").get_data(as_text=True)
    assert "closed and does not accept new words" in my and f"/write/{roundtable.prompts[0].id}" not in my
    url = f"/write/{roundtable.prompts[0].id}"
    roundtable.retention_until = clock.today()  # the page was opened on its last day
    db.session.commit()
    open_before = client.get(url)
    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    response = client.post(url, data=_form(open_before, csrf, text="Late words.", submit="Submit"))
    html = response.get_data(as_text=True)
    assert "closed and does not accept new words" in html and "Late words." in html  # kept on screen
    assert db.session.query(Reflection).count() == 0

    newcomer = client.application.test_client()
    page = newcomer.get("/join")
    refused = newcomer.post("/join", data={"code": roundtable.join_code, "language": "en", "csrf_token": csrf(page)})
    assert "closed and does not accept new words" in refused.get_data(as_text=True)


def test_a_reflection_with_an_approved_quote_opens_as_words_to_read_not_a_form(client, make, csrf):
    participant = make.participant(language="en")
    reflection = make.reflection(participant, text="Plea bargaining spared my sister a trial.", status="released")
    make.quote(reflection)
    _sign_in(client, participant, csrf)

    html = client.get(f"/my/reflections/{reflection.id}").get_data(as_text=True)

    assert "A quote of it was approved, so it can no longer be changed." in html
    assert '<blockquote lang="en">Plea bargaining spared my sister a trial.</blockquote>' in html
    assert "<textarea" not in html and "Submit changes" not in html


def test_a_double_click_stores_one_reflection_and_both_answers_say_thank_you(app, make, csrf):
    participant = make.participant(language="en")
    prompt_id = participant.roundtable.prompts[0].id
    db.session.commit()
    first, second = app.test_client(), app.test_client()  # one person, two requests in flight
    forms = []
    for browser in (first, second):
        _sign_in(browser, participant, csrf)
        forms.append(_form(browser.get(f"/write/{prompt_id}"), csrf, text="Judges should listen.", submit="Submit"))
    forms[1]["idempotency_key"] = forms[0]["idempotency_key"]  # the same form, sent twice

    answers = at_once(lambda: first.post(f"/write/{prompt_id}", data=forms[0]),
                       lambda: second.post(f"/write/{prompt_id}", data=forms[1]))

    assert [answer.status_code for answer in answers] == [302, 302]
    db.session.expire_all()
    stored = db.session.scalars(select(Reflection).where(Reflection.participant_id == participant.id)).all()
    assert [(r.status, r.text) for r in stored] == [("submitted", "Judges should listen.")]


def test_an_autosave_on_its_way_when_submit_is_pressed_never_turns_the_reflection_back_into_a_draft(app, make, csrf):
    participant = make.participant(language="en")
    prompt_id = participant.roundtable.prompts[0].id
    db.session.commit()
    browser, autosaver = app.test_client(), app.test_client()
    _sign_in(browser, participant, csrf)
    _sign_in(autosaver, participant, csrf)
    for attempt in range(5):  # either may come first; the outcome must not depend on it
        form = _form(browser.get(f"/write/{prompt_id}"), csrf, text=f"Courts should explain, {attempt}.")
        draft = {**form, "csrf_token": csrf(autosaver.get(f"/write/{prompt_id}"))}
        answers = at_once(lambda: browser.post(f"/write/{prompt_id}", data={**form, "submit": "Submit"}),
                           lambda: autosaver.post(f"/write/{prompt_id}/autosave", data=draft))
        assert answers[0].status_code == 302 and answers[1].status_code in (200, 409)
    db.session.expire_all()
    stored = db.session.scalars(select(Reflection).where(Reflection.participant_id == participant.id)).all()
    assert [r.status for r in stored] == ["submitted"] * 5


def test_save_and_take_a_break_keeps_the_draft_and_ends_every_copy_of_the_session(app, client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    other_tab = second_browser_with_the_cookie_of(app, client)
    url = f"/write/{participant.roundtable.prompts[0].id}"

    response = client.post(url, data=_form(client.get(url), csrf, text="Courts can listen.", leave="Save and take a break"))
    response.close()  # as a server does once the answer is sent: then the copies end

    assert response.status_code == 302 and response.location.startswith("/return")
    draft = db.session.scalars(select(Reflection).where(Reflection.participant_id == participant.id)).one()
    assert draft.status == "draft"
    assert client.get("/my").status_code == 302
    assert other_tab.get("/my").status_code == 302


def test_back_after_submit_and_submit_again_stores_one_reflection(client, make, csrf):
    """The page is not cached: Back asks for it again and gets a new key, and the browser puts the words back."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    words = "Judges should let a child speak from another room."
    client.post(url, data=_form(client.get(url), csrf, text=words, submit="Submit"))

    again = client.post(url, data=_form(client.get(url), csrf, text=words, submit="Submit"))

    assert again.status_code == 302
    assert db.session.query(Reflection).count() == 1
    other = client.post(url, data=_form(client.get(url), csrf, text="A second, different answer.", submit="Submit"))
    assert other.status_code == 302 and db.session.query(Reflection).count() == 2, "other words are a new reflection"
    client.post(url, data=_form(client.get(url), csrf, text=words, submit="Submit", language="mixed"))
    assert db.session.query(Reflection).count() == 2
    assert db.session.scalars(select(Reflection).where(Reflection.language == "mixed")).one().text == words, \
        "the language chosen the second time is kept"


@pytest.mark.parametrize("more", ["", " I want to add: the court should be kind."])
def test_back_after_submit_autosaves_no_second_reflection_of_the_words_sent(client, make, csrf, more):
    """With JavaScript, the words the browser puts back after Back were autosaved as a new draft (QA); then they
    were said to be "Draft saved", though no draft was saved, and with more typed a draft holding them was (QA 8)."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    prompt_id = participant.roundtable.prompts[0].id
    url = f"/write/{prompt_id}"
    words = "Judges should let a child speak from another room."
    client.post(url, data=_form(client.get(url), csrf, text=words, submit="Submit"))

    autosaved = client.post(f"{url}/autosave", data=_form(client.get(url), csrf, text=words + more),
                            headers={"Accept": "application/json"})

    assert autosaved.status_code == 409
    assert autosaved.get_json() == {"saved": False, "message": "Not saved as a draft: you already submitted these "
                                    "words, or part of them. Press a button below to choose what to do."}
    assert db.session.scalars(select(Reflection.status)).all() == ["submitted"]


def _back_after_submit_and_more_typed(client, make, csrf, language="en"):
    """Submitted, then Back: the browser put the words back in the box, and more was typed after them (QA 8).
    Returns the writing page's address, the page answering the button pressed, the reflection sent, the words."""
    participant = make.participant(language=language)
    _sign_in(client, participant, csrf)
    client.get(f"/language/{language}")
    url = f"/write/{participant.roundtable.prompts[0].id}"
    words = "Judges should listen to survivors. Video testimony helps children heal."
    client.post(url, data=_form(client.get(url), csrf, text=words, submit="Submit"))
    sent = db.session.query(Reflection).one()
    more = f"{words} I want to add: the court should be kind."
    asked = client.post(f"{url}?sent=1", data=_form(client.get(url), csrf, text=more, submit="Submit"))
    return url, asked, sent, more


@pytest.mark.parametrize("language", ["en", "fil"])
def test_words_submitted_then_put_back_after_back_are_asked_about_before_a_second_reflection(client, make, csrf,
                                                                                             language):
    _url, asked, sent, more = _back_after_submit_and_more_typed(client, make, csrf, language)

    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert ("You already submitted these words, or part of them, for this question. Submit them as a new reflection, "
            "or change the reflection you submitted?" if language == "en" else
            "Naisumite mo na ang mga salitang ito, o ang bahagi ng mga ito, para sa tanong na ito.") in html
    assert more in html, "the words stay in the box"
    assert f'<button type="submit" name="change_sent" value="{sent.id}">' in html
    assert ("Submit as a new reflection" if language == "en" else "Isumite bilang bagong pagninilay") in html
    assert '<input type="hidden" name="as_new" value="1">' in html
    assert db.session.scalars(select(Reflection.text)).all() == [sent.text], "nothing stored a second time"


def test_asked_about_words_submitted_before_change_the_one_submitted_puts_them_in_its_place(client, make, csrf):
    url, asked, sent, more = _back_after_submit_and_more_typed(client, make, csrf)

    changed = client.post(url, data=_form(asked, csrf, text=more, change_sent=str(sent.id)), follow_redirects=True)

    assert "Thank you. Your reflection was submitted." in changed.get_data(as_text=True)
    db.session.expire_all()
    assert [(r.id, r.status, r.text) for r in db.session.query(Reflection)] == [(sent.id, "submitted", more)]


@pytest.mark.parametrize(("button", "status"), [("submit", "submitted"), ("save", "draft"), ("leave", "draft")])
def test_asked_about_words_submitted_before_the_other_buttons_make_a_new_reflection(client, make, csrf, button,
                                                                                    status):
    url, asked, sent, more = _back_after_submit_and_more_typed(client, make, csrf)

    answered = client.post(url, data={**_form(asked, csrf, text=more, as_new="1"), button: "1"})

    assert answered.status_code == 302
    assert [(r.status, r.text) for r in db.session.query(Reflection).order_by(Reflection.id)] == [
        ("submitted", sent.text), (status, more)]


def test_asked_about_words_submitted_before_another_reflection_is_not_changed_in_its_place(client, make, csrf):
    url, asked, sent, more = _back_after_submit_and_more_typed(client, make, csrf)
    other = make.reflection(make.participant(roundtable=sent.participant.roundtable), status="submitted")

    refused = client.post(url, data=_form(asked, csrf, text=more, change_sent=str(other.id)))

    assert refused.status_code == 404
    db.session.expire_all()
    assert db.session.get(Reflection, other.id).text != more and db.session.get(Reflection, sent.id).text != more


@pytest.mark.parametrize("button", ["save", "leave", "switch_language"])
def test_every_button_asks_about_words_submitted_before_but_a_page_closing_with_nobody_there(client, make, csrf,
                                                                                          button):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    words = "Judges should listen to survivors."
    client.post(url, data=_form(client.get(url), csrf, text=words, submit="Submit"))
    more = {**_form(client.get(url), csrf, text=f"{words} And explain what happens next."), button: "fil"}

    asked = client.post(url, data=more)

    assert asked.status_code == 200 and 'name="change_sent"' in asked.get_data(as_text=True)
    if button == "leave":
        closing = client.post(url, data={**more, "closed_for_safety": "1"})
        assert closing.status_code == 302 and closing.headers["Location"].startswith("/return"), "the session ends"
        assert db.session.scalars(select(Reflection.status).order_by(Reflection.id)).all() == ["submitted", "draft"]
    else:
        assert db.session.query(Reflection).count() == 1


def test_words_submitted_before_are_not_asked_about_an_hour_later_or_when_only_some_are_typed_again(
        client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    words = "Judges should listen to survivors."
    client.post(url, data=_form(client.get(url), csrf, text=words, submit="Submit"))

    part = client.post(url, data=_form(client.get(url), csrf, text="Judges should listen. More.", submit="Submit"))
    assert part.status_code == 302, "only part of the words sent: another reflection"
    sent = db.session.scalars(select(Reflection).order_by(Reflection.id)).first()
    sent.updated_at = sent.updated_at - timedelta(hours=1, minutes=1)
    db.session.commit()
    later = client.post(url, data=_form(client.get(url), csrf, text=f"{words} Written again.", submit="Submit"))
    assert later.status_code == 302
    assert db.session.query(Reflection).count() == 3


def test_the_words_submitted_put_back_and_saved_as_a_draft_are_said_to_be_already_sent(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    words = "Judges should listen to survivors."
    client.post(url, data=_form(client.get(url), csrf, text=words, submit="Submit"))

    saved = client.post(url, data=_form(client.get(url), csrf, text=words, save="Save draft"), follow_redirects=True)

    html = saved.get_data(as_text=True)
    assert "Nothing to send: your reflection already reads just like this." in html
    assert "Your draft is saved." not in html
    assert db.session.scalars(select(Reflection.status)).all() == ["submitted"]


@pytest.mark.parametrize("opened", ["write", "edit"])
def test_the_writing_form_is_sent_to_an_address_other_than_its_pages_own(client, make, csrf, opened):
    """A button pressed as the signal drops: Chromium's error page for the page's own address took the page's
    place in history, so Back led past it and, without JavaScript, the words were gone (QA 8). The view answers
    at the form's address as at the page's, and a page answering there sends its form to the page's own."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    prompt_id = participant.roundtable.prompts[0].id
    url = f"/write/{prompt_id}"
    if opened == "edit":
        client.post(url, data=_form(client.get(url), csrf, text="First words.", save="Save draft"))
        url = f"/my/reflections/{db.session.query(Reflection).one().id}"
    page = client.get(url)
    assert _action_of(page) == f"{url}?sent=1"

    answered = client.post(f"{url}?sent=1", data=_form(page, csrf, text="x" * 10_001, save="Save draft"))

    assert "You wrote 10,001 characters; use at most 10,000." in answered.get_data(as_text=True)
    assert _action_of(answered) == url, "not the address it answered at, where Back would lead past it again"
    saved = client.post(_action_of(answered), data=_form(answered, csrf, text="Words sent again.", save="Save draft"))
    assert saved.status_code == 302 and saved.headers["Location"] == "/my"
    assert db.session.scalars(select(Reflection.text)).all() == ["Words sent again."]


def _action_of(page) -> str:
    return re.search(r'<form method="post" action="([^"]+)" novalidate class="writing"', page.get_data(as_text=True)).group(1)


def test_a_shared_reflection_is_changed_by_submitting_again_never_turned_back_into_a_draft(client, make, csrf):
    participant = make.participant(language="en")
    reflection = make.reflection(participant, status="submitted")
    _sign_in(client, participant, csrf)
    client.get("/language/en")
    url = f"/my/reflections/{reflection.id}"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert 'value="Submit changes"' in html and 'value="Submit changes and take a break"' in html
    assert "<title>Change your reflection: question 1 · Roundtable</title>" in html
    assert "Save draft" not in html

    refused = client.post(url, data=_form(page, csrf, text="Changed words.", save="Save draft"))  # an old page

    assert "cannot become a draft again" in refused.get_data(as_text=True)
    assert db.session.get(Reflection, reflection.id).status == "submitted"
    left = client.post(url, data=_form(page, csrf, text="Changed words, shared again.", leave="1"))
    assert left.headers["Location"].endswith("/return")
    assert "Your changes are submitted." in client.get("/return").get_data(as_text=True)
    stored = db.session.get(Reflection, reflection.id)
    assert (stored.status, stored.text) == ("submitted", "Changed words, shared again.")


@pytest.mark.parametrize(("status", "language", "said", "draft_said"), [
    ("released", "en", "A reflection you shared cannot be left empty. Put your words back, or, if you want it gone, "
                       "go back to “My words” and choose “Delete”.", "or save it as a draft"),
    ("submitted", "fil", "Hindi puwedeng iwanang walang laman ang pagninilay na naibahagi mo na.",
     "o i-save ito bilang borador"),
])
def test_a_shared_reflection_emptied_is_refused_naming_what_its_page_and_my_words_offer(
        client, make, csrf, status, language, said, draft_said):
    """QA r5-3: its page has no "Save draft", so the draft's advice led nowhere; deleting it is on My words."""
    participant = make.participant(language="en")
    reflection = make.reflection(participant, text="Healing takes time.", status=status)
    _sign_in(client, participant, csrf)
    client.get(f"/language/{language}")
    url = f"/my/reflections/{reflection.id}"

    refused = client.post(url, data=_form(client.get(url), csrf, text=" \r\n", submit="Submit changes"))

    html = refused.get_data(as_text=True)
    assert said in re.search(r'<p class="error" id="text-error">(.*?)</p>', html, re.S).group(1)
    assert draft_said not in html and 'name="save"' not in html
    db.session.expire_all()
    assert (db.session.get(Reflection, reflection.id).text, db.session.get(Reflection, reflection.id).status) == \
        ("Healing takes time.", status)
    assert f"/my/reflections/{reflection.id}/delete" in client.get("/my").get_data(as_text=True), \
        "My words offers its Delete, as the message says"


def test_submitting_a_shared_reflection_unchanged_leaves_it_where_it_is_and_says_so(client, make, csrf):
    """"Submit changes" with nothing changed took a released reflection out of curation: the facilitator's decision
    was lost and quotes of it vanished from the editors' pages (QA)."""
    participant = make.participant(language="en")
    reflection = make.reflection(participant, text="Healing takes time.\nCourts should wait.", status="released")
    quote = make.quote(reflection, text="Healing takes time.", approve=False)
    decided = (reflection.status, reflection.decided_at, reflection.decided_by_id)
    _sign_in(client, participant, csrf)
    client.get("/language/en")
    url = f"/my/reflections/{reflection.id}"

    # as the browser sends the box back: line ends as \r\n, the spaces a phone leaves at the end
    response = client.post(url, data=_form(client.get(url), csrf, text="Healing takes time.  \r\nCourts should wait. ",
                                           submit="Submit changes"), follow_redirects=True)

    assert "Nothing to send: your reflection already reads just like this." in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Reflection, reflection.id)
    assert (stored.status, stored.decided_at, stored.decided_by_id) == decided
    assert db.session.get(Quote, quote.id).status == quote.status

    left = client.post(url, data=_form(client.get(url), csrf, text=stored.text, leave="1"), follow_redirects=True)

    assert "Nothing to send: your reflection already reads just like this. Come back with your passphrase" \
        in left.get_data(as_text=True)
    assert client.get("/my").status_code == 302, "a break ends the session all the same"
    db.session.expire_all()
    assert db.session.get(Reflection, reflection.id).status == "released"


def test_a_shared_reflection_sent_in_another_language_waits_for_the_facilitator_again(client, make, csrf):
    participant = make.participant(language="en")
    reflection = make.reflection(participant, text="Healing takes time.", status="released")
    _sign_in(client, participant, csrf)
    client.get("/language/en")
    url = f"/my/reflections/{reflection.id}"

    response = client.post(url, data=_form(client.get(url), csrf, text="Healing takes time.", language="mixed",
                                           submit="Submit changes"), follow_redirects=True)

    assert "Thank you. Your reflection was submitted." in response.get_data(as_text=True)
    stored = db.session.get(Reflection, reflection.id)
    assert (stored.status, stored.language) == ("submitted", "mixed")


def test_the_language_buttons_of_the_writing_page_send_the_words_with_them(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert f'<form method="post" action="{url}?sent=1" novalidate class="writing" id="writing"' in html
    assert '<button type="submit" form="writing" name="switch_language" value="fil" lang="fil"' in html
    assert "/language/fil" not in html  # a plain link would leave the words behind

    switched = client.post(url, data=_form(page, csrf, text="Words typed before choosing Filipino.",
                                           switch_language="fil"))

    reflection = db.session.query(Reflection).one()
    assert (reflection.status, reflection.text) == ("draft", "Words typed before choosing Filipino.")
    assert switched.headers["Location"].endswith(f"/my/reflections/{reflection.id}")
    again = client.get(switched.headers["Location"]).get_data(as_text=True)
    assert '<html lang="fil">' in again and "Words typed before choosing Filipino." in again
    assert db.session.get(type(participant), participant.id).language == "fil"  # kept for the next visit


def test_changing_the_language_on_a_shared_reflection_keeps_the_changes_on_the_page_unsent(client, make, csrf):
    participant = make.participant(language="en")
    reflection = make.reflection(participant, status="submitted", text="Words the facilitator has.")
    _sign_in(client, participant, csrf)
    url = f"/my/reflections/{reflection.id}"

    switched = client.post(url, data=_form(client.get(url), csrf, text="Changed, not yet sent.", switch_language="fil"))

    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="fil">' in html
    assert "Changed, not yet sent." in html
    assert "Nandito pa ang mga binago mo." in html  # the changes are not submitted yet, in Filipino
    stored = db.session.get(Reflection, reflection.id)
    assert (stored.status, stored.text) == ("submitted", "Words the facilitator has.")


def test_a_language_button_with_words_too_long_keeps_them_and_says_why_in_the_language_chosen(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"

    switched = client.post(url, data=_form(client.get(url), csrf, text="Makinig po kayo. " * 700, switch_language="fil"))

    html = switched.get_data(as_text=True)
    assert '<html lang="fil">' in html and "Makinig po kayo. Makinig po kayo." in html
    assert "May 11,899 karakter ang isinulat mo; gumamit ng hindi hihigit sa 10,000." in html  # in the language chosen
    assert db.session.query(Reflection).count() == 0


def test_a_language_button_on_an_empty_writing_page_leads_to_it_again_so_back_works(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"

    switched = client.post(url, data=_form(client.get(url), csrf, text="", switch_language="fil"))

    assert switched.status_code == 302 and switched.headers["Location"] == url
    assert '<html lang="fil">' in client.get(url).get_data(as_text=True)
    assert db.session.query(Reflection).count() == 0


def test_a_participant_typing_where_nothing_autosaves_keeps_the_session_by_saying_so(client, app, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    page = client.get("/my")
    assert client.post("/still-here", data={"csrf_token": csrf(page)}).status_code == 204
    assert client.post("/still-here", data={}).status_code == 400  # a form of ours, with its token
    client.get("/exit")
    assert client.post("/still-here", data={"csrf_token": csrf(page)}).status_code in (302, 400)


def test_a_writing_pages_key_sent_with_another_prompt_moves_no_words_between_questions(client, make, csrf):
    participant = make.participant(language="en")
    roundtable = participant.roundtable
    second = roundtables.add_prompt(roundtable, roundtable.facilitator, "What would help?", "Ano ang makatutulong?")
    db.session.commit()
    _sign_in(client, participant, csrf)
    first_url = f"/write/{roundtable.prompts[0].id}"
    page = client.get(first_url)
    client.post(first_url, data=_form(page, csrf, text="Words for the first question.", save="Save draft"))

    for url in (f"/write/{second.id}", f"/write/{second.id}/autosave"):  # the first page's key, sent by hand
        answer = client.post(url, data=_form(page, csrf, text="Words for the second question.", save="Save draft"))
        assert answer.status_code in (200, 302, 400, 404)

    db.session.expire_all()
    draft = db.session.query(Reflection).one()
    assert (draft.prompt_id, draft.text) == (roundtable.prompts[0].id, "Words for the first question.")


def _closed_with_nobody_there(browser, page, csrf, url, text):
    """What participant.js sends as the page closes itself for safety with words not saved yet."""
    return browser.post(url, data=_form(page, csrf, text=text, leave="Save and take a break", closed_for_safety="1"))


def _closed_and_shown_nothing(response, words, status, heading="Your page closed to keep your words safe"):
    html = response.get_data(as_text=True)
    assert response.status_code == status and words not in html and "<textarea" not in html, "no words on screen"
    assert heading in html and 'href="/return"' in html


def test_a_page_closing_with_nobody_there_after_its_roundtable_closed_ends_the_session_and_shows_no_words(
        app, client, make, csrf):
    """Its last words cannot be saved: shown back on the writing page, they stayed on a shared phone's screen, the
    session renewed, for another whole idle time (QA)."""
    participant = make.participant(language="fil")
    roundtable = participant.roundtable
    _sign_in(client, participant, csrf)
    other_tab = second_browser_with_the_cookie_of(app, client)
    url = f"/write/{roundtable.prompts[1].id}"
    page = client.get(url)
    client.post(f"{url}/autosave", data=_form(page, csrf, text="Dapat makinig ang korte."),
                headers={"Accept": "application/json"})
    roundtables.set_status(roundtable, roundtable.facilitator, "closed")
    db.session.commit()

    closing = _closed_with_nobody_there(client, page, csrf, url, "Dapat makinig ang korte. Sana mabait sila.")
    closing.close()  # as a server does once the answer is sent: then the copies end

    _closed_and_shown_nothing(closing, "Sana mabait sila", 409,
                              "Nagsara ang iyong pahina para manatiling ligtas ang iyong mga salita")
    assert client.get("/my").headers["Location"].endswith("/return")
    assert other_tab.get("/my").headers["Location"].endswith("/return"), "every copy of the session ended"
    assert "isinara namin ang iyong session" in client.get("/return").get_data(as_text=True)
    assert db.session.query(Reflection).one().text == "Dapat makinig ang korte.", "what was saved is kept"


def test_a_page_closing_with_nobody_there_whose_form_token_expired_ends_the_session_and_saves_nothing(
        app, client, make, csrf):
    """Refused by its CSRF check, its last words were not saved and the session went on, the error page on a shared
    phone's screen, for another whole idle time. Its token went with the session it was opened in (a quick exit,
    then a sign-in again, in another tab); its browser says a page of this site sent it (Sec-Fetch-Site)."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    page = client.get(url)
    client.get("/exit")
    _sign_in(client, participant, csrf)
    other_tab = second_browser_with_the_cookie_of(app, client)

    closing = client.post(url, data={**_form(page, csrf, text="Courts should explain each step.", leave="y"),
                                     "closed_for_safety": "1"}, headers={"Sec-Fetch-Site": "same-origin"})
    closing.close()  # as a server does once the answer is sent: then the copies end

    _closed_and_shown_nothing(closing, "Courts should explain", 400)
    assert client.get("/my").headers["Location"].endswith("/return")
    assert other_tab.get("/my").headers["Location"].endswith("/return"), "every copy of the session ended"
    assert db.session.query(Reflection).count() == 0, "nothing is saved without a valid token"


@pytest.mark.parametrize("forgers_own_token, sent_from", [
    pytest.param(False, "cross-site", id="no token"),
    pytest.param(True, "cross-site", id="a token of the forger's own session"),
    pytest.param(False, "same-site", id="from a neighbouring site"),
    pytest.param(False, None, id="from a browser too old to say"),
])
def test_a_form_from_another_site_saying_a_page_closed_for_safety_signs_nobody_out(app, client, make, csrf,
                                                                                   forgers_own_token, sent_from):
    """A form on any site could end a participant's session: the page-closing mark alone was believed, though its
    token was refused. It is refused as any such form is, and the participant's page goes on as it was."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    page = client.get(url)
    token = csrf(app.test_client().get("/join")) if forgers_own_token else ""
    forged = {**_form(page, csrf, text="Words from another site.", leave="y"), "closed_for_safety": "1",
              "csrf_token": token}

    refused = client.post(url, data=forged, headers={"Sec-Fetch-Site": sent_from} if sent_from else {})
    refused.close()

    assert refused.status_code == 400 and "This page is out of date" in refused.get_data(as_text=True)
    assert client.get("/my").status_code == 200, "still signed in"
    assert client.post(url, data=_form(page, csrf, text="My own words.", save="y")).status_code == 302
    assert db.session.query(Reflection).one().text == "My own words."


def test_a_page_closing_with_nobody_there_after_its_draft_was_submitted_in_another_tab_shows_no_words(
        app, client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    other_tab = second_browser_with_the_cookie_of(app, client)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    client.post(url, data=_form(client.get(url), csrf, text="Judges should listen.", save="Save draft"))
    page, other_page = client.get(url), other_tab.get(url)  # both tabs on the same draft
    other_tab.post(url, data=_form(other_page, csrf, text="Judges should listen.", submit="Submit"))

    closing = _closed_with_nobody_there(client, page, csrf, url, "Judges should listen. Video testimony helps.")

    _closed_and_shown_nothing(closing, "Video testimony helps", 409)
    assert client.get("/my").headers["Location"].endswith("/return")
    stored = db.session.query(Reflection).one()
    assert (stored.status, stored.text) == ("submitted", "Judges should listen.")


def test_a_page_closing_with_nobody_there_after_its_reflection_was_deleted_in_another_tab_ends_the_session(
        app, client, make, csrf):
    participant = make.participant(language="en")
    reflection = make.reflection(participant, status="draft")
    _sign_in(client, participant, csrf)
    url = f"/my/reflections/{reflection.id}"
    page = client.get(url)
    withdrawal.delete_reflection(participant, reflection)
    db.session.commit()

    closing = _closed_with_nobody_there(client, page, csrf, url, "Courts should be kind to children.")

    _closed_and_shown_nothing(closing, "kind to children", 404)
    assert client.get("/my").headers["Location"].endswith("/return")


def test_words_refused_for_another_reason_are_still_shown_back_while_someone_is_there(client, make, csrf):
    """Only the page's own last words are kept off the screen: a button pressed is someone there."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    url = f"/write/{participant.roundtable.prompts[0].id}"
    page = client.get(url)
    client.post(url, data=_form(page, csrf, text="Judges should listen.", submit="Submit"))

    pressed = client.post(url, data=_form(page, csrf, text="Judges should listen. Video helps.", save="Save draft"))

    assert pressed.status_code == 200 and "Judges should listen. Video helps.</textarea>" in pressed.get_data(as_text=True)
    assert client.get("/my").status_code == 200, "still signed in"


STALE_DRAFT = ("This draft was changed on another page or tab. Your words here were not saved: copy them, then open the "
               "draft again.")


def _draft_open_on_two_phones(app, client, make, csrf):
    """A draft open in this browser and in another holding the same session (a second tab or phone): its address,
    the two browsers, and the page each shows."""
    participant = make.participant(language="en")
    draft = make.reflection(participant, text="Simula ng borador.", status="draft")
    _sign_in(client, participant, csrf)
    other_phone = second_browser_with_the_cookie_of(app, client)
    url = f"/my/reflections/{draft.id}"
    return url, client, other_phone, client.get(url), other_phone.get(url)


def _autosave(browser, url, page, text, **fields):
    return browser.post(f"/write/{db.session.get(Reflection, int(url.rsplit('/', 1)[1])).prompt_id}/autosave",
                        data={**hidden_fields_of(page), "text": text, "language": "en", **fields},
                        headers={"Accept": "application/json"})


def test_the_draft_autosaved_on_another_phone_is_not_overwritten_by_an_older_page(app, client, make, csrf):
    """QA r1-1: whichever tab autosaved last put its words in place of the other's, which still said "Draft saved"."""
    url, first, second, page_a, page_b = _draft_open_on_two_phones(app, client, make, csrf)
    a_saved = _autosave(first, url, page_a, "Simula ng borador. Mga salita mula sa tab A.")
    assert a_saved.status_code == 200 and a_saved.get_json()["saved"] is True

    b_refused = _autosave(second, url, page_b, "Simula ng borador. Tab B.")

    assert b_refused.status_code == 409 and b_refused.get_json() == {"saved": False, "message": STALE_DRAFT}
    db.session.expire_all()
    assert db.session.query(Reflection).one().text == "Simula ng borador. Mga salita mula sa tab A."
    # The page that saved goes on saving, from the words it saved last (writing.js keeps what the answer said).
    again = _autosave(first, url, page_a, "Simula ng borador. Mga salita mula sa tab A. At B.",
                      seen=a_saved.get_json()["seen"])
    assert again.get_json()["saved"] is True
    db.session.expire_all()
    assert db.session.query(Reflection).one().text == "Simula ng borador. Mga salita mula sa tab A. At B."


def test_an_autosave_after_one_whose_answer_was_lost_saves_the_words_it_tried_are_its_own(app, client, make, csrf):
    """A survivor on flaky data: an autosave stored, its answer lost as the signal dropped, so the page kept its old
    ``seen``, and its next autosave was refused as changed on another page or tab. writing.js now sends the words
    whose answer it never heard (``tried``); the other phone's page, which sent other words, is still refused."""
    url, first, second, page_a, page_b = _draft_open_on_two_phones(app, client, make, csrf)
    lost = _autosave(first, url, page_a, "Simula ng borador.\r\nNawala ang sagot.")
    assert lost.get_json()["saved"] is True  # stored: the page never heard it
    more = "Simula ng borador.\r\nNawala ang sagot. At higit pa."
    assert _autosave(first, url, page_a, more).status_code == 409, "without tried, refused as before"

    saved = _autosave(first, url, page_a, more, tried="Simula ng borador.\r\nNawala ang sagot.")

    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    db.session.expire_all()
    assert db.session.query(Reflection).one().text == "Simula ng borador.\nNawala ang sagot. At higit pa."
    refused = _autosave(second, url, page_b, "Simula ng borador. Tab B.", tried="Simula ng borador. Tab B.")
    assert refused.status_code == 409 and refused.get_json() == {"saved": False, "message": STALE_DRAFT}
    # The buttons send tried too (writing.js fills it): Save draft from the first page, still at its old seen.
    pressed = first.post(f"{url}?sent=1", data={**hidden_fields_of(page_a), "text": more + " Wakas.",
                                                "language": "en", "save": "y", "tried": more})
    assert pressed.status_code == 302
    db.session.expire_all()
    assert db.session.query(Reflection).one().text == "Simula ng borador.\nNawala ang sagot. At higit pa. Wakas."


@pytest.mark.parametrize("done", ["submitted", "deleted"])
def test_an_autosave_from_a_tab_whose_draft_was_submitted_or_deleted_in_another_says_so_and_to_copy_the_words(
        client, make, csrf, done):
    """The old tab was told only "Not saved. Use the buttons below to save." (an empty message): its buttons cannot
    save the words as that draft either. It now says what happened and to copy the words, and autosaves no more, its
    warning before it closes itself saying the words are not saved (writing.js takes ``warning`` so)."""
    participant = make.participant(language="en")
    draft = make.reflection(participant, text="Simula ng borador.", status="draft")
    _sign_in(client, participant, csrf)
    url = f"/my/reflections/{draft.id}"
    old_tab, other_tab = client.get(url), client.get(url)
    if done == "submitted":
        pressed = client.post(f"{url}?sent=1", data={**hidden_fields_of(other_tab), "text": "Simula ng borador. Tapos.",
                                                      "language": "en", "submit": "Submit"})
    else:
        pressed = client.post(f"{url}/delete", data={"csrf_token": csrf(client.get(f"{url}/delete"))})
    assert pressed.status_code == 302 and db.session.get(Reflection, draft.id).status == (
        "submitted" if done == "submitted" else "withdrawn")

    refused = _autosave(client, url, old_tab, "Simula ng borador. Mga bagong salita.")

    said = {"submitted": "This draft was submitted on another page or tab, so your words here were not saved: copy them "
                         "if you want to keep them, then open it again in “My words”.",
            "deleted": "This draft was deleted on another page or tab, so your words here were not saved: copy them if "
                       "you want to keep them."}[done]
    assert refused.status_code == 409 and refused.get_json() == {"saved": False, "message": said, "warning": (
        "For your safety this page will close soon if nothing happens. Your words here are not saved: copy them "
        "before the page closes. Type or press a button to stay.")}
    db.session.expire_all()
    assert "Mga bagong salita" not in (db.session.get(Reflection, draft.id).text or "")


def test_a_page_shown_again_after_a_button_keeps_the_words_it_tried(app, client, make, csrf):
    """Words too long, say: the page comes back with what writing.js had in ``tried``, so its next save is not
    refused because the answer of an earlier one was lost."""
    url, first, _second, page_a, _page_b = _draft_open_on_two_phones(app, client, make, csrf)
    tried = "Simula ng borador. Nawala ang sagot.\x1fSimula ng borador. & <Hindi> umabot."

    shown_again = first.post(f"{url}?sent=1", data={**hidden_fields_of(page_a), "text": "Makinig. " * 1200,
                                                    "language": "en", "save": "y", "tried": tried})

    assert shown_again.status_code == 200 and "use at most 10,000" in shown_again.get_data(as_text=True)
    assert hidden_fields_of(shown_again)["tried"] == tried
    assert "tried" not in hidden_fields_of(page_a), "nothing on the page as it opens"


@pytest.mark.parametrize("button", ["save", "submit", "leave"])
def test_a_button_pressed_on_a_page_older_than_the_draft_keeps_its_words_on_the_page_and_saves_nothing(
        app, client, make, csrf, button):
    """Without JavaScript, Save draft, Submit and Save and take a break take the same path: the words stay in the
    box, said not saved, and the draft saved from the other phone stays as it is."""
    url, first, second, page_a, page_b = _draft_open_on_two_phones(app, client, make, csrf)
    assert first.post(f"{url}?sent=1", data={**hidden_fields_of(page_a), "text": "Mga salita ng A.",
                                             "language": "en", "save": "y"}).status_code == 302

    refused = second.post(f"{url}?sent=1", data={**hidden_fields_of(page_b), "text": "Mga salita ng B.",
                                                  "language": "en", button: "y"})

    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and STALE_DRAFT in html
    assert re.search(r"<textarea[^>]*>\s*Mga salita ng B.</textarea>", html), "the words stay in the box, to be copied"
    assert hidden_fields_of(refused)["seen"] == hidden_fields_of(page_b)["seen"], "pressed again, refused again"
    assert second.get("/my").status_code == 200, "still signed in"
    db.session.expire_all()
    assert [(r.status, r.text) for r in db.session.query(Reflection)] == [("draft", "Mga salita ng A.")]


def test_the_same_form_sent_twice_from_a_page_stores_its_words_once(app, client, make, csrf):
    """A double click or a retry sends the words the first sending saved, from the mark before them: not a change
    made elsewhere."""
    url, first, _second, page_a, _page_b = _draft_open_on_two_phones(app, client, make, csrf)
    form = {**hidden_fields_of(page_a), "text": "Simula ng borador. Pa-dalawa.", "language": "en", "submit": "y"}

    answers = [first.post(f"{url}?sent=1", data=form) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [302, 302]
    db.session.expire_all()
    assert [(r.status, r.text) for r in db.session.query(Reflection)] == [("submitted", "Simula ng borador. Pa-dalawa.")]
