"""The audit log: who did what and when, for every decision that matters; append-only; no content."""

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select, update

from roundtable import clock
from roundtable.db import db
from roundtable.models import AuditEvent, User
from roundtable.security import AuditLogIsAppendOnly
from roundtable.services import audit, consent, exports, retention
from tests.conftest import csrf_token_of, hidden_fields_of


def _actions():
    return set(db.session.scalars(select(AuditEvent.action)))


def test_a_full_flow_leaves_a_trail_of_every_decision(app, client, make, login):
    admin = make.user("admin")
    editor = make.user("editor")
    # staff sign-in, success and failure
    login(admin)
    stranger = app.test_client()
    token = csrf_token_of(stranger.get("/login"))
    stranger.post("/login", data={"username": admin.username, "password": "not the password!", "csrf_token": token})
    # role change through the admin page
    page = client.get(f"/admin/users/{editor.id}")
    client.post(f"/admin/users/{editor.id}", data={"roles-csrf_token": csrf_token_of(page), "roles-roles": ["editor", "facilitator"]})
    # join (consent recorded), write, moderation decision, quote approval, export
    roundtable = make.roundtable()
    participant = make.participant(roundtable)
    reflection = make.reflection(participant, status="released")
    make.quote(reflection, editor=editor)
    assert exports.record(editor, "csv", exports.QuoteFilters()).quote_count == 1
    # consent change, then purge
    consent.change_clause(participant, "quote_publicly", grant=False)
    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    retention.purge_expired()
    db.session.commit()

    actions = _actions()
    for expected in (
        "staff.login", "staff.login_failed", "staff.roles_changed", "participant.joined", "consent.recorded",
        "reflection.submitted", "reflection.released", "quote.created", "quote.approved", "export.created",
        "consent.revoked", "retention.purged",
    ):
        assert expected in actions, expected


def test_the_audit_log_has_no_content_and_no_addresses():
    columns = {c.name for c in AuditEvent.__table__.columns}
    assert columns == {"id", "created_at", "actor_type", "actor_id", "action", "target_type", "target_id", "detail"}


@pytest.mark.parametrize("detail", [
    {"note": "words someone wrote"}, {"given": ["the words of a reflection"]}, {"successor": 7},
    {"previous": "203.0.113.9"}, {"changed": ["the words of a quote"]}, {"changed": "words"},
])
def test_an_events_detail_holds_only_role_names_and_staff_accounts(make, detail):
    with pytest.raises(ValueError):
        audit.record("staff.roles_changed", actor=make.user("admin"), **detail)


def test_a_role_change_says_which_roles_were_given_and_taken(client, make, login):
    admin, colleague = make.user("admin"), make.user("editor")
    login(admin)
    client.get("/language/en")
    page = client.get(f"/admin/users/{colleague.id}")

    client.post(f"/admin/users/{colleague.id}", data={
        "roles-csrf_token": csrf_token_of(page), "roles-roles": ["admin", "facilitator"]})

    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.roles_changed")).one()
    assert audit.detail_of(event) == {"given": ["admin", "facilitator"], "taken": ["editor"]}
    html = client.get("/admin/audit?action=staff.roles_changed").get_data(as_text=True)
    assert "Given: Administrator, Facilitator<br>Taken away: Editor" in html


def test_a_new_account_says_which_roles_it_was_given(client, make, login):
    """Making an account is how most rights are handed out: the log says which, as it does for a later change."""
    login(make.user("admin"))
    client.get("/language/en")
    page = client.get("/admin/users")

    client.post("/admin/users", data={**hidden_fields_of(page), "username": "new.editor", "display_name": "New",
                                      "roles": ["editor", "admin"]})

    made = db.session.scalars(select(User).where(User.username == "new.editor")).one()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.created",
                                                        AuditEvent.target_id == made.id)).one()
    assert audit.detail_of(event) == {"given": ["admin", "editor"]}
    assert "Given: Administrator, Editor" in client.get("/admin/audit?action=staff.created").get_data(as_text=True)


