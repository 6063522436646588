"""Facilitators add and reword the questions of their roundtables, in both languages."""

import re

from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent, Prompt
from tests.conftest import csrf_token_of, hidden_fields_of
from tests.deployment.live import at_once


def _add_question(client, make, login, csrf, *, prompts: int, text_fil: str, text_en: str):
    """A facilitator with a roundtable of ``prompts`` questions posts one more; returns the roundtable and answer."""
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator, prompts=prompts)
    login(facilitator)
    client.get("/language/en")
    url = f"/facilitator/roundtables/{roundtable.id}"
    response = client.post(url + "/prompts", data={
        "text_fil": text_fil, "text_en": text_en, "csrf_token": csrf(client.get(url)),
    })
    return roundtable, response


def test_a_facilitator_adds_a_question_at_the_end_in_both_languages(client, make, login, csrf):
    roundtable, response = _add_question(
        client, make, login, csrf, prompts=2,
        text_fil="Ano ang makakatulong sa batang tumestigo?", text_en="What would help a child who testifies?",
    )
    assert response.status_code == 302
    db.session.refresh(roundtable)
    added = roundtable.prompts[-1]
    assert (added.position, added.text_en) == (3, "What would help a child who testifies?")
    page = client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)
    assert "What would help a child who testifies?" in page
    assert "prompt.added" in db.session.scalars(select(AuditEvent.action)).all()


def test_a_question_needs_both_languages_and_nothing_is_added_without_them(client, make, login, csrf):
    roundtable, response = _add_question(client, make, login, csrf, prompts=1, text_fil="",
                                         text_en="What should judges know?")
    assert response.status_code == 200
    assert "has-error" in response.get_data(as_text=True)
    assert db.session.query(Prompt).filter_by(roundtable_id=roundtable.id).count() == 1


def test_a_facilitator_rewords_their_question_but_not_anyone_elses(client, app, make, login, csrf):
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator, prompts=1)
    prompt = roundtable.prompts[0]
    login(facilitator)
    page = client.get(f"/facilitator/prompts/{prompt.id}")
    assert page.status_code == 200
    client.post(f"/facilitator/prompts/{prompt.id}", data={
        **hidden_fields_of(page), "text_fil": "Paano dapat makinig ang korte?", "text_en": "How should a court listen?",
    })
    db.session.refresh(prompt)
    assert (prompt.text_fil, prompt.text_en) == ("Paano dapat makinig ang korte?", "How should a court listen?")
    assert "prompt.updated" in db.session.scalars(select(AuditEvent.action)).all()

    stranger = app.test_client()
    login(make.user("facilitator"), on=stranger)
    assert stranger.get(f"/facilitator/prompts/{prompt.id}").status_code == 404
    assert stranger.get("/facilitator/prompts/999999").status_code == 404


def test_rewording_a_question_that_has_answers_warns_first(client, make, login):
    participant = make.participant()
    prompt = participant.roundtable.prompts[0]
    login(participant.roundtable.facilitator)
    client.get("/language/en")
    url = f"/facilitator/prompts/{prompt.id}"
    assert "answers this prompt" not in client.get(url).get_data(as_text=True)
    make.reflection(participant, status="draft")
    assert "1 reflection answers this prompt." in client.get(url).get_data(as_text=True)


def test_a_prompt_page_opened_before_another_save_shows_that_save_instead_of_undoing_it(app, client, make, login):
    facilitator = make.user("facilitator")
    prompt = make.roundtable(facilitator, prompts=1).prompts[0]
    login(facilitator)
    client.get("/language/en")
    url = f"/facilitator/prompts/{prompt.id}"
    older, newer = client.get(url), client.get(url)  # two tabs
    client.post(url, data={**hidden_fields_of(newer), "text_fil": "Paano dapat protektahan ang privacy ng bata?",
                           "text_en": "How should courts protect a child witness's privacy?"})

    refused = client.post(url, data={**hidden_fields_of(older), "text_fil": "Ano ang kailangan ng batang saksi?",
                                     "text_en": "What does a child witness need?"})

    html = refused.get_data(as_text=True)
    assert "This prompt was saved on another page after you opened this one." in html
    assert "What does a child witness need?" in html, "what was typed stays in the form"
    assert '<a href="#text_fil">' in html, "said at the first box whose words differ, the Filipino one"
    assert "How should courts protect a child witness&#39;s privacy?" in html, "what is saved now is shown"
    assert db.session.get(Prompt, prompt.id).text_en == "How should courts protect a child witness's privacy?"
    again = client.post(url, data={**hidden_fields_of(refused), "text_fil": "Ano ang kailangan ng batang saksi?",
                                   "text_en": "What does a child witness need?"})
    assert again.status_code == 302, "having seen what is saved, saving again goes through"
    assert db.session.get(Prompt, prompt.id).text_en == "What does a child witness need?"


