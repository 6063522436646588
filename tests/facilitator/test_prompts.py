"""Facilitators add and reword the questions of their roundtables, in both languages."""

from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent, Prompt
from tests.conftest import hidden_fields_of


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

