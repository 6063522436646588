"""Administrators manage staff accounts; every change is audited and ends the account's sessions."""

import json
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from roundtable import clock
from roundtable.db import db
from roundtable.models import AuditEvent, User
from roundtable.services import accounts
from roundtable.services.errors import RuleViolation
from tests.conftest import csrf_token_of, hidden_fields_of, password_typed_long_ago


def _post_action(client, user_id, action, page=None):
    page = page or client.get(f"/admin/users/{user_id}")
    return client.post(f"/admin/users/{user_id}", data={
        "act-csrf_token": csrf_token_of(page), "act-sent_once": hidden_fields_of(page).get("act-sent_once", ""),
        "act-action": action, "confirmed": "yes"})


def test_deactivate_and_reactivate_are_audited(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    _post_action(client, editor.id, "deactivate")
    assert not db.session.get(User, editor.id).active
    _post_action(client, editor.id, "reactivate")
    assert db.session.get(User, editor.id).active
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == editor.id)).all()
    assert "staff.deactivated" in actions and "staff.activated" in actions


def test_a_deactivation_or_reactivation_sent_again_changes_nothing_and_signs_nobody_out(client, make, login):
    """A second tab or Back and press: one audit event each, and a colleague already working again stays signed in."""
    admin, editor = make.user("admin"), make.user("editor")
    client.get("/language/en")
    login(admin)
    for action in ("deactivate", "deactivate", "reactivate"):
        _post_action(client, editor.id, action)
    sessions_after_reactivation = db.session.get(User, editor.id).session_version
    again = client.get(_post_action(client, editor.id, "reactivate").headers["Location"]).get_data(as_text=True)

    assert "The account was already active. Nothing changed." in again
    assert db.session.get(User, editor.id).session_version == sessions_after_reactivation
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == editor.id)).all()
    assert actions.count("staff.deactivated") == 1 and actions.count("staff.activated") == 1


def test_an_admin_cannot_lock_themselves_out(client, make, login):
    admin = make.user("admin")
    client.get("/language/en")
    login(admin)
    response = _post_action(client, admin.id, "deactivate")
    assert db.session.get(User, admin.id).active
    page = client.get(f"/admin/users/{admin.id}")
    client.post(f"/admin/users/{admin.id}", data={"roles-csrf_token": csrf_token_of(page), "roles-roles": ["editor"]})
    assert db.session.get(User, admin.id).role_set == {"admin"}
    assert response.status_code in (200, 302)


def test_the_last_active_administrator_stays_one(make):
    from roundtable.services import accounts
    from roundtable.services.errors import RuleViolation

    first, second, editor = make.user("admin"), make.user("admin"), make.user("editor")
    accounts.set_roles(second, {"editor"}, actor=first)  # another administrator stays: first
    db.session.commit()

    for take_it_away in (lambda: accounts.set_roles(first, {"editor"}, actor=editor),
                         lambda: accounts.set_active(first, False, actor=editor)):
        with pytest.raises(RuleViolation, match="one other active administrator"):
            take_it_away()
        db.session.rollback()
    assert first.active and first.has_role("admin")


def test_two_administrators_taking_the_role_from_each_other_at_once_leave_one(app, make, login):
    from tests.deployment.live import at_once

    first, second = make.user("admin"), make.user("admin")
    browsers = {first: app.test_client(), second: app.test_client()}
    forms = []
    for admin, other in ((first, second), (second, first)):
        login(admin, on=browsers[admin])
        page = browsers[admin].get(f"/admin/users/{other.id}")
        forms.append((browsers[admin], other.id, {"roles-csrf_token": csrf_token_of(page), "roles-roles": ["editor"],
                                                  "confirmed": "yes"}))

    at_once(*(lambda browser=browser, target=target, data=data: browser.post(f"/admin/users/{target}", data=data)
              for browser, target, data in forms))

    db.session.expire_all()
    assert sum(db.session.get(User, admin.id).has_role("admin") for admin in (first, second)) == 1


