"""Staff sign in with a password and then a second factor; admins and editors must have one."""

import json
import re
import time

import pyotp
import pytest
from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent, User
from tests.conftest import PRODUCTION_ENV, csrf_token_of, second_browser_with_the_cookie_of
from tests.deployment.live import at_once

PASSWORD = "a long test password 1"


@pytest.fixture
def two_factor_required(app):
    before = app.config["TWO_FACTOR_REQUIRED_ROLES"]
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = ("admin", "editor")
    yield
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = before


def _password_step(client, user, password=PASSWORD):
    token = csrf_token_of(client.get("/login"))
    return client.post("/login", data={"username": user.username, "password": password, "csrf_token": token})


def _enrol(client):
    page = client.get("/account/two-factor")
    assert re.search(r'<input[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"', page.get_data(as_text=True))
    secret = re.search(r'<span class="code">([A-Z2-7]+)</span>', page.get_data(as_text=True)).group(1)
    response = client.post(
        "/account/two-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token_of(page)}
    )
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.get_data(as_text=True))
    # No other language on the page of the codes: leaving for it would lose them (they cannot be shown again).
    assert not codes or "/language/" not in response.get_data(as_text=True)
    return secret, codes


def _next_code(secret: str) -> str:
    """The code of the next 30-second step: accepted (one step of drift) and newer than any code used so far."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def _code_step(client, code):
    page = client.get("/login/code")
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_token_of(page)})


def _actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_an_editor_without_a_second_factor_must_set_one_up_before_reaching_any_page(
    client, make, two_factor_required
):
    editor = make.user("editor")
    response = _password_step(client, editor)
    assert response.headers["Location"].endswith("/account/two-factor")
    assert client.get("/editor/").status_code == 302  # not signed in yet
    page = client.get("/account/two-factor")
    assert '<img src="/account/two-factor/qr.svg"' in page.get_data(as_text=True)
    qr = client.get("/account/two-factor/qr.svg")
    assert qr.mimetype == "image/svg+xml"
    assert b"<svg" in qr.data and b"style=" not in qr.data and b"<script" not in qr.data

    secret, codes = _enrol(client)
    assert len(codes) == 10
    assert client.get("/editor/").status_code == 200
    stored = db.session.get(User, editor.id)
    assert stored.totp_secret == secret
    assert not any(code in (stored.recovery_codes or "") for code in codes), "only digests are stored"
    assert "staff.second_factor_enrolled" in _actions()


def test_a_wrong_enrolment_code_turns_nothing_on(client, make, two_factor_required):
    editor = make.user("editor")
    _password_step(client, editor)
    page = client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "000000", "csrf_token": csrf_token_of(page)})
    assert "That code is not right" in response.get_data(as_text=True)
    assert db.session.get(User, editor.id).totp_secret is None


def test_a_set_up_not_finished_starts_again_with_a_new_key_and_says_to_remove_the_old_entry(
    app, make, two_factor_required
):
    editor = make.user("editor")
    keys = []
    for _ in range(2):  # the first set-up left unfinished: its session ended, or the phone died
        browser = app.test_client()
        browser.get("/language/en")
        _password_step(browser, editor)
        html = browser.get("/account/two-factor").get_data(as_text=True)
        keys.append(re.search(r'<span class="code">([A-Z2-7]+)</span>', html).group(1))
        assert "If your app already shows Roundtable from a set-up you did not finish, remove that entry" in html

    assert keys[0] != keys[1]


def test_the_code_step_accepts_the_current_code_and_refuses_a_wrong_one(client, app, make, two_factor_required):
    admin = make.user("admin")
    _password_step(client, admin)
    secret, _codes = _enrol(client)

    other = app.test_client()
    response = _password_step(other, admin)
    assert response.headers["Location"].endswith("/login/code")
    assert other.get("/admin/users").status_code == 302
    wrong = _code_step(other, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321")
    assert "That code is not right" in wrong.get_data(as_text=True)
    assert other.get("/admin/users").status_code == 302
    assert _code_step(other, _next_code(secret)).status_code == 302
    assert other.get("/admin/users").status_code == 200
    actions = _actions()
    assert "staff.second_factor_failed" in actions and "staff.second_factor_passed" in actions


def test_a_code_works_only_once(client, app, make, two_factor_required):
    """RFC 6238 §5.2: a code seen over someone's shoulder, or used to enrol, does not open a second session."""
    editor = make.user("editor")
    _password_step(client, editor)
    page = client.get("/account/two-factor")
    secret = re.search(r'<span class="code">([A-Z2-7]+)</span>', page.get_data(as_text=True)).group(1)
    enrolment_code = pyotp.TOTP(secret).now()
    client.post("/account/two-factor", data={"code": enrolment_code, "csrf_token": csrf_token_of(page)})

    again = app.test_client()
    _password_step(again, editor)
    assert "That code is not right" in _code_step(again, enrolment_code).get_data(as_text=True)
    code = _next_code(secret)
    assert _code_step(again, code).status_code == 302
    assert again.get("/editor/").status_code == 200

    replay = app.test_client()
    _password_step(replay, editor)
    assert "That code is not right" in _code_step(replay, code).get_data(as_text=True)
    assert replay.get("/editor/").status_code == 302
    stored_step = db.session.get(User, editor.id).totp_last_step
    assert pyotp.TOTP(secret).at(stored_step * 30) == code  # the step of the code used, whenever the clock ticked


