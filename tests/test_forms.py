"""Shared form behaviour: whatever is wrong with a value, the person is told in their own language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import wtforms
from wtforms import HiddenField

from roundtable.forms import WTFORMS_MESSAGES, Form
from tests.conftest import csrf_token_of, hidden_fields_of, shown_fields_of


def _wtforms_messages(module: str) -> set[str]:
    """The messages a WTForms field module can give, read from its source (so a WTForms upgrade is noticed)."""
    source = (Path(wtforms.__file__).parent / "fields" / module).read_text(encoding="utf-8")
    single = re.findall(r'gettext\(\s*"([^"]+)"', source)
    pairs = re.findall(r'ngettext\(\s*"([^"]+)",\s*"([^"]+)"', source)
    return set(single) | {message for pair in pairs for message in pair}


def test_every_message_of_the_choice_and_date_fields_is_ours():
    choices = _wtforms_messages("choices.py") - {"Choices cannot be None."}  # a programming error, never shown
    assert len(choices) >= 5
    assert choices | {"Not a valid date value."} <= set(WTFORMS_MESSAGES)


def test_a_label_wtforms_makes_from_a_field_name_stays_as_it_is(ctx):
    class Hidden(Form):
        version = HiddenField()

    assert Hidden(meta={"csrf": False}).version.label.text == "Version"


@pytest.mark.parametrize(("language", "expected"), [
    ("fil", "Pakipili mula sa mga pagpipiliang nakalista."), ("en", "Please choose from the options shown."),
])
def test_a_choice_that_is_not_on_the_form_is_refused_in_the_readers_language(client, make, csrf, language, expected):
    roundtable = make.roundtable()
    client.get(f"/language/{language}")
    page = client.get("/join")
    response = client.post("/join", data={"code": roundtable.join_code, "language": "xx", "csrf_token": csrf(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert expected in html
    assert "Not a valid choice" not in html
    assert f'value="{roundtable.join_code}"' in html, "the code typed is kept"


@pytest.mark.parametrize(("language", "expected"), [
    ("fil", "Pakilagay ang petsa, halimbawa 2027-12-31."), ("en", "Please give a date, for example 2027-12-31."),
])
def test_a_date_typed_another_way_is_refused_in_the_readers_language(client, make, login, csrf, language, expected):
    login(make.user("facilitator"))
    client.get(f"/language/{language}")
    page = client.get("/facilitator/roundtables/new")
    response = client.post("/facilitator/roundtables/new", data={
        "title_fil": "Pagdinig", "title_en": "Hearings", "retention_until": "31/12/2027",
        "prompt_fil": "Tanong?", "prompt_en": "Question?", "csrf_token": csrf(page),
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert expected in html
    assert "Not a valid date" not in html
    assert 'value="Hearings"' in html


@pytest.mark.parametrize("blank", ["   ", "\t", "\x00\x01", "<b></b>"])
def test_a_title_of_only_spaces_or_dropped_characters_is_refused_and_the_rest_kept(client, make, login, csrf, blank):
    from roundtable.db import db
    from roundtable.models import Roundtable

    login(make.user("facilitator"))
    client.get("/language/en")
    page = client.get("/facilitator/roundtables/new")
    response = client.post("/facilitator/roundtables/new", data={
        "title_fil": "Pagdinig", "title_en": blank, "retention_until": "2027-12-31",
        "prompt_fil": "Tanong?", "prompt_en": "Question?", "csrf_token": csrf(page),
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please fill this in." in html
    assert 'value="Pagdinig"' in html
    assert db.session.query(Roundtable).count() == 0


def test_a_theme_named_with_spaces_alone_is_refused_in_filipino(client, make, login, csrf):
    from roundtable.db import db
    from roundtable.models import Theme

    login(make.user("editor"))
    client.get("/language/fil")
    page = client.get("/editor/themes")
    response = client.post("/editor/themes", data={"name_en": "  ", "name_fil": "\t", "csrf_token": csrf(page)})
    assert response.status_code == 200
    assert "Please fill this in." not in response.get_data(as_text=True)
    assert db.session.query(Theme).count() == 0


def test_an_error_summary_names_each_field_in_the_readers_words(client, make, csrf):
    roundtable = make.roundtable()
    client.get("/language/fil")
    page = client.get("/join")
    client.post("/join", data={"code": roundtable.join_code, "language": "fil", "csrf_token": csrf(page)})
    page = client.get("/join/consent")
    client.post("/join/consent", data={**hidden_fields_of(page),
                                       "clauses": ["take_part", "store_words"], "adult": "y"})
    client.post("/join/pseudonym", data={"csrf_token": csrf(client.get("/join/pseudonym")), "pseudonym": "Alon Dagat"})
    page = client.get("/join/passphrase")

    html = client.post("/join/passphrase", data={"csrf_token": csrf(page), "first": "", "second": ""}
                       ).get_data(as_text=True)

    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    links = re.findall(r'<a href="#(first|second)">([^<]+)</a>', summary)
    assert [target for target, _text in links] == ["first", "second"]
    assert all(text.startswith("Salita bilang ") and text.endswith(": Pakisulat ang salita.") for _t, text in links)


def test_a_box_of_words_in_the_other_language_says_its_language(client, make, login):
    """A screen reader reads English words in an English voice on a Filipino page, and the other way round."""
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    login(facilitator)
    client.get("/language/fil")
    html = client.get(f"/facilitator/prompts/{roundtable.prompts[0].id}").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*id="text_en"[^>]*lang="en"|<textarea[^>]*lang="en"[^>]*id="text_en"', html)
    assert re.search(r'<textarea[^>]*id="text_fil"[^>]*lang="fil"|<textarea[^>]*lang="fil"[^>]*id="text_fil"', html)


@pytest.mark.parametrize(("name", "said"), [
    ("title_en", ': <span lang="en">&lt;b&gt;Courts&lt;/b&gt;</span>'),
    ("title_fil", ': <span lang="fil">&lt;b&gt;Courts&lt;/b&gt;</span>'),
    ("terms", ": &lt;b&gt;Courts&lt;/b&gt;"),
])
def test_what_another_page_saved_is_said_in_the_language_of_its_box_and_escaped(app, name, said):
    from markupsafe import escape

    from roundtable.forms import CleanStringField, say_saved_now

    class Titled(Form):
        pass

    setattr(Titled, name, CleanStringField("Title"))
    with app.test_request_context("/"):
        field = Titled(formdata=None)[name]
        say_saved_now(field, "<b>Courts</b>")
        assert str(escape(field.saved_now)).endswith(said)  # ("Naka-save ngayon: …", "Saved now: …")


def test_a_refused_form_says_so_in_the_page_title_first(client, csrf, make, login):
    """The title is the first thing a screen reader reads of the page that came back (WCAG 2.4.2, 3.3.1)."""
    client.get("/language/en")
    page = client.get("/join")
    assert "<title>Join a roundtable · Roundtable</title>" in page.get_data(as_text=True)

    refused = client.post("/join", data={"csrf_token": csrf(page), "code": ""})

    assert "<title>Error: Join a roundtable · Roundtable</title>" in refused.get_data(as_text=True)
    client.get("/language/fil")
    refused = client.post("/join", data={"csrf_token": csrf(page), "code": ""})
    assert "<title>May mali: Sumali sa talakayan · Roundtable</title>" in refused.get_data(as_text=True)


def test_a_refused_form_among_several_of_a_page_is_found_for_the_title(client, make, login):
    """The themes page holds one rename form per theme, in a dict: a refused rename is an error of the page."""
    from roundtable.services import curation
    from roundtable.db import db

    editor = make.user("editor")
    theme = curation.add_theme(editor, "Courts", "Mga korte")
    curation.add_theme(editor, "Healing", "Paghilom")
    db.session.commit()
    login(editor)
    client.get("/language/en")
    page = client.get("/editor/themes")
    assert "<title>Error:" not in page.get_data(as_text=True)

    refused = client.post(f"/editor/themes/{theme.id}/rename", data={
        **hidden_fields_of(page), f"rename{theme.id}-name_en": "Healing", f"rename{theme.id}-name_fil": "Mga korte"})

    assert refused.status_code == 400 and "<title>Error: " in refused.get_data(as_text=True)


def test_each_choice_of_a_refused_group_says_it_is_invalid_and_why(client, make, login):
    """A screen reader that skips a fieldset's description still hears why, at any of its choices."""
    login(make.user("admin"))
    client.get("/language/en")
    page = client.get("/admin/users")

    refused = client.post("/admin/users", data={"csrf_token": csrf_token_of(page), "username": "comms.three",
                                               "display_name": "Comms Three"})

    boxes = re.findall(r'<input[^>]*name="roles"[^>]*>', refused.get_data(as_text=True))
    assert len(boxes) == 3
    assert all('aria-invalid="true"' in box and 'aria-describedby="roles-error"' in box for box in boxes)


def test_a_refusal_said_outside_a_forms_own_checks_titles_the_page_too(app, client, make, login):
    """A consent statement refused by the service (its error set on a row of a list of forms), a search refused
    outside any form (the audit log's dates), and a conflict said as a message: each page's title says so."""
    roundtable = make.roundtable()
    login(roundtable.facilitator)
    client.get("/language/en")
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    page = client.get(url)
    fields = {**shown_fields_of(page), "clauses-0-text_en": ""}

    refused = client.post(url, data=fields).get_data(as_text=True)

    assert "Write each statement in English and in Filipino." in refused
    assert "<title>Error: Change the consent form · Roundtable</title>" in refused
    desk = app.test_client()
    login(make.user("admin"), on=desk)
    desk.get("/language/en")
    dates = desk.get("/admin/audit?since=2026-13-45").get_data(as_text=True)
    assert "<title>Error: Audit log · Roundtable</title>" in dates
    assert "<title>Audit log · Roundtable</title>" in desk.get("/admin/audit").get_data(as_text=True)
