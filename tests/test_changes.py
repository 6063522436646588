"""A change a service may refuse: committed when it holds, rolled back to the last saved state when a rule
says no, with the rule's words shown to the person beside the field or at the top of the next page."""

from __future__ import annotations

import pytest
from flask import flash, get_flashed_messages, session
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import StringField

from roundtable.changes import change, field_named, messages_at, no_success_said
from roundtable.db import db
from roundtable.forms import Form
from roundtable.models import Theme, User
from roundtable.services import withdrawal
from roundtable.services.errors import RuleViolation, refuse
from tests.conftest import csrf_token_of, hidden_fields_of


class NameForm(Form):
    name = StringField()


class NamesForm(Form):
    name_en = StringField()
    name_fil = StringField()


def _add_theme(name: str) -> None:
    db.session.add(Theme(name_en=name, name_fil=name))
    db.session.flush()


def _saved_themes() -> list[str]:
    with db.engine.connect() as connection:  # outside the session: only what was committed
        return list(connection.scalars(select(Theme.name_en).order_by(Theme.name_en)))


def test_a_change_that_holds_is_committed(ctx):
    with change() as outcome:
        _add_theme("Courts")
    assert outcome.saved
    assert _saved_themes() == ["Courts"]
    assert get_flashed_messages() == []


def test_a_refused_change_is_rolled_back_and_its_reason_shown_beside_the_field(ctx):
    with change() as earlier:
        _add_theme("Healing")
    form = NameForm(meta={"csrf": False})
    form.validate()
    with change(errors_on=form.name) as outcome:
        _add_theme("Half done")
        raise RuleViolation("That name is taken.")
    assert earlier.saved and not outcome.saved
    assert form.name.errors == ["That name is taken."]
    assert get_flashed_messages() == []
    assert _saved_themes() == ["Healing"], "what was saved before stays; the half-done change is gone"
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 1


def test_without_a_field_the_reason_is_shown_at_the_top_of_the_next_page(ctx):
    with change() as outcome:
        _add_theme("Half done")
        raise RuleViolation("This roundtable cannot move to that status now.")
    assert not outcome.saved
    assert get_flashed_messages(with_categories=True) == [("error", "This roundtable cannot move to that status now.")]
    assert _saved_themes() == []


def test_several_problems_refused_together_are_each_shown_beside_their_own_field(ctx):
    form = NamesForm(meta={"csrf": False})
    form.validate()
    with change(errors_on=field_named(form, otherwise=form.name_en)) as outcome:
        _add_theme("Half done")
        refuse([RuleViolation("Write the name in English.", field="name_en"),
                RuleViolation("Write the name in Filipino.", field="name_fil")])
    assert not outcome.saved and _saved_themes() == []
    assert form.name_en.errors == ["Write the name in English."]
    assert form.name_fil.errors == ["Write the name in Filipino."]


def test_several_problems_without_a_field_are_each_shown_at_the_top_of_the_next_page(ctx):
    with change() as outcome:
        refuse([RuleViolation("This roundtable is archived."), RuleViolation("Someone else changed it.")])
    assert not outcome.saved
    assert get_flashed_messages(with_categories=True) == [
        ("error", "This roundtable is archived."), ("error", "Someone else changed it.")]


def test_any_other_error_is_not_swallowed_and_nothing_is_committed(ctx):
    with pytest.raises(ZeroDivisionError):
        with change():
            _add_theme("Half done")
            1 / 0
    db.session.rollback()  # what the app's error handler does
    assert _saved_themes() == []


def test_an_error_page_says_the_refusals_waiting_and_drops_every_success(ctx):
    flash("Note saved.")
    flash("That reflection is no longer open to you for review.", "error")
    no_success_said()
    assert messages_at() == [("error", "That reflection is no longer open to you for review.")]
    assert "_flashes" not in session, "dropped, not kept for a later page"


def test_a_save_whose_page_is_gone_when_the_browser_gets_there_is_not_announced_on_the_not_found_page(
        client, make, login):
    """A facilitator saves a care note; before the page it leads to opens, the author deletes the reflection."""
    facilitator = make.user("facilitator")
    participant = make.participant(make.roundtable(facilitator))
    reflection = make.reflection(participant, status="submitted", text="A calm room made the hearing bearable.")
    login(facilitator)
    client.get("/language/en")
    url = f"/facilitator/reflections/{reflection.id}"
    fields = {name: value for name, value in hidden_fields_of(client.get(url)).items() if name.startswith("note-")}
    saved = client.post(url, data={**fields, "note-note": "Ask how the hearing went."})
    withdrawal.delete_reflection(participant, reflection)
    db.session.commit()

    gone = client.get(saved.headers["Location"])

    assert saved.status_code == 302 and gone.status_code == 404
    assert "Note saved." not in gone.get_data(as_text=True)
    assert "Note saved." not in client.get("/facilitator/").get_data(as_text=True), "nor on a later page"


def test_a_save_the_database_refused_is_not_announced_on_the_page_that_says_so(client, make, login, monkeypatch):
    """The view says "saved" as the change is made; the commit after it can still be refused (409)."""
    editor = make.user("editor")
    login(make.user("admin"))
    client.get("/language/en")
    token = csrf_token_of(client.get(f"/admin/users/{editor.id}"))

    def refused():
        raise StaleDataError("0 rows matched")

    monkeypatch.setattr(db.session, "commit", refused)
    answer = client.post(f"/admin/users/{editor.id}", data={"name-csrf_token": token,
                                                            "name-display_name": "Maria Santos-Cruz"})
    monkeypatch.undo()

    html = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "<h1>Someone changed this at the same moment</h1>" in html
    assert "Display name saved." not in html
    assert db.session.get(User, editor.id).display_name != "Maria Santos-Cruz"