def test_on_their_own_account_an_admin_gets_no_action_that_another_admin_should_take(client, make, login):
    admin = make.user("admin")
    client.get("/language/en")
    login(admin)
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert 'name="act-action"' not in page and 'href="/account/password"' in page
    assert "This is your own account." in page
    for action, refusal in (("reset_password", "Change your own password under"),
                            ("reset_second_factor", "Only another administrator can reset your two-step sign-in.")):
        admin.totp_secret = "JBSWY3DPEHPK3PXP"  # so that a second factor exists to be reset
        db.session.commit()
        page = client.get(f"/admin/users/{admin.id}")
        response = client.post(f"/admin/users/{admin.id}", data={
            "act-csrf_token": csrf_token_of(page), "act-action": action,
        }, follow_redirects=True)
        assert refusal in response.get_data(as_text=True)
        db.session.refresh(admin)
        assert not admin.must_change_password and admin.totp_secret == "JBSWY3DPEHPK3PXP"
        assert client.get("/admin/users").status_code == 200  # still signed in
    assert "staff.password_changed" not in db.session.scalars(select(AuditEvent.action)).all()


def test_an_admin_cannot_give_themselves_a_role_that_reads_words(client, make, login):
    admin = make.user("admin")
    client.get("/language/en")
    login(admin)
    page = client.get(f"/admin/users/{admin.id}")
    response = client.post(f"/admin/users/{admin.id}", data={
        "roles-csrf_token": csrf_token_of(page), "roles-roles": ["admin", "editor"],
    }, follow_redirects=True)
    assert "you cannot give one to yourself" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).role_set == {"admin"}
    assert client.get("/editor/").status_code == 403

    other = make.user("admin")  # another administrator can
    helper = client.application.test_client()
    login(other, on=helper)
    page = helper.get(f"/admin/users/{admin.id}")
    helper.post(f"/admin/users/{admin.id}", data={"roles-csrf_token": csrf_token_of(page),
                                                  "roles-roles": ["admin", "editor"]})
    assert db.session.get(User, admin.id).role_set == {"admin", "editor"}


def test_a_password_reset_shows_a_one_time_password_once(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    response = _post_action(client, editor.id, "reset_password")
    html = response.get_data(as_text=True)
    assert '<p class="code big">' in html
    assert db.session.get(User, editor.id).must_change_password
    assert '<p class="code big">' not in client.get(f"/admin/users/{editor.id}").get_data(as_text=True)
    assert "staff.password_changed" in db.session.scalars(select(AuditEvent.action)).all()


def test_a_one_time_password_is_easy_to_read_out_and_copy_from_paper(client, make, login):
    """Given in person: no look-alike characters (I, l, 1, O, 0) and nothing that starts like an option ("-")."""
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    html = _post_action(client, editor.id, "reset_password").get_data(as_text=True)

    given = re.search(r'<p class="code big">([^<]+)</p>', html).group(1)

    assert re.fullmatch(r"[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){3}", given)
    for typed in (given.upper(), given.replace("-", " "), given.replace("-", ""), f" {given.capitalize()} "):
        assert accounts.authenticate(editor.username, typed) is not None, typed  # as read out, or a phone types it
    other_letter = "y" if given.endswith("x") else "x"  # one letter changed: refused (not the same letter again)
    assert accounts.authenticate(editor.username, given.replace("-", "")[:-1] + other_letter) is None


def test_a_password_reset_sent_again_from_the_same_page_makes_no_second_password(client, make, login):
    """A reload of the answer, or Back and the button: the one-time password handed over must go on working."""
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    client.get("/language/en")
    page = client.get(f"/admin/users/{editor.id}")
    first = _post_action(client, editor.id, "reset_password", page=page)
    handed_over = db.session.get(User, editor.id).password_hash

    again = _post_action(client, editor.id, "reset_password", page=page)

    db.session.expire_all()
    assert again.status_code == 302 and db.session.get(User, editor.id).password_hash == handed_over
    assert "The password was reset already" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == editor.id)).all().count(
        "staff.password_changed") == 1
    anew = _post_action(client, editor.id, "reset_password", page=first)  # the answer's own button: a new reset
    assert '<p class="code big">' in anew.get_data(as_text=True)