def test_a_recovery_code_works_exactly_once(client, app, make, two_factor_required):
    editor = make.user("editor")
    _password_step(client, editor)
    _secret, codes = _enrol(client)

    first = app.test_client()
    _password_step(first, editor)
    assert _code_step(first, codes[0].upper()).status_code == 302
    assert first.get("/editor/").status_code == 200

    second = app.test_client()
    _password_step(second, editor)
    assert _code_step(second, codes[0]).status_code == 200  # refused, page shown again
    assert second.get("/editor/").status_code == 302
    assert len(json.loads(db.session.get(User, editor.id).recovery_codes)) == 9
    first.get("/language/en")
    assert ("You have 9 recovery codes left. Each works once; setting up again gives you 10 new ones."
            in first.get("/account/two-factor").get_data(as_text=True)), "said where a new set is made"


def test_one_recovery_code_sent_from_several_places_at_once_opens_one_session(client, app, make, two_factor_required):
    editor = make.user("editor")
    _password_step(client, editor)
    _secret, codes = _enrol(client)
    db.session.commit()
    browsers = [app.test_client() for _ in range(6)]
    tokens = []
    for browser in browsers:
        _password_step(browser, editor)
        tokens.append(csrf_token_of(browser.get("/login/code")))

    answers = at_once(*(lambda browser=browser, token=token: browser.post(
        "/login/code", data={"code": codes[0], "csrf_token": token}) for browser, token in zip(browsers, tokens)))

    assert sorted(answer.status_code for answer in answers) == [200] * 5 + [302]
    db.session.expire_all()
    assert len(json.loads(db.session.get(User, editor.id).recovery_codes)) == 9
    assert _actions().count("staff.recovery_code_used") == 1


def test_a_facilitator_may_sign_in_without_a_second_factor_and_may_add_one(client, make, login, two_factor_required):
    facilitator = make.user("facilitator")
    response = login(facilitator)
    assert response.headers["Location"].endswith("/facilitator/roundtables") or "/facilitator" in response.headers["Location"]
    _secret, codes = _enrol(client)
    assert codes and db.session.get(User, facilitator.id).totp_secret


def test_a_pending_second_factor_cannot_see_the_qr_code_of_nobody(client):
    assert client.get("/account/two-factor/qr.svg").status_code == 404
    assert client.get("/login/code").status_code == 302