def test_a_hand_over_names_the_facilitator_who_took_the_roundtables_over(client, make, login):
    admin, leaving, taking_over = make.user("admin"), make.user("facilitator"), make.user("facilitator")
    make.roundtable(leaving)
    db.session.commit()
    login(admin)
    client.get("/language/en")
    page = client.get(f"/admin/users/{leaving.id}")

    client.post(f"/admin/users/{leaving.id}/hand-over", data={
        "handover-csrf_token": csrf_token_of(page), "handover-successor": str(taking_over.id), "confirmed": "yes"})

    html = client.get("/admin/audit?action=roundtable.handed_over").get_data(as_text=True)
    assert (f'From Staff account #{leaving.id} (<a href="/admin/users/{leaving.id}">{leaving.username}</a>) to '
            f'Staff account #{taking_over.id} (<a href="/admin/users/{taking_over.id}">{taking_over.username}</a>)'
            ) in html


def test_a_change_to_an_exported_quote_says_what_of_it_changed(client, make, login):
    from roundtable.services import curation

    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    exports.record(editor, "csv", exports.QuoteFilters())
    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="mixed",
                          translation="Dapat hayaang magsalita ang mga bata.", translation_language=None,
                          descriptor="advocate")
    db.session.commit()
    login(make.user("admin"))
    client.get("/language/en")

    html = client.get("/admin/audit?action=quote.changed_after_export").get_data(as_text=True)

    assert "<td>Exported quote changed</td>" in html
    assert "<td>translation, attribution, and language</td>" in html


def test_audit_events_cannot_be_changed_or_deleted_by_the_app(make):
    event = audit.record("staff.created", actor=make.user("admin"))
    db.session.commit()
    event.action = "something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEvent).values(action="x"))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "staff.created"


def test_the_viewer_filters_by_action_actor_and_date(client, make, login):
    admin = make.user("admin")
    old = audit.record("theme.added", actor=admin)
    db.session.flush()
    db.session.commit()
    # an event from long ago, written the way a migration or import would (not through the app's ORM)
    with db.engine.begin() as connection:
        connection.execute(
            AuditEvent.__table__.update().where(AuditEvent.__table__.c.id == old.id)
            .values(created_at=datetime(2020, 1, 5, 12, tzinfo=timezone.utc))
        )
    client.get("/language/en")
    login(admin)
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert "theme.added" in everything and "staff.login" in everything
    recent = client.get(f"/admin/audit?since={clock.today().isoformat()}").get_data(as_text=True)
    assert "<td>Theme added</td>" not in recent and "<td>Password accepted</td>" in recent
    then = client.get("/admin/audit?since=2020-01-05&until=2020-01-05").get_data(as_text=True)
    assert "<td>Theme added</td>" in then and "<td>Password accepted</td>" not in then
    assert client.get("/admin/audit?since=not-a-date&page=99999999999999999999").status_code == 200
    only_staff = client.get("/admin/audit?actor=staff&action=staff.login").get_data(as_text=True)
    assert "<td>Password accepted</td>" in only_staff and "<td>Theme added</td>" not in only_staff


def test_a_date_that_is_none_or_an_end_before_the_start_is_said_beside_it(client, make, login):
    admin = make.user("admin")
    login(admin)
    client.get("/language/en")

    no_such_day = client.get("/admin/audit?since=2026-13-01").get_data(as_text=True)
    backwards = client.get("/admin/audit?since=2026-12-03&until=2026-12-01").get_data(as_text=True)

    assert "Please give a date, for example 2027-12-31." in no_such_day
    assert 'id="f-since" name="since" value="2026-13-01" aria-invalid="true" aria-describedby="f-since-error"' in no_such_day
    assert "This date comes before the “From” date." in backwards and 'aria-describedby="f-until-error"' in backwards
    assert "aria-invalid" not in client.get("/admin/audit?since=2026-12-01").get_data(as_text=True)
    for unlike_the_box in ("2026-W01", "20260101", "2026-12-01T00:00"):  # Python reads them; the date box cannot
        assert "Please give a date" in client.get(f"/admin/audit?since={unlike_the_box}").get_data(as_text=True)