def test_an_unknown_action_is_a_bad_request(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    assert _post_action(client, editor.id, "make_me_root").status_code == 400


def test_only_admins_reach_account_pages(client, make, login):
    editor = make.user("editor")
    login(editor)
    assert client.get(f"/admin/users/{editor.id}").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/users/99999").status_code == 403


def test_a_missing_account_is_404_for_admins(client, make, login):
    login(make.user("admin"))
    assert client.get("/admin/users/99999").status_code == 404


def test_changing_an_account_needs_a_password_typed_in_the_last_15_minutes(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    client.get("/language/en")
    login(admin)
    password_typed_long_ago(client)
    page = client.get(f"/admin/users/{editor.id}")
    assert page.status_code == 200  # reading needs no fresh password
    response = client.post(f"/admin/users/{editor.id}", data={
        "act-csrf_token": csrf_token_of(page), "act-action": "deactivate", "confirmed": "yes",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/account/confirm?next=/admin/users/{editor.id}")
    assert db.session.get(User, editor.id).active

    confirm = client.get(response.headers["Location"])
    assert "For your safety, type your password again." in confirm.get_data(as_text=True)
    wrong = client.post(f"/account/confirm?next=/admin/users/{editor.id}", data={
        "password": "not the password at all", "csrf_token": csrf_token_of(confirm),
    })
    assert "Your current password is not right." in wrong.get_data(as_text=True)
    assert "staff.password_confirmation_failed" in db.session.scalars(select(AuditEvent.action)).all()
    right = client.post(f"/account/confirm?next=/admin/users/{editor.id}", data={
        "password": "a long test password 1", "csrf_token": csrf_token_of(confirm),
    })
    carry_on = client.get(right.headers["Location"])
    assert "Password confirmed" in carry_on.get_data(as_text=True)
    assert db.session.get(User, editor.id).active  # not yet: the change is made by pressing its button

    carried_on = client.post(f"/admin/users/{editor.id}", data=hidden_fields_of(carry_on))
    assert carried_on.status_code == 302
    assert not db.session.get(User, editor.id).active


def test_a_form_stopped_for_the_password_is_sent_on_with_what_it_held(client, make, login):
    login(make.user("admin"))
    client.get("/language/en")
    password_typed_long_ago(client)
    page = client.get("/admin/users")
    stopped = client.post("/admin/users", data={
        "username": "new.editor", "display_name": "Maria Santos", "roles": ["editor", "facilitator"],
        "csrf_token": csrf_token_of(page),
    })
    confirm = client.get(stopped.headers["Location"])
    confirmed = client.get(client.post("/account/confirm?next=/admin/users", data={
        "password": "a long test password 1", "csrf_token": csrf_token_of(confirm),
    }).headers["Location"])
    html = confirmed.get_data(as_text=True)
    assert "a long test password 1" not in html
    fields = hidden_fields_of(confirmed)
    assert fields["username"] == "new.editor" and fields["display_name"] == "Maria Santos"
    assert "action=\"/admin/users\"" in html

    in_filipino = client.get("/language/fil?next=" + quote(confirmed.request.full_path))
    assert hidden_fields_of(client.get(in_filipino.headers["Location"]))["display_name"] == "Maria Santos"

    created = client.post("/admin/users", data={**fields, "roles": ["editor", "facilitator"]})
    assert created.status_code == 200
    user = db.session.scalar(select(User).where(User.username == "new.editor"))
    assert user.role_set == {"editor", "facilitator"}
    assert client.get("/account/carry-on?next=/admin/users").status_code == 302, "sent: nothing is kept any more"


def test_forms_stopped_for_the_password_in_two_tabs_are_each_kept(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    password_typed_long_ago(client)
    page = client.get("/admin/users")
    client.post("/admin/users", data={"username": "new.editor", "display_name": "New Editor", "roles": ["editor"],
                                      "csrf_token": csrf_token_of(page)})
    client.post(f"/admin/users/{editor.id}", data={"roles-roles": ["editor", "facilitator"],
                                                   "roles-csrf_token": csrf_token_of(page)})
    confirm = client.get("/account/confirm?next=/admin/users")
    client.post("/account/confirm?next=/admin/users", data={
        "password": "a long test password 1", "csrf_token": csrf_token_of(confirm)})

    assert hidden_fields_of(client.get("/account/carry-on?next=/admin/users"))["username"] == "new.editor"
    second = client.get(f"/account/carry-on?next=/admin/users/{editor.id}")
    assert hidden_fields_of(second)["roles-roles"] == "editor"


def test_going_back_from_a_kept_form_that_only_posts_leads_to_its_page(client, make, login):
    admin, facilitator, successor = make.user("admin"), make.user("facilitator"), make.user("facilitator")
    make.roundtable(facilitator)
    login(admin)
    password_typed_long_ago(client)
    page = client.get(f"/admin/users/{facilitator.id}")
    client.post(f"/admin/users/{facilitator.id}/hand-over", data={
        "handover-successor": successor.id, "handover-csrf_token": csrf_token_of(page)})
    confirm = client.get(f"/account/confirm?next=/admin/users/{facilitator.id}/hand-over")
    carry_on = client.get(client.post(f"/account/confirm?next=/admin/users/{facilitator.id}/hand-over", data={
        "password": "a long test password 1", "csrf_token": csrf_token_of(confirm)}).headers["Location"])
    assert f'href="/admin/users/{facilitator.id}">' in carry_on.get_data(as_text=True)


def test_a_kept_form_is_sent_on_only_to_the_page_it_came_from(client, make, login):
    login(make.user("admin"))
    password_typed_long_ago(client)
    page = client.get("/admin/users")
    client.post("/admin/users", data={"username": "new.editor", "display_name": "New Editor", "roles": ["editor"],
                                      "csrf_token": csrf_token_of(page)})
    confirm = client.get("/account/confirm?next=/admin/retention")
    elsewhere = client.post("/account/confirm?next=/admin/retention", data={
        "password": "a long test password 1", "csrf_token": csrf_token_of(confirm),
    })
    assert elsewhere.status_code == 302 and elsewhere.headers["Location"].endswith("/admin/retention")


def test_creating_an_account_needs_a_fresh_password_too(client, make, login):
    login(make.user("admin"))
    password_typed_long_ago(client)
    page = client.get("/admin/users")
    response = client.post("/admin/users", data={
        "username": "new.editor", "display_name": "New Editor", "roles": ["editor"], "csrf_token": csrf_token_of(page),
    })
    assert "/account/confirm" in response.headers["Location"]
    assert db.session.scalar(select(User).where(User.username == "new.editor")) is None


def test_the_confirmation_never_sends_anyone_off_site(client, make, login):
    login(make.user("admin"))
    page = client.get("/account/confirm")
    response = client.post("/account/confirm?next=//evil.example/", data={
        "password": "a long test password 1", "csrf_token": csrf_token_of(page),
    })
    assert response.status_code == 302 and "evil" not in response.headers["Location"]


def test_an_admin_creates_an_account_whose_one_time_password_is_shown_once(client, make, login):
    login(make.user("admin"))
    client.get("/language/en")
    page = client.get("/admin/users")
    response = client.post("/admin/users", data={
        "username": "comms.staff", "display_name": "Comms Staff", "roles": ["editor"], "csrf_token": csrf_token_of(page),
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "it is shown only once" in html
    created = db.session.scalar(select(User).where(User.username == "comms.staff"))
    assert created.role_set == {"editor"} and created.must_change_password
    assert html.count('<p class="code big">') == 1
    assert "/language/fil" not in html, "no other language: leaving for it would lose the password shown once"
    listed = client.get("/admin/users").get_data(as_text=True)
    assert '<p class="code big">' not in listed and "/language/fil" in listed

    again = client.post("/admin/users", data={
        "username": "comms.staff", "display_name": "Someone Else", "roles": ["editor"],
        "csrf_token": csrf_token_of(client.get("/admin/users")),
    })
    assert "That username is taken." in again.get_data(as_text=True)
    assert db.session.scalars(select(User).where(User.username == "comms.staff")).all() == [created]


def test_the_accounts_list_names_roles_in_the_readers_language(client, make, login):
    login(make.user("admin"))
    make.user("facilitator", "editor", username="mara")
    client.get("/language/fil")
    body = client.get("/admin/users").get_data(as_text=True)
    assert "<td>Editor, Tagapagdaloy</td>" in body
    assert "facilitator" not in body.split("<table")[1].split("</table>")[0]


def test_roles_saved_as_they_were_sign_no_one_out_and_record_nothing(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    version = editor.session_version
    client.get("/language/en")
    login(admin)
    page = client.get(f"/admin/users/{editor.id}")

    response = client.post(f"/admin/users/{editor.id}", data={"roles-csrf_token": csrf_token_of(page),
                                                              "roles-roles": ["editor"]}, follow_redirects=True)

    assert "roles. Nothing changed." in response.get_data(as_text=True)
    assert db.session.get(User, editor.id).session_version == version
    assert "staff.roles_changed" not in db.session.scalars(select(AuditEvent.action)).all()


def test_a_display_name_from_the_command_line_is_cleaned_like_one_typed_in_a_form(ctx):
    from roundtable.services import accounts

    user = accounts.create_user("frank", "Frank\x1b[31mRED\x07  Cruz", {"editor"}, "mango river lantern tide")

    assert user.display_name == "Frank[31mRED Cruz"


def test_locking_a_colleague_out_is_asked_about_first_and_the_answer_sends_the_same_action(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    client.get("/language/en")
    login(admin)
    for action, question, yes in (("reset_password", f"Reset the password of {editor.username} (Staff Member)?",
                                   "Yes, reset the password"),
                                  ("deactivate", f"Deactivate the account of {editor.username} (Staff Member)?",
                                   "Yes, deactivate")):
        page = client.get(f"/admin/users/{editor.id}")
        asked = client.post(f"/admin/users/{editor.id}", data={"act-csrf_token": csrf_token_of(page),
                                                               "act-action": action})
        html = asked.get_data(as_text=True)
        assert asked.status_code == 200 and f"<title>{question}" in html and yes in html
        assert f'name="act-action" value="{action}"' in html and 'name="confirmed" value="yes"' in html
        db.session.refresh(editor)
        assert editor.active and not editor.must_change_password

    client.post(f"/admin/users/{editor.id}", data=dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html)))
    assert not db.session.get(User, editor.id).active


def test_taking_the_facilitator_role_from_someone_who_runs_roundtables_warns_that_no_one_could_moderate_them(
        client, make, login):
    admin, facilitator = make.user("admin"), make.user("facilitator")
    make.roundtable(facilitator)
    client.get("/language/en")
    login(admin)
    page = client.get(f"/admin/users/{facilitator.id}")

    asked = client.post(f"/admin/users/{facilitator.id}", data={"roles-csrf_token": csrf_token_of(page),
                                                                "roles-roles": ["editor"]})

    assert "1 roundtable whose words are kept still, run by this account, would have no facilitator" in asked.get_data(as_text=True)
    assert db.session.get(User, facilitator.id).role_set == {"facilitator"}


@pytest.mark.parametrize("language, questions", [
    ("en", {"deactivate": "Deactivate the account of {named}?", "reset_password": "Reset the password of {named}?",
            "reset_second_factor": "Reset two-step sign-in for {named}?",
            "roles": "Take away the facilitator role from {named}?"}),
    ("fil", {"deactivate": "I-deactivate ang account ni {named}?", "reset_password": "I-reset ang password ni {named}?",
             "reset_second_factor": "I-reset ang dalawang-hakbang na pag-sign in ni {named}?",
             "roles": "Tanggalin ang tungkuling tagapagdaloy ni {named}?"}),
])
def test_every_question_before_changing_an_account_names_it_in_its_title_and_heading(
        client, make, login, language, questions):
    admin, facilitator = make.user("admin"), make.user("facilitator")
    facilitator.display_name, facilitator.totp_secret = "Ana Reyes", "JBSWY3DPEHPK3PXP"
    db.session.commit()
    make.roundtable(facilitator)
    login(admin)
    client.get(f"/language/{language}")
    for action, question in questions.items():
        page = client.get(f"/admin/users/{facilitator.id}")
        sent = ({"roles-csrf_token": csrf_token_of(page), "roles-roles": ["editor"]} if action == "roles"
                else {"act-csrf_token": csrf_token_of(page), "act-action": action})
        html = client.post(f"/admin/users/{facilitator.id}", data=sent).get_data(as_text=True)
        question = question.format(named=f"{facilitator.username} (Ana Reyes)")
        assert f"<title>{question} · Roundtable</title>" in html and f"<h1>{question}</h1>" in html
    db.session.refresh(facilitator)
    assert facilitator.active and facilitator.role_set == {"facilitator"}


def _an_editors_page_open(client, make, login):
    """An administrator, in English, on an editor's account page: the editor and the page."""
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    client.get("/language/en")
    return editor, client.get(f"/admin/users/{editor.id}")


def test_roles_sent_with_no_box_ticked_are_refused_beside_the_boxes_only_once(client, make, login):
    editor, page = _an_editors_page_open(client, make, login)

    answer = client.post(f"/admin/users/{editor.id}", data={"roles-csrf_token": csrf_token_of(page), "confirmed": "yes"})

    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Choose at least one role." in html
    assert "Please check what you entered." not in html  # the summary's heading says it already, without a stop
    assert db.session.get(User, editor.id).role_set == {"editor"}


def test_an_admin_corrects_a_display_name_and_an_empty_one_is_refused_with_the_typing_kept(client, make, login):
    editor, page = _an_editors_page_open(client, make, login)
    version = editor.session_version

    refused = client.post(f"/admin/users/{editor.id}", data={"name-csrf_token": csrf_token_of(page),
                                                             "name-display_name": "  "})
    saved = client.post(f"/admin/users/{editor.id}", data={"name-csrf_token": csrf_token_of(page),
                                                           "name-display_name": "Maria Santos-Cruz"},
                        follow_redirects=True)

    assert refused.status_code == 200 and "Please fill this in." in refused.get_data(as_text=True)
    assert "Display name saved." in saved.get_data(as_text=True)
    renamed = db.session.get(User, editor.id)
    assert (renamed.display_name, renamed.username) == ("Maria Santos-Cruz", editor.username)
    assert renamed.session_version == version  # nobody is signed out for a name
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == editor.id,
                                                              AuditEvent.action == "staff.renamed")).all()


def test_no_role_box_is_announced_as_required_since_one_role_is_enough(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)

    html = client.get(f"/admin/users/{editor.id}").get_data(as_text=True)

    boxes = re.findall(r'<input[^>]*name="roles-roles"[^>]*>', html)
    assert len(boxes) == 3 and not any("required" in box for box in boxes)


def test_an_admin_hands_a_leaving_facilitators_roundtables_to_another_who_then_moderates_them(client, make, login):
    from roundtable.models import Roundtable

    admin, leaving, taking_over = make.user("admin"), make.user("facilitator"), make.user("facilitator")
    running, archived = make.roundtable(leaving), make.roundtable(leaving, status="draft")
    erased = make.roundtable(leaving, status="draft")
    archived.status = erased.status = "archived"
    erased.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    client.get("/language/en")
    login(admin)
    page = client.get(f"/admin/users/{leaving.id}")
    assert "2 roundtables whose words are kept still are run by this account" in page.get_data(as_text=True), (
        "archived ones too (their facilitator still moderates them), until their words are erased")

    for nobody in ("0", str(2**31), "9" * 25):  # beyond the database's integer: PostgreSQL refused to look (a 500)
        refused = client.post(f"/admin/users/{leaving.id}/hand-over", data={
            "handover-csrf_token": csrf_token_of(page), "handover-successor": nobody}, follow_redirects=True)
        assert "Choose an active facilitator to hand the roundtables to." in refused.get_data(as_text=True), nobody
    asked = client.post(f"/admin/users/{leaving.id}/hand-over", data={
        "handover-csrf_token": csrf_token_of(page), "handover-successor": str(taking_over.id)})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200, "one click handed them over: it is asked first, naming to whom and how many"
    assert f"<title>Hand 3 roundtables of {leaving.username} (Staff Member) over to {taking_over.username} " in html
    # Both are named by username first in the question's words too: two accounts may have the same display name.
    assert (f"{taking_over.username} (Staff Member) runs and moderates them from now on" in html
            and f"{leaving.username} (Staff Member) will no longer see them." in html)
    assert f'href="/admin/users/{leaving.id}">No, go back' in html
    assert {r.facilitator_id for r in db.session.scalars(select(Roundtable))} == {leaving.id}
    done = client.post(asked.request.path, data={**hidden_fields_of(asked), "confirmed": "yes"}, follow_redirects=True)

    assert "3 roundtables were handed over." in done.get_data(as_text=True)
    assert {r.facilitator_id for r in db.session.scalars(select(Roundtable))} == {taking_over.id}
    assert sorted(db.session.scalars(select(AuditEvent.target_id).where(AuditEvent.action == "roundtable.handed_over")
                                     )) == sorted([running.id, archived.id, erased.id])
    assert "Roundtables this account runs" not in client.get(f"/admin/users/{leaving.id}").get_data(as_text=True)
    again = client.post(f"/admin/users/{leaving.id}/hand-over", data={  # from another tab, say
        "handover-csrf_token": csrf_token_of(page), "handover-successor": str(taking_over.id)}, follow_redirects=True)
    assert "nothing was left to hand over" in again.get_data(as_text=True)


def test_a_facilitator_deactivated_while_the_hand_over_page_was_open_is_refused_by_name(client, make, login):
    admin, leaving, taking_over = make.user("admin"), make.user("facilitator"), make.user("facilitator")
    make.roundtable(leaving)
    client.get("/language/en")
    login(admin)
    page = client.get(f"/admin/users/{leaving.id}")
    taking_over.active = False
    db.session.commit()

    refused = client.post(f"/admin/users/{leaving.id}/hand-over", data={
        "handover-csrf_token": csrf_token_of(page), "handover-successor": str(taking_over.id)}, follow_redirects=True)

    assert "Choose an active facilitator to hand the roundtables to." in refused.get_data(as_text=True)


def test_roundtables_go_only_to_an_active_facilitator(make):
    import pytest

    from roundtable.services import roundtables
    from roundtable.services.errors import RuleViolation

    admin, leaving, editor, gone = (make.user(role) for role in ("admin", "facilitator", "editor", "facilitator"))
    gone.active = False
    make.roundtable(leaving)
    for successor in (editor, leaving, gone, None):
        with pytest.raises(RuleViolation):
            roundtables.hand_over(leaving, successor, actor=admin)


def test_a_page_of_accounts_past_the_end_leads_back_to_the_first(client, make, login):
    login(make.user("admin"))
    client.get("/language/en")

    html = client.get("/admin/users?page=9").get_data(as_text=True)

    assert "This page is past the end of the list." in html and "page=1" in html


def test_a_display_name_of_punctuation_only_is_refused_beside_it_on_creating_and_renaming(client, make, login):
    """"!!!" names no one: it was put down as the username without a word, or refused as "Please fill this in"."""
    editor, page = _an_editors_page_open(client, make, login)
    renamed = client.post(f"/admin/users/{editor.id}", data={"name-csrf_token": csrf_token_of(page),
                                                             "name-display_name": "!!!"})
    assert "A display name needs at least one letter or digit." in renamed.get_data(as_text=True)

    page = client.get("/admin/users")
    created = client.post("/admin/users", data={"username": "comms.two", "display_name": "- . -",
                                                "roles": ["editor"], "csrf_token": csrf_token_of(page)})
    html = created.get_data(as_text=True)
    assert '<a href="#display_name">' in html and "A display name needs at least one letter or digit." in html
    assert 'value="comms.two"' in html and db.session.scalar(select(User).where(User.username == "comms.two")) is None


def test_a_username_that_is_not_one_is_said_with_the_forms_other_problems_in_one_pass(client, make, login):
    """QA r3 #2: "Maria Santos!" was said only once the display name and the roles were put right, so the admin sent
    the form three times."""
    admin = make.user("admin")
    login(admin)
    client.get("/language/en")
    page = client.get("/admin/users")

    response = client.post("/admin/users", data={"username": "Maria Santos!", "display_name": "",
                                                 "csrf_token": csrf_token_of(page)})

    summary = response.get_data(as_text=True).split('class="error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="#(\w+)">', summary) == ["username", "display_name", "roles"]
    assert "Username: A username has 2 to 64 letters a–z without accents" in summary
    assert 'value="Maria Santos!"' in response.get_data(as_text=True)
    assert db.session.scalars(select(User)).all() == [admin]
    too_short = client.post("/admin/users", data={"username": "m", "display_name": "",
                                                  "csrf_token": csrf_token_of(page)})
    summary = too_short.get_data(as_text=True).split('class="error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="#(\w+)">', summary) == ["username", "display_name", "roles"], "each said once"
    assert "Username: Use between 2 and 64 characters." in summary


def test_a_display_name_of_invisible_characters_only_is_no_name_and_the_hand_over_list_leads_with_usernames(
        client, make, login):
    from roundtable.services import accounts
    from roundtable.services.errors import RuleViolation

    admin, leaving, other = make.user("admin"), make.user("facilitator"), make.user("facilitator")
    make.roundtable(leaving)
    for blank in ("\u3164", "\u2800" * 80, "\u00ad\u034f"):
        with pytest.raises(RuleViolation, match="Please fill this in"):
            accounts.rename(other, blank, actor=admin)
    accounts.rename(other, "Maria Santos (maria)" + "\u2800" * 80, actor=admin)
    db.session.commit()
    login(admin)

    html = client.get(f"/admin/users/{leaving.id}").get_data(as_text=True)

    assert f'<option value="{other.id}">{other.username} (Maria Santos (maria))</option>' in html


def test_account_actions_the_page_does_not_offer_are_refused(client, make, login):
    editor, page = _an_editors_page_open(client, make, login)
    token = csrf_token_of(page)

    nothing_to_reset = client.post(f"/admin/users/{editor.id}", data={
        "act-csrf_token": token, "act-action": "reset_second_factor", "confirmed": "yes"}, follow_redirects=True)
    two_actions = client.post(f"/admin/users/{editor.id}", data={
        "act-csrf_token": token, "act-action": ["reset_second_factor", "deactivate"], "confirmed": "yes"})
    two_forms = client.post(f"/admin/users/{editor.id}", data={
        "roles-csrf_token": token, "roles-roles": ["facilitator"], "name-csrf_token": token,
        "name-display_name": "Other", "confirmed": "yes"})
    unchanged = client.post(f"/admin/users/{editor.id}", data={
        "name-csrf_token": token, "name-display_name": editor.display_name}, follow_redirects=True)

    assert "This account has no two-step sign-in to reset." in nothing_to_reset.get_data(as_text=True)
    assert (two_actions.status_code, two_forms.status_code) == (400, 400)
    assert "This was already the account&#39;s display name. Nothing changed." in unchanged.get_data(as_text=True)
    account = db.session.get(User, editor.id)
    assert account.active and account.role_set == {"editor"}
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.target_id == editor.id,
                                                           AuditEvent.action.like("staff.%"),
                                                           AuditEvent.action != "staff.created")).all()


@pytest.mark.parametrize(("left", "said"), [(1, "on, 1 recovery code left"), (2, "on, 2 recovery codes left")])
def test_the_account_page_counts_recovery_codes_left_in_good_english(client, make, login, left, said):
    editor = make.user("editor")
    editor.totp_secret = "JBSWY3DPEHPK3PXP"
    editor.recovery_codes = json.dumps([f"digest-{n}" for n in range(left)])
    db.session.commit()
    login(make.user("admin"))
    client.get("/language/en")

    assert said in client.get(f"/admin/users/{editor.id}").get_data(as_text=True)


def test_a_one_time_password_typed_otherwise_is_the_current_password_and_is_no_new_one(client, make, login):
    """Signed in with it in capitals, the person types it so again on the next page (regression round)."""
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    html = _post_action(client, editor.id, "reset_password").get_data(as_text=True)
    given = re.search(r'<p class="code big">([^<]+)</p>', html).group(1)
    typed = given.upper().replace("-", " ")

    with pytest.raises(RuleViolation):
        accounts.change_password(editor, typed, given.replace("-", ""))  # the one known to the admin, no new one
    accounts.change_password(editor, typed, "a new password of my own 2026")

    assert accounts.authenticate(editor.username, "a new password of my own 2026") is not None