def test_an_admin_reset_of_the_second_factor_is_audited_and_signs_the_owner_out(
    client, app, make, login, two_factor_required
):
    editor = make.user("editor")
    _password_step(client, editor)
    _enrol(client)
    assert client.get("/editor/").status_code == 200

    admin = make.user("admin")
    admin_browser = app.test_client()
    _password_step(admin_browser, admin)
    _enrol(admin_browser)
    page = admin_browser.get(f"/admin/users/{editor.id}")
    assert "Reset two-step sign-in" in page.get_data(as_text=True)
    admin_browser.post(
        f"/admin/users/{editor.id}",
        data={"act-csrf_token": csrf_token_of(page), "act-action": "reset_second_factor", "confirmed": "yes"},
    )
    stored = db.session.get(User, editor.id)
    assert stored.totp_secret is None and stored.recovery_codes is None
    assert client.get("/editor/").status_code == 302
    assert "staff.second_factor_reset" in _actions()
    # at the next sign-in the editor must enrol again
    assert _password_step(client, editor).headers["Location"].endswith("/account/two-factor")


def test_an_admin_resetting_an_optional_second_factor_is_told_it_stays_off(client, app, make, two_factor_required):
    """A facilitator's roles do not need one: no one asks them to set it up again, so the admin is not told so."""
    facilitator = make.user("facilitator")
    _password_step(client, facilitator)
    _enrol(client)
    admin = make.user("admin")
    admin_browser = app.test_client()
    _password_step(admin_browser, admin)
    _enrol(admin_browser)
    admin_browser.get("/language/en")
    page = admin_browser.get(f"/admin/users/{facilitator.id}")

    asked = admin_browser.post(f"/admin/users/{facilitator.id}", data={
        "act-csrf_token": csrf_token_of(page), "act-action": "reset_second_factor"}).get_data(as_text=True)
    done = admin_browser.post(f"/admin/users/{facilitator.id}", data={
        "act-csrf_token": csrf_token_of(page), "act-action": "reset_second_factor", "confirmed": "yes"},
        follow_redirects=True).get_data(as_text=True)

    assert "Their roles do not need two-step sign-in, so it stays off until they turn it on again" in asked
    assert "is off for this account, whose roles do not need it, until its owner turns it on again" in done
    assert "next sign-in" not in asked + done
    assert "/facilitator" in _password_step(client, facilitator).headers["Location"], "not asked to set it up"


def test_the_demo_flag_turns_the_second_factor_off(client, app, make, two_factor_required):
    editor = make.user("editor")
    app.config["TWO_FACTOR_DISABLED"] = True
    try:
        response = _password_step(client, editor)
        assert "/editor" in response.headers["Location"]
    finally:
        app.config["TWO_FACTOR_DISABLED"] = False


def test_the_demo_flag_is_refused_in_production(tmp_path):
    from roundtable.config import ConfigurationError, load

    with pytest.raises(ConfigurationError, match="ROUNDTABLE_DEMO_WITHOUT_TWO_FACTOR"):
        load(tmp_path, {**PRODUCTION_ENV, "ROUNDTABLE_DEMO_WITHOUT_TWO_FACTOR": "1"})


def test_admins_and_editors_need_a_second_factor_by_default(tmp_path):
    from roundtable.config import load

    assert set(load(tmp_path, {})["TWO_FACTOR_REQUIRED_ROLES"]) == {"admin", "editor"}


def test_the_totp_secret_is_decrypted_to_check_a_code_and_not_on_every_page(
    client, app, make, two_factor_required, monkeypatch
):
    from roundtable.services import crypto

    editor = make.user("editor")
    _password_step(client, editor)
    secret, _codes = _enrol(client)
    opened = []
    real_decrypt = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: opened.append(real_decrypt(token)) or opened[-1])
    other = app.test_client()
    _password_step(other, editor)
    assert _code_step(other, _next_code(secret)).status_code == 302
    assert secret in opened  # the code step needs it
    opened.clear()
    db.session.remove()
    for url in ("/editor/", "/editor/quotes", "/editor/themes", "/account/password"):
        assert other.get(url).status_code == 200
    assert secret not in opened