def test_a_refused_date_keeps_its_label_the_name_of_the_box_and_its_error_tied_beside_it(client, make, login):
    """A screen reader reads a label as the box's name: the error goes beside it and is read as its description."""
    login(make.user("admin"))
    client.get("/language/en")

    html = client.get("/admin/audit?since=2026-13-01&until=2026-12-01").get_data(as_text=True)

    assert '<label for="f-since">From (date)</label>' in html and '<label for="f-until">Until (date)</label>' in html
    error = '<p class="error" id="f-since-error">Please give a date, for example 2027-12-31.</p>'
    assert error in html and html.index(error) < html.index('aria-describedby="f-since-error"')
    assert "f-until-error" not in html


def test_a_day_filter_ends_at_the_days_last_moment_and_odd_values_filter_nothing(client, make, login):
    """Days and times are the organisation's (Asia/Manila, 8 hours ahead of UTC, in the tests)."""
    admin = make.user("admin")
    late, next_day = audit.record("theme.added", actor=admin), audit.record("theme.renamed", actor=admin)
    db.session.commit()
    with db.engine.begin() as connection:
        for event, moment in ((late, datetime(2020, 1, 5, 15, 59, 59, 999_000, tzinfo=timezone.utc)),
                              (next_day, datetime(2020, 1, 5, 16, tzinfo=timezone.utc))):
            connection.execute(AuditEvent.__table__.update().where(AuditEvent.__table__.c.id == event.id)
                               .values(created_at=moment))
    login(admin)
    that_day = client.get("/admin/audit?until=2020-01-05").get_data(as_text=True)
    assert "<td>Theme added</td>" in that_day and "<td>Theme renamed</td>" not in that_day
    assert "<td>2020-01-05 23:59:59 +08:00</td>" in that_day
    next_one = client.get("/admin/audit?since=2020-01-06&until=2020-01-06").get_data(as_text=True)
    assert "<td>Theme renamed</td>" in next_one and "<td>2020-01-06 00:00:00 +08:00</td>" in next_one
    for first_and_last in ("until=9999-12-31", "since=0001-01-01"):
        assert "<td>Theme renamed</td>" in client.get(f"/admin/audit?{first_and_last}").get_data(as_text=True)
    for odd in ("actor=nobody", "action=Staff%20Login", "action=%00"):
        unfiltered = client.get(f"/admin/audit?{odd}").get_data(as_text=True)
        assert "<td>Theme added</td>" in unfiltered and "<td>Password accepted</td>" in unfiltered, odd


def _codes_the_app_records() -> set[str]:
    """Every action code passed to audit.record in the package, with the two made from a status spelled out."""
    import re
    from pathlib import Path

    from roundtable.services import notices, roundtables

    package = Path(audit.__file__).resolve().parent.parent
    calls = [line for path in package.rglob("*.py") for line in path.read_text(encoding="utf-8").splitlines()
             if "audit.record(" in line]
    codes = {code for line in calls for code in re.findall(r'"([a-z_]+\.[a-z_]+)"', line)}
    assert any('f"reflection.{' in line for line in calls) and any('f"roundtable.{' in line for line in calls)
    codes |= {"reflection.released", "reflection.held"}  # moderation.decide: release or hold
    codes |= {f"roundtable.{status}" for status in roundtables.TRANSITIONS}
    codes |= {notices.ACKNOWLEDGED, notices.SOURCE_HELD, notices.DETAIL_FLAGGED, notices.CHANGED, notices.PUT_TO_AUTHOR}
    return codes


