"""The record of staff forms that made something: per person, kept for a day, and only for usable keys."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from roundtable.db import db, utcnow
from roundtable.models import SentForm, Theme
from roundtable.services import sent_forms


def test_a_key_leads_only_its_own_sender_to_what_the_form_made(make):
    editor, other = make.user("editor"), make.user("editor")
    key = uuid.uuid4().hex
    sent_forms.record(editor, key, "/editor/quotes/7")
    db.session.commit()

    assert sent_forms.earlier(editor, key) == "/editor/quotes/7"
    assert sent_forms.earlier(other, key) is None
    sent_forms.record(other, key, "/editor/quotes/8")  # the same key from someone else is their own form
    db.session.commit()
    assert sent_forms.earlier(other, key) == "/editor/quotes/8"


def test_a_second_record_of_one_key_rolls_back_and_names_the_first_place(make):
    editor = make.user("editor")
    key = uuid.uuid4().hex
    sent_forms.record(editor, key, "/editor/themes")
    db.session.commit()
    db.session.add(Theme(name_en="Made twice", name_fil="Dalawang beses"))

    with pytest.raises(sent_forms.SentBefore) as sent:
        sent_forms.record(editor, key, "/editor/themes?again")
    assert sent.value.location == "/editor/themes"
    assert db.session.scalars(select(Theme)).all() == [], "what the second sending made is rolled back"


def test_records_older_than_a_day_are_removed_when_anyone_saves_the_next_form(make):
    editor, other = make.user("editor"), make.user("editor")
    old, recent, others = uuid.uuid4().hex, uuid.uuid4().hex, uuid.uuid4().hex
    long_ago = utcnow() - sent_forms.KEPT_FOR - timedelta(minutes=1)
    db.session.add_all([SentForm(user_id=editor.id, key=old, location="/a", sent_at=long_ago),
                        SentForm(user_id=editor.id, key=recent, location="/b", sent_at=utcnow() - timedelta(hours=1)),
                        SentForm(user_id=other.id, key=others, location="/c", sent_at=long_ago)])
    db.session.commit()

    sent_forms.record(editor, uuid.uuid4().hex, "/d")
    db.session.commit()

    left = set(db.session.scalars(select(SentForm.location)))
    assert left == {"/b", "/d"}, "old records go, the sender's and anyone else's (who may send no form again)"


def test_where_a_form_led_is_kept_without_its_query_which_may_hold_words_searched_for(make):
    editor = make.user("editor")
    key = uuid.uuid4().hex

    sent_forms.record(editor, key, "/editor/quotes/9?made_from=reflections&words=Quiet+Harbour+prosecutors#findings")
    db.session.commit()

    assert db.session.scalars(select(SentForm.location)).all() == ["/editor/quotes/9#findings"]


@pytest.mark.parametrize("key", [None, "", "short", "G" * 32, uuid.uuid4().hex.upper(), uuid.uuid4().hex + "0"])
def test_a_missing_or_changed_key_is_not_recorded(make, key):
    editor = make.user("editor")
    sent_forms.record(editor, key, "/editor/themes")
    assert sent_forms.earlier(editor, key) is None
    assert db.session.scalars(select(SentForm)).all() == []