def test_replacing_a_second_factor_that_is_on_needs_the_password_too(client, make, two_factor_required):
    admin = make.user("admin")
    client.get("/language/en")
    _password_step(client, admin)
    old_secret, _codes = _enrol(client)

    page = client.get("/account/two-factor")
    html = page.get_data(as_text=True)
    assert 'name="current"' in html and "type your password too" in html
    new_secret = re.search(r'<span class="code">([A-Z2-7]+)</span>', html).group(1)
    for password in ("", "not the password at all"):
        response = client.post("/account/two-factor", data={
            "current": password, "code": _next_code(new_secret), "csrf_token": csrf_token_of(page),
        })
        assert "Your current password is not right." in response.get_data(as_text=True)
        db.session.refresh(admin)
        assert admin.totp_secret == old_secret
    response = client.post("/account/two-factor", data={
        "current": PASSWORD, "code": _next_code(new_secret), "csrf_token": csrf_token_of(page),
    })
    assert response.status_code == 200 and "recovery" in response.get_data(as_text=True).lower()
    db.session.refresh(admin)
    assert admin.totp_secret == new_secret


def test_a_session_found_open_cannot_put_a_second_factor_on_another_phone(client, app, make, login):
    """A facilitator with no second factor: enrolling from a session whose password was typed long ago asks for
    the password first."""
    facilitator = make.user("facilitator")
    login(facilitator)
    with client.session_transaction() as cookie:
        cookie["password_at"] -= app.config["STAFF_CONFIRM_MINUTES"] * 60 + 1
    page = client.get("/account/two-factor")
    secret = re.search(r'<span class="code">([A-Z2-7]+)</span>', page.get_data(as_text=True)).group(1)

    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now(),
                                                         "csrf_token": csrf_token_of(page)})

    assert response.status_code == 302 and "/account/confirm" in response.headers["Location"]
    db.session.refresh(facilitator)
    assert facilitator.totp_secret is None


def test_a_new_second_factor_ends_every_other_session(app, make, login):
    facilitator = make.user("facilitator")
    elsewhere, here = app.test_client(), app.test_client()
    login(facilitator, on=elsewhere)
    login(facilitator, on=here)

    _enrol(here)

    assert here.get("/facilitator/").status_code == 200
    assert elsewhere.get("/facilitator/").status_code == 302, "the other session ended"


def test_a_wrong_password_on_the_second_factor_page_is_recorded(client, make, two_factor_required):
    admin = make.user("admin")
    _password_step(client, admin)
    _enrol(client)
    page = client.get("/account/two-factor")
    client.post("/account/two-factor", data={"current": "a guess", "code": "123456", "csrf_token": csrf_token_of(page)})
    assert _actions()[-1] == "staff.password_confirmation_failed"


def test_last_sign_in_moves_only_once_the_second_factor_passed(client, app, make, two_factor_required):
    """An administrator reads "Last sign-in" as a whole sign-in: a right password and a wrong code is not one."""
    editor = make.user("editor")
    _password_step(client, editor)
    assert db.session.get(User, editor.id).last_login_at is None, "the password alone"
    secret, _codes = _enrol(client)
    db.session.expire_all()
    enrolled_at = db.session.get(User, editor.id).last_login_at
    assert enrolled_at is not None, "setting up the second factor was the sign-in's last step"

    again = app.test_client()
    _password_step(again, editor)
    assert "That code is not right" in _code_step(again, "000000").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, editor.id).last_login_at == enrolled_at
    assert _code_step(again, _next_code(secret)).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, editor.id).last_login_at > enrolled_at


