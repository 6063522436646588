"""A facilitator's pages of a roundtable they handed over: who runs it now, and nothing typed is thrown away."""

from roundtable.db import db
from roundtable.models import Prompt, Reflection, Roundtable
from roundtable.services import roundtables
from tests.conftest import csrf_token_of, shown_fields_of


def _handed_over_with_a_page_open(client, make, login, path):
    """``path`` of a roundtable opened by its facilitator, who then hands the roundtable to a colleague."""
    giver, colleague = make.user("facilitator"), make.user("facilitator")
    roundtable = make.roundtable(giver)
    reflection = make.reflection(make.participant(roundtable), status="submitted")
    login(giver)
    client.get("/language/en")
    page = client.get(path.format(roundtable=roundtable, prompt=roundtable.prompts[0], reflection=reflection))
    assert page.status_code == 200
    roundtables.hand_over_one(roundtable, colleague, actor=giver)
    db.session.commit()
    return roundtable, colleague, page


def test_a_consent_form_sent_after_the_hand_over_is_shown_back_not_lost(client, make, login):
    roundtable, colleague, page = _handed_over_with_a_page_open(
        client, make, login, "/facilitator/roundtables/{roundtable.id}/consent")
    sent = {**shown_fields_of(page), "new_key": "share_with_partners",
            "new_text_en": "My words may be read by partner groups working on court reform.",
            "new_text_fil": "Maaaring basahin ng mga katuwang na grupo ang aking mga salita."}

    response = client.post(f"/facilitator/roundtables/{roundtable.id}/consent", data=sent)

    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "<title>Error: Not saved: this roundtable was handed over" in html
    assert f"is run by {colleague.display_name} ({colleague.username}) now: it was handed over." in html
    assert "Copy your words below to pass them on" in html
    assert ('<textarea id="typed-' in html and 'lang="en">My words may be read by partner groups working on court '
            'reform.</textarea>' in html)
    assert "New statement in Filipino" in html and 'lang="fil">Maaaring basahin' in html
    assert ">Statement 1: English</label>" in html, "each statement's boxes say which statement they are"
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1, "nothing saved"


def test_a_prompt_edited_after_the_hand_over_is_shown_back_with_its_labels(client, make, login):
    roundtable, _, page = _handed_over_with_a_page_open(client, make, login, "/facilitator/prompts/{prompt.id}")
    prompt_id = roundtable.prompts[0].id
    sent = {**shown_fields_of(page), "text_en": "What would make a courtroom feel safe for a child?"}

    response = client.post(f"/facilitator/prompts/{prompt_id}", data=sent)

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Prompt in English" in html and "What would make a courtroom feel safe for a child?</textarea>" in html
    assert db.session.get(Prompt, prompt_id).text_en != "What would make a courtroom feel safe for a child?"


def test_a_note_on_a_reflection_written_after_the_hand_over_is_shown_back(client, make, login):
    roundtable, _, page = _handed_over_with_a_page_open(
        client, make, login, "/facilitator/reflections/{reflection.id}")
    reflection = db.session.query(Reflection).one()
    sent = {**shown_fields_of(page), "note-note": "Ask the author whether the hearing date can be named."}

    response = client.post(f"/facilitator/reflections/{reflection.id}", data=sent)

    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Ask the author whether the hearing date can be named.</textarea>" in html
    assert db.session.get(Reflection, reflection.id).moderator_note in (None, "")


def test_a_success_waiting_to_be_said_is_not_shown_on_the_handed_over_page(client, make, login):
    """A note saved in one tab, its page not opened yet; the roundtable is handed over; a prompt sent from another
    tab is refused. The refusal page is an error page: the note's "saved" would read as about it, and is dropped."""
    giver, colleague = make.user("facilitator"), make.user("facilitator")
    roundtable = make.roundtable(giver)
    reflection = make.reflection(make.participant(roundtable), status="submitted")
    login(giver)
    client.get("/language/en")
    prompt_page = client.get(f"/facilitator/prompts/{roundtable.prompts[0].id}")
    note_page = client.get(f"/facilitator/reflections/{reflection.id}")
    saved = client.post(f"/facilitator/reflections/{reflection.id}",
                        data={**shown_fields_of(note_page), "note-note": "Ask how the hearing went."})
    assert saved.status_code == 302
    roundtables.hand_over_one(roundtable, colleague, actor=giver)
    db.session.commit()

    response = client.post(f"/facilitator/prompts/{roundtable.prompts[0].id}", data={
        **shown_fields_of(prompt_page), "text_en": "What would make a courtroom feel safe for a child?"})

    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "<title>Error: Not saved: this roundtable was handed over" in html
    assert "Note saved." not in html
    assert "Note saved." not in client.get("/facilitator/").get_data(as_text=True), "nor on a later page"


def test_the_pages_of_a_roundtable_handed_over_say_who_runs_it_instead_of_not_found(client, make, login):
    roundtable, colleague, page = _handed_over_with_a_page_open(
        client, make, login, "/facilitator/roundtables/{roundtable.id}")
    reflection = db.session.query(Reflection).one()

    for path in (f"/facilitator/roundtables/{roundtable.id}", f"/facilitator/reflections/{reflection.id}"):
        opened = client.get(path)
        assert opened.status_code == 302 and opened.headers["Location"].endswith("/facilitator/")
    closing = client.post(f"/facilitator/roundtables/{roundtable.id}/status",  # nothing typed: no words to show
                          data={**shown_fields_of(page), "status": "closed", "confirmed": "yes"})

    assert closing.status_code == 302 and closing.headers["Location"].endswith("/facilitator/")
    assert f"is run by {colleague.display_name} ({colleague.username}) now: it was handed over." in client.get("/facilitator/").get_data(
        as_text=True)
    assert db.session.get(Roundtable, roundtable.id).status == "open"


def test_a_roundtable_handed_over_by_an_administrator_says_so_too(client, make, login):
    admin, giver, colleague = make.user("admin"), make.user("facilitator"), make.user("facilitator")
    roundtable = make.roundtable(giver)
    roundtables.hand_over(giver, colleague, actor=admin)
    db.session.commit()
    login(giver)
    client.get("/language/en")

    opened = client.get(f"/facilitator/roundtables/{roundtable.id}", follow_redirects=True)

    assert f"is run by {colleague.display_name} ({colleague.username}) now" in opened.get_data(as_text=True)


def test_someone_elses_roundtable_still_looks_like_one_that_does_not_exist(client, make, login):
    """Only the facilitator who ran it learns who runs it now."""
    outsider, runner = make.user("facilitator"), make.user("facilitator")
    roundtable = make.roundtable(runner)
    roundtables.hand_over_one(roundtable, make.user("facilitator"), actor=runner)
    db.session.commit()
    login(outsider)

    assert client.get(f"/facilitator/roundtables/{roundtable.id}").status_code == 404
    sent = {"csrf_token": csrf_token_of(client.get("/facilitator/")), "text_en": "What should courts change?"}
    assert client.post(f"/facilitator/prompts/{roundtable.prompts[0].id}", data=sent).status_code == 404