def test_a_prompt_form_sent_twice_saves_once_and_says_saved(client, make, login):
    facilitator = make.user("facilitator")
    prompt = make.roundtable(facilitator, prompts=1).prompts[0]
    login(facilitator)
    client.get("/language/en")
    url = f"/facilitator/prompts/{prompt.id}"
    sent = {**hidden_fields_of(client.get(url)), "text_fil": "Paano makikinig ang korte?",
            "text_en": "How should a court listen?"}

    first, second = client.post(url, data=sent), client.post(url, data=sent)

    assert first.status_code == second.status_code == 302
    assert "Changes saved." in client.get(second.headers["Location"]).get_data(as_text=True)
    assert db.session.scalars(select(AuditEvent.action)).all().count("prompt.updated") == 1


def test_a_question_already_asked_is_not_added_again_from_a_page_opened_anew(client, make, login):
    """Back after "Add prompt": the browser puts the words back into a page with a new key. A prompt cannot be
    removed once people may answer it, so the copy is refused, at the box that repeats another question."""
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator, prompts=1)
    login(facilitator)
    client.get("/language/en")
    url = f"/facilitator/roundtables/{roundtable.id}"
    words = {"text_fil": "Ano ang kailangan ng pamilya?", "text_en": "What do families need?"}
    assert client.post(url + "/prompts", data={**hidden_fields_of(client.get(url)), **words}).status_code == 302

    again = client.post(url + "/prompts", data={**hidden_fields_of(client.get(url)), **{
        "text_fil": "  ano ang kailangan ng  pamilya? ", "text_en": "What do families need now?"}})

    html = again.get_data(as_text=True)
    assert again.status_code == 200
    assert '<a href="#text_fil">Prompt in Filipino: Question 2 of this roundtable already asks this.' in html
    assert "What do families need now?" in html, "what was typed stays in the form"
    assert [p.position for p in db.session.get(type(roundtable), roundtable.id).prompts] == [1, 2]


def test_a_question_cannot_be_reworded_into_another_question_of_its_roundtable(client, make, login):
    facilitator = make.user("facilitator")
    first, second = make.roundtable(facilitator, prompts=2).prompts
    login(facilitator)
    client.get("/language/en")
    url = f"/facilitator/prompts/{second.id}"

    refused = client.post(url, data={**hidden_fields_of(client.get(url)), "text_fil": "Bagong tanong tungkol sa korte?",
                                      "text_en": first.text_en})

    assert "Question 1 of this roundtable already asks this." in refused.get_data(as_text=True)
    assert db.session.get(Prompt, second.id).text_en != first.text_en


def test_a_question_reworded_into_another_in_english_is_refused_beside_the_english_box(client, make, login):
    """QA r2 #4: the Filipino words changed too, but only the English ones repeat question 1: said there."""
    facilitator = make.user("facilitator")
    first, second = make.roundtable(facilitator, prompts=2).prompts
    login(facilitator)
    client.get("/language/en")
    url = f"/facilitator/prompts/{second.id}"

    refused = client.post(url, data={**hidden_fields_of(client.get(url)), "text_fil": "Iba", "text_en": first.text_en})

    html = refused.get_data(as_text=True)
    assert '<a href="#text_en">Prompt in English: Question 1 of this roundtable already asks this.' in html
    assert '<a href="#text_fil">' not in html
    assert "Iba</textarea>" in html, "what was typed stays in the form"


def _roundtable_page(client, make, login, *, status="draft", prompts=3, language="en"):
    """A facilitator's roundtable of ``prompts`` questions and its page, as they see it."""
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator, status=status, prompts=prompts)
    login(facilitator)
    client.get(f"/language/{language}")
    return roundtable, client.get(f"/facilitator/roundtables/{roundtable.id}")


def _texts(roundtable) -> list[str]:
    db.session.expire_all()
    prompts = db.session.scalars(select(Prompt).where(Prompt.roundtable_id == roundtable.id)
                                 .order_by(Prompt.position)).all()
    assert [prompt.position for prompt in prompts] == list(range(1, len(prompts) + 1)), "positions stay 1, 2, 3…"
    return [prompt.text_en for prompt in prompts]


def _move(client, roundtable, prompt, direction, page):
    order = re.search(r'name="order" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post(f"/facilitator/roundtables/{roundtable.id}/prompts/{prompt.id}/move",
                       data={"csrf_token": csrf_token_of(page), "order": order, "direction": direction})


def _remove(client, roundtable, prompt, page, **confirmed):
    return client.post(f"/facilitator/roundtables/{roundtable.id}/prompts/{prompt.id}/remove",
                       data={"csrf_token": csrf_token_of(page), **confirmed})