@pytest.mark.parametrize("pressed", ["at once", "one right after the other"])
@pytest.mark.parametrize("which", ["code from the app", "recovery code"])
def test_verify_pressed_twice_lands_signed_in_and_the_code_still_opens_no_other_session(
        client, app, make, two_factor_required, pressed, which):
    """A double click sends the code twice, the second often with the cookie from before the first answer: both
    lead to the signed-in page (whichever answer the browser keeps), and nothing is recorded as a failed try."""
    editor = make.user("editor")
    _password_step(client, editor)
    secret, codes = _enrol(client)
    db.session.commit()
    browser = app.test_client()
    browser.get("/language/en")
    _password_step(browser, editor)
    token = csrf_token_of(browser.get("/login/code"))
    second_press = second_browser_with_the_cookie_of(app, browser)  # the cookie from before the first answer
    other_code_press = second_browser_with_the_cookie_of(app, browser)
    code = _next_code(secret) if which == "code from the app" else codes[0]
    presses = [lambda: browser.post("/login/code", data={"code": code, "csrf_token": token}),
               lambda: second_press.post("/login/code", data={"code": code, "csrf_token": token})]

    answers = at_once(*presses) if pressed == "at once" else [press() for press in presses]

    assert [answer.status_code for answer in answers] == [302, 302]
    assert {answer.headers["Location"] for answer in answers} == {"/editor/"}
    assert browser.get("/editor/").status_code == 200 and second_press.get("/editor/").status_code == 200
    assert "staff.second_factor_failed" not in _actions()
    assert _actions().count("staff.second_factor_passed" if which == "code from the app"
                            else "staff.recovery_code_used") == 1

    another_session = app.test_client()
    _password_step(another_session, editor)
    assert "That code is not right" in _code_step(another_session, code).get_data(as_text=True)
    assert another_session.get("/editor/").status_code == 302
    wrong = "000000" if code != "000000" else "111111"
    assert "That code is not right" in other_code_press.post(
        "/login/code", data={"code": wrong, "csrf_token": token}).get_data(as_text=True), "only the same code passes"


def test_part_way_through_setting_up_a_staff_page_leads_back_to_the_set_up_and_then_to_that_page(
    client, make, two_factor_required
):
    client.get("/language/en")
    editor = make.user("editor")
    _password_step(client, editor)

    asked = client.get("/editor/quotes")
    assert asked.status_code == 302, "a pending session never reaches a staff page"
    back = client.get(asked.headers["Location"])
    assert back.headers["Location"].endswith("/account/two-factor"), "the step they are on, not an empty sign-in form"
    again = client.get("/login")  # the sign-in page too; what it says is said once however often it is opened
    assert again.headers["Location"].endswith("/account/two-factor")
    html = client.get("/account/two-factor").get_data(as_text=True)
    assert html.count("You are still signing in. Finish this step to go on, or sign out to start again.") == 1
    assert 'action="/logout"' in html and "Want to start again, or sign in as someone else?" in html

    _enrol(client)
    assert client.get("/login").headers["Location"].endswith("/editor/quotes"), "where they were going"


def test_part_way_through_the_code_step_a_staff_page_leads_back_to_it_and_signing_out_starts_again(
    client, app, make, two_factor_required
):
    admin = make.user("admin")
    _password_step(client, admin)
    secret, _codes = _enrol(client)
    other = app.test_client()
    other.get("/language/en")
    _password_step(other, admin)

    asked = other.get("/admin/users")
    assert asked.status_code == 302
    assert other.get(asked.headers["Location"]).headers["Location"].endswith("/login/code")
    html = other.get("/login/code").get_data(as_text=True)
    assert "You are still signing in." in html and "Want to start again, or sign in as someone else?" in html
    assert _code_step(other, _next_code(secret)).headers["Location"].endswith("/admin/users")

    again = app.test_client()
    _password_step(again, admin)
    page = again.get("/login/code")
    again.post("/logout", data={"csrf_token": csrf_token_of(page)})
    assert again.get("/login").status_code == 200, "signed out: the sign-in form, to start again"
    assert again.get("/admin/users").status_code == 302


def _set_up_page(client):
    page = client.get("/account/two-factor")
    secret = re.search(r'<span class="code">([A-Z2-7]+)</span>', page.get_data(as_text=True)).group(1)
    return secret, csrf_token_of(page)


def _codes_of(answer):
    return re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", answer.get_data(as_text=True))


