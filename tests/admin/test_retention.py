"""Administrators see what retention has erased and will erase, and may run it now; no words are shown."""

from datetime import timedelta, timezone

from sqlalchemy import select

from roundtable import clock
from roundtable.db import db
from roundtable.models import AuditEvent
from tests.conftest import csrf_token_of, password_typed_long_ago

MANILA = timezone(timedelta(hours=8))  # the tests' organisation keeps Asia/Manila's clock, which has no summer time


def _past_its_date(make):
    participant = make.participant()
    kept, erased = make.reflection(participant), make.reflection(participant, text="Healing takes time.")
    make.quote(kept)
    participant.roundtable.retention_until = clock.today() - timedelta(days=1)  # as if the date had passed
    db.session.commit()
    return participant.roundtable, kept, erased


def test_the_page_shows_what_waits_to_be_erased_and_erases_it_when_asked(client, make, login):
    roundtable, kept, erased = _past_its_date(make)
    admin = make.user("admin")
    client.get("/language/en")
    login(admin)
    page = client.get("/admin/retention")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nothing has been erased yet." in html
    row = html[html.index(roundtable.title_en):]
    assert [cell.split("<")[0] for cell in row.split("<td>")[2:4]] == ["1", "1"], "one to erase, one kept"
    assert erased.text not in html and kept.text not in html, "an administrator never reads the words"

    response = client.post("/admin/retention", data={"purge-csrf_token": csrf_token_of(page), "confirmed": "yes"})
    assert response.status_code == 302
    after = client.get("/admin/retention").get_data(as_text=True)
    assert "The words of 1 roundtable were erased." in after
    assert "Nothing is waiting to be erased." in after
    db.session.expire_all()
    assert erased.status == "purged" and kept.text is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purged"))
    assert f"Last erased: {event.created_at.astimezone(MANILA):%Y-%m-%d %H:%M} +08:00" in after, "the organisation's clock"
    assert (event.actor_type, event.actor_id) == ("staff", admin.id)



def test_roundtables_of_the_same_title_are_told_apart_as_the_audit_log_names_them(client, make, login):
    waiting, _kept, _erased = _past_its_date(make)
    coming = make.roundtable()  # of the same title
    client.get("/language/en")
    login(make.user("admin"))
    html = client.get("/admin/retention").get_data(as_text=True)
    for roundtable in (waiting, coming):
        assert f"Roundtable #{roundtable.id} · {roundtable.join_code}" in html


def test_a_long_backlog_is_erased_a_part_at_a_time_and_the_page_says_more_waits(client, make, login, monkeypatch):
    from roundtable.services import retention

    monkeypatch.setattr(retention, "ERASE_NOW_AT_MOST", 1)
    first, _kept, _erased = _past_its_date(make)
    second, _kept, _erased = _past_its_date(make)
    first.title_en, second.title_en = "Courts that listen", "Healing together"
    first.retention_until -= timedelta(days=1)  # the older date is erased first
    db.session.commit()
    client.get("/language/en")
    login(make.user("admin"))
    page = client.get("/admin/retention")

    client.post("/admin/retention", data={"purge-csrf_token": csrf_token_of(page), "confirmed": "yes"})
    after = client.get("/admin/retention").get_data(as_text=True)
    assert "The words of 1 roundtable were erased." in after
    assert "More words are waiting." in after and second.title_en in after and first.title_en not in after

    client.post("/admin/retention", data={"purge-csrf_token": csrf_token_of(page), "confirmed": "yes"})
    done = client.get("/admin/retention").get_data(as_text=True)
    assert "The words of 1 roundtable were erased." in done and "More words are waiting." not in done
    assert "Nothing is waiting to be erased." in done

def test_erasing_needs_a_password_typed_in_the_last_15_minutes(client, make, login):
    _roundtable, _kept, erased = _past_its_date(make)
    login(make.user("admin"))
    password_typed_long_ago(client)
    page = client.get("/admin/retention")
    response = client.post("/admin/retention", data={"purge-csrf_token": csrf_token_of(page), "confirmed": "yes"})
    assert "/account/confirm" in response.headers["Location"]
    db.session.expire_all()
    assert erased.status != "purged"


def test_in_filipino_and_with_nothing_to_do(client, make, login):
    login(make.user("admin"))
    client.get("/language/fil")
    html = client.get("/admin/retention").get_data(as_text=True)
    assert "Walang naghihintay na burahin." in html and "Tagal ng pagtatago" in html


def test_erase_now_asks_first(client, make, login):
    _roundtable, _kept, erased = _past_its_date(make)
    client.get("/language/en")
    login(make.user("admin"))
    page = client.get("/admin/retention")

    asked = client.post("/admin/retention", data={"purge-csrf_token": csrf_token_of(page)})

    assert "<title>Erase these words now?" in asked.get_data(as_text=True) and "Yes, erase them" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert erased.status != "purged"


def test_two_presses_of_erase_now_at_once_erase_and_record_once(app, make, login):
    """A double click, or two administrators at the same moment: one erasure, one audit event."""
    from tests.deployment.live import at_once

    roundtable, _kept, erased = _past_its_date(make)
    admins = [make.user("admin"), make.user("admin")]
    presses = []
    for admin in admins:
        browser = app.test_client()
        login(admin, on=browser)
        page = browser.get("/admin/retention")
        presses.append(lambda browser=browser, token=csrf_token_of(page): browser.post(
            "/admin/retention", data={"purge-csrf_token": token, "confirmed": "yes"}))

    assert [response.status_code for response in at_once(*presses)] == [302, 302]
    db.session.expire_all()
    assert erased.status == "purged"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purged")).all()
    assert [event.target_id for event in events] == [roundtable.id]