def test_a_prompt_of_a_draft_is_removed_once_the_facilitator_confirms_and_the_others_close_up(client, make, login):
    roundtable, page = _roundtable_page(client, make, login)
    second = roundtable.prompts[1]
    html = page.get_data(as_text=True)
    assert re.search(r'>Remove<span class="visually-hidden"> prompt 2</span></button>', html)

    asked = _remove(client, roundtable, second, page)

    question = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "<h1>Remove prompt 2?</h1>" in question
    assert "“Prompt 2 in English” is removed in both languages." in question
    assert len(_texts(roundtable)) == 3, "nothing is removed before the answer"
    assert f'href="/facilitator/roundtables/{roundtable.id}">No, go back</a>' in question

    removed = client.post(f"/facilitator/roundtables/{roundtable.id}/prompts/{second.id}/remove",
                          data={**hidden_fields_of(asked), "confirmed": "yes"})

    assert removed.headers["Location"].endswith(f"/facilitator/roundtables/{roundtable.id}")
    assert _texts(roundtable) == ["Prompt 1 in English", "Prompt 3 in English"]
    assert "Prompt removed." in client.get(removed.headers["Location"]).get_data(as_text=True)
    assert db.session.scalars(select(AuditEvent.action)).all().count("prompt.removed") == 1


def test_yes_pressed_twice_removes_one_prompt_and_then_says_it_is_gone_without_an_error_page(client, make, login):
    roundtable, page = _roundtable_page(client, make, login)
    asked = _remove(client, roundtable, roundtable.prompts[0], page)
    yes = {**hidden_fields_of(asked), "confirmed": "yes"}
    url = f"/facilitator/roundtables/{roundtable.id}/prompts/{roundtable.prompts[0].id}/remove"

    first, second = client.post(url, data=yes), client.post(url, data=yes)

    assert first.status_code == second.status_code == 302
    assert _texts(roundtable) == ["Prompt 2 in English", "Prompt 3 in English"]
    assert "That prompt is no longer on this roundtable: it was removed" in client.get(
        second.headers["Location"]).get_data(as_text=True)


def test_once_a_roundtable_has_opened_its_prompts_stay_and_a_page_from_before_is_told_why(client, make, login):
    roundtable, draft_page = _roundtable_page(client, make, login, language="fil")
    facilitator = roundtable.facilitator
    from roundtable.services import roundtables
    roundtables.set_status(roundtable, facilitator, "open")
    db.session.commit()

    html = client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)
    assert "/remove" not in html, "no Remove button"
    assert "/move" in html, "moving them stays possible"

    refused = _remove(client, roundtable, roundtable.prompts[0], draft_page)

    assert refused.status_code == 302 and len(_texts(roundtable)) == 3
    told = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Matatanggal lamang ang mga tanong hanggang sa unang pagbukas ng talakayan" in told


def test_the_last_prompt_of_a_roundtable_is_not_removed(client, make, login):
    roundtable, page = _roundtable_page(client, make, login, prompts=1)
    assert "/remove" not in page.get_data(as_text=True)

    refused = _remove(client, roundtable, roundtable.prompts[0], page, confirmed="yes")

    assert "A roundtable needs at least one prompt" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert len(_texts(roundtable)) == 1


def test_another_facilitators_prompt_cannot_be_removed_or_moved(app, client, make, login):
    roundtable, page = _roundtable_page(client, make, login)
    stranger = app.test_client()
    login(make.user("facilitator"), on=stranger)
    theirs = stranger.get("/facilitator/")

    for action in ("remove", "move"):
        response = stranger.post(f"/facilitator/roundtables/{roundtable.id}/prompts/{roundtable.prompts[0].id}/{action}",
                                 data={"csrf_token": csrf_token_of(theirs), "confirmed": "yes", "direction": "down"})
        assert response.status_code == 404
    assert len(_texts(roundtable)) == 3


def test_a_prompt_moves_up_and_down_with_buttons_that_say_which_and_participants_see_the_new_order(
        client, make, login, csrf):
    roundtable, page = _roundtable_page(client, make, login, status="open")
    first, second, third = roundtable.prompts
    participant = make.participant(roundtable, language="en")
    html = page.get_data(as_text=True)
    assert re.search(r'value="up" class="secondary">Move up<span class="visually-hidden"> prompt 2</span>', html)
    assert re.search(r'value="down" class="secondary">Move down<span class="visually-hidden"> prompt 2</span>', html)
    assert html.count('value="up"') == 2 and html.count('value="down"') == 2, "none up from the top or down at the end"

    moved = _move(client, roundtable, third, "up", page)

    assert moved.headers["Location"].endswith(f"/facilitator/roundtables/{roundtable.id}")
    assert _texts(roundtable) == ["Prompt 1 in English", "Prompt 3 in English", "Prompt 2 in English"]
    assert "Prompt moved: it is number 2 now." in client.get(moved.headers["Location"]).get_data(as_text=True)
    page = client.get(f"/facilitator/roundtables/{roundtable.id}")
    _move(client, roundtable, first, "down", page)
    assert _texts(roundtable) == ["Prompt 3 in English", "Prompt 1 in English", "Prompt 2 in English"]
    assert db.session.scalars(select(AuditEvent.action)).all().count("prompt.moved") == 2

    reader = client.application.test_client()
    sign_in = reader.get("/return")
    reader.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(sign_in)})
    mine = reader.get("/my").get_data(as_text=True)
    assert mine.index("Prompt 3 in English") < mine.index("Prompt 1 in English") < mine.index("Prompt 2 in English")