@pytest.mark.parametrize("pressed", ["at once", "one right after the other"])
def test_the_set_up_confirmed_twice_while_signing_in_lands_signed_in_with_recovery_codes_that_work(
        client, app, make, two_factor_required, pressed):
    """A double click sends the set-up's code twice, the second with the cookie from before the first answer (which
    the new second factor ended): both answers show recovery codes and leave the browser signed in. The second
    sending's codes replace the first's, which the browser did not keep, and it says so."""
    editor = make.user("editor")
    client.get("/language/en")
    _password_step(client, editor)
    secret, token = _set_up_page(client)
    second_press = second_browser_with_the_cookie_of(app, client)
    sent = {"code": pyotp.TOTP(secret).now(), "csrf_token": token}
    presses = [lambda: client.post("/account/two-factor", data=sent),
               lambda: second_press.post("/account/two-factor", data=sent)]

    answers = at_once(*presses) if pressed == "at once" else [press() for press in presses]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert client.get("/editor/").status_code == 200 and second_press.get("/editor/").status_code == 200
    assert _actions().count("staff.second_factor_enrolled") == 1
    assert _actions().count("staff.recovery_codes_replaced") == 1, "codes once shown were made void: on record"
    db.session.expire_all()
    assert db.session.get(User, editor.id).totp_secret == secret
    (again,) = [answer for answer in answers if "The button was pressed twice" in answer.get_data(as_text=True)]
    (first,) = [answer for answer in answers if answer is not again]
    codes, replaced = _codes_of(again), _codes_of(first)
    assert len(codes) == len(replaced) == 10
    if pressed == "one right after the other":
        assert again is answers[1]
    later = app.test_client()
    _password_step(later, editor)
    assert "That code is not right" in _code_step(later, replaced[0]).get_data(as_text=True)
    assert _code_step(later, codes[0]).status_code == 302 and later.get("/editor/").status_code == 200


def test_the_code_that_set_up_a_second_factor_enrols_or_signs_in_no_other_session(
        client, app, make, two_factor_required):
    """Only the same set-up sending the same code is taken as pressed twice: another code, or another sign-in's
    set-up, is ended with the sessions the new second factor ended."""
    editor = make.user("editor")
    elsewhere = app.test_client()
    _password_step(elsewhere, editor)
    _elsewhere_secret, elsewhere_token = _set_up_page(elsewhere)
    _password_step(client, editor)
    secret, token = _set_up_page(client)
    another_code = second_browser_with_the_cookie_of(app, client)
    code = pyotp.TOTP(secret).now()

    assert client.post("/account/two-factor", data={"code": code, "csrf_token": token}).status_code == 200

    for browser, sent in ((another_code, {"code": _next_code(secret), "csrf_token": token}),
                          (elsewhere, {"code": code, "csrf_token": elsewhere_token})):
        browser.post("/account/two-factor", data=sent)
        assert browser.get("/editor/").status_code == 302, "signed out"
    assert _actions().count("staff.second_factor_enrolled") == 1


def test_setting_up_the_second_factor_while_signing_in_leaves_no_sign_in_key_in_the_cookie(
        client, make, two_factor_required):
    """The key tells a code sent twice at the code step; a sign-in that set up its second factor has no code step."""
    _password_step(client, make.user("editor"))
    with client.session_transaction() as cookie:
        assert "sign_in" in cookie

    _enrol(client)

    with client.session_transaction() as cookie:
        assert "sign_in" not in cookie and cookie["second_factor_done"]


def test_a_facilitator_adding_a_second_factor_who_confirms_twice_stays_signed_in(client, app, make, login):
    login(make.user("facilitator"))
    secret, token = _set_up_page(client)
    second_press = second_browser_with_the_cookie_of(app, client)
    sent = {"code": pyotp.TOTP(secret).now(), "csrf_token": token}

    client.post("/account/two-factor", data=sent)
    again = second_press.post("/account/two-factor", data=sent)

    assert again.status_code == 200 and len(_codes_of(again)) == 10
    assert second_press.get("/facilitator/").status_code == 200