def test_every_action_the_app_records_has_words_for_the_admin():
    from roundtable.i18n import _AUDIT_ACTIONS

    codes = _codes_the_app_records()
    assert len(codes) > 45
    assert codes - set(_AUDIT_ACTIONS) == set()
    assert set(_AUDIT_ACTIONS) - codes == set(), "a label for a code nothing records"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["Quote approved", "Staff account #", "Quote #", "Password accepted"]),
    ("fil", ["Inaprubahan ang sipi", "Account ng kawani #", "Sipi #", "Tinanggap ang password"]),
])
def test_the_admin_reads_the_log_in_words_not_codes(client, make, login, language, expected):
    admin = make.user("admin")
    make.quote(make.reflection(make.participant(), status="released"))
    login(admin)
    client.get(f"/language/{language}")

    html = client.get("/admin/audit").get_data(as_text=True)

    for words in expected:
        assert words in html, words
    assert ">quote.approved<" not in html and ">staff #" not in html
    assert '<option value="quote.approved">' in html  # the filter still sends the code


def test_filters_that_match_nothing_say_so(client, make, login):
    client.get("/language/en")
    login(make.user("admin"))

    html = client.get("/admin/audit?action=theme.added").get_data(as_text=True)

    assert "No event matches these filters." in html


@pytest.mark.parametrize("language, summary, until_refused, since_refused, listed_later", [
    ("en", "Please check what you entered", "Until (date): This date comes before the “From” date.",
     "From (date): Please give a date, for example 2027-12-31.", "The log is listed once the dates are corrected."),
    ("fil", "Pakitingnan muli ang inilagay mo", "Hanggang (petsa): Nauuna ang petsang ito sa petsang “Mula”.",
     "Mula (petsa): Pakilagay ang petsa, halimbawa 2027-12-31.",
     "Ipapakita ang talaan kapag naitama na ang mga petsa."),
])
def test_a_refused_date_is_summarised_with_a_link_to_it_and_lists_no_event_as_if_filtered(
        client, make, login, language, summary, until_refused, since_refused, listed_later):
    """As on every form: the summary takes the focus and leads to the field; no list reads as a search that ran."""
    login(make.user("admin"))
    client.get(f"/language/{language}")

    backwards = client.get("/admin/audit?since=2026-12-05&until=2026-12-01").get_data(as_text=True)
    no_such_day = client.get("/admin/audit?since=2026-13-01&action=staff.login").get_data(as_text=True)

    for html, field, refused in ((backwards, "f-until", until_refused), (no_such_day, "f-since", since_refused)):
        assert re.search(r'<div class="error-summary" role="alert">\s*<h2 tabindex="-1" autofocus>', html)
        assert summary in html
        assert f'<a href="#{field}">{refused}</a>' in html and f'id="{field}"' in html
        assert listed_later in html and "<table" not in html
        assert "No event matches these filters." not in html and "Walang pangyayaring tugma" not in html
    assert "<td>Password accepted</td>" not in no_such_day and "<td>Tinanggap ang password</td>" not in no_such_day
    assert "error-summary" not in client.get("/admin/audit?since=2026-12-01").get_data(as_text=True)


def test_staff_accounts_in_the_log_are_named_by_username_and_lead_to_the_account(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    audit.record("staff.roles_changed", actor=admin, target=editor)
    db.session.commit()
    client.get("/language/en")
    login(admin)

    html = client.get("/admin/audit?action=staff.roles_changed").get_data(as_text=True)

    assert f'Staff account #{admin.id} (<a href="/admin/users/{admin.id}">{admin.username}</a>)' in html
    assert f'Staff account #{editor.id} (<a href="/admin/users/{editor.id}">{editor.username}</a>)' in html
    assert "Staff #" not in html, "the one acting and the one acted on are named alike"


def test_a_page_past_the_end_of_the_log_leads_to_its_last_page(client, make, login):
    login(make.user("admin"))

    response = client.get("/admin/audit?page=99999&actor=staff")

    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/audit?page=1&actor=staff")