def test_a_move_sent_twice_moves_once_and_one_from_a_page_opened_before_another_move_is_refused(client, make, login):
    roundtable, page = _roundtable_page(client, make, login, status="open")
    first, second, third = roundtable.prompts
    other_tab = client.get(f"/facilitator/roundtables/{roundtable.id}")

    once, twice = _move(client, roundtable, third, "up", page), _move(client, roundtable, third, "up", page)

    assert once.status_code == twice.status_code == 302
    assert _texts(roundtable) == ["Prompt 1 in English", "Prompt 3 in English", "Prompt 2 in English"]
    refused = _move(client, roundtable, first, "down", other_tab)  # beside question 2 there, question 3 here
    assert refused.status_code == 302
    assert _texts(roundtable) == ["Prompt 1 in English", "Prompt 3 in English", "Prompt 2 in English"]
    assert "The prompts were moved or removed on another page after you opened this one." in client.get(
        refused.headers["Location"]).get_data(as_text=True)
    assert db.session.scalars(select(AuditEvent.action)).all().count("prompt.moved") == 1


def test_an_archived_roundtables_prompts_offer_no_move_and_a_move_sent_anyway_is_refused(client, make, login):
    roundtable, page = _roundtable_page(client, make, login, status="open")
    from roundtable.services import roundtables
    roundtables.set_status(roundtable, roundtable.facilitator, "closed")
    roundtables.set_status(roundtable, roundtable.facilitator, "archived")
    db.session.commit()
    assert "/move" not in client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)

    refused = _move(client, roundtable, roundtable.prompts[1], "up", page)

    assert "This roundtable is archived" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert _texts(roundtable) == ["Prompt 1 in English", "Prompt 2 in English", "Prompt 3 in English"]


def _two_tabs(app, login, facilitator, url):
    """Two browsers of ``facilitator``, each with ``url`` open: two tabs sending at once."""
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:
        login(facilitator, on=browser)
    return browsers, [browser.get(url) for browser in browsers]


def test_a_move_and_a_removal_sent_at_once_take_turns_and_leave_positions_one_two(app, make, login):
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator, status="draft", prompts=3)
    first, second, third = roundtable.prompts
    url = f"/facilitator/roundtables/{roundtable.id}"
    browsers, pages = _two_tabs(app, login, facilitator, url)

    answers = at_once(lambda: _move(browsers[0], roundtable, third, "up", pages[0]),
                      lambda: _remove(browsers[1], roundtable, first, pages[1], confirmed="yes"))

    assert [answer.status_code for answer in answers] == [302, 302]
    order = _texts(roundtable)  # positions 1, 2: checked there
    assert "Prompt 1 in English" not in order and len(order) == 2


def test_the_two_prompts_of_a_draft_removed_at_once_take_turns_and_the_last_one_stays(app, make, login, monkeypatch):
    """Two tabs' "Yes, remove it", one for each prompt, pressed together: the second waits for the first, then finds
    one prompt left and is refused. On SQLite too, where both passed the check: no prompt was left, or one of them
    met the other's change and was answered 409."""
    import time

    from roundtable.services import roundtables

    checked = roundtables.check_remove_prompt

    def slowly_checked(roundtable, prompt_id):  # two prompts found, then a pause: the other removal's moment
        prompt = checked(roundtable, prompt_id)
        time.sleep(0.3)
        return prompt

    monkeypatch.setattr(roundtables, "check_remove_prompt", slowly_checked)
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator, status="draft", prompts=2)
    url = f"/facilitator/roundtables/{roundtable.id}"
    browsers, pages = _two_tabs(app, login, facilitator, url)

    answers = at_once(*(lambda browser=browser, prompt=prompt, page=page: _remove(
        browser, roundtable, prompt, page, confirmed="yes") for browser, prompt, page in zip(
        browsers, roundtable.prompts, pages)))

    assert [answer.status_code for answer in answers] == [302, 302]
    assert len(_texts(roundtable)) == 1
    told = [browser.get(answer.headers["Location"]).get_data(as_text=True) for browser, answer in zip(browsers, answers)]
    assert sorted("A roundtable needs at least one prompt" in page for page in told) == [False, True]
