"""What signing in and out, and a password change, lead to is said under the heading of the page it leads to, and takes
the focus, as the staff pages' own messages do: at the top of the page, unfocused, a screen reader did not say it and
the next Tab began again at "Skip to content"."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from roundtable.db import db
from roundtable.services import twofactor
from tests.conftest import csrf_token_of, password_typed_long_ago, said_in_focus, second_browser_with_the_cookie_of

PASSWORD = "a long test password 1"


def _password_step(client, user):
    return client.post("/login", data={"username": user.username, "password": PASSWORD,
                                       "csrf_token": csrf_token_of(client.get("/login"))})


def _password_changed(role):
    def done(client, app, make, login):
        login(make.user(role))
        page = client.get("/account/password")
        return client.post("/account/password", data={
            "current": PASSWORD, "new": "harbour lantern seventeen", "confirm": "harbour lantern seventeen",
            "csrf_token": csrf_token_of(page)})
    done.__name__ = f"_password_changed_{role}"
    return done


def _signed_out_everywhere(client, app, make, login):
    login(make.user("facilitator"))
    return client.post("/logout", data={"csrf_token": csrf_token_of(client.get("/facilitator/"))})


def _with_a_second_factor(make, role="facilitator"):
    user = make.user(role)
    user.totp_secret = twofactor.new_secret()
    db.session.commit()
    return user


def _signed_out_part_way(client, app, make, login):
    """The "Sign out" of the code step, to start again: nobody was signed in yet."""
    _password_step(client, _with_a_second_factor(make))
    return client.post("/logout", data={"csrf_token": csrf_token_of(client.get("/login/code"))})


def _still_signing_in_at_the_code(client, app, make, login):
    _password_step(client, _with_a_second_factor(make))
    return client.get("/facilitator/")


def _still_signing_in_at_the_set_up(client, app, make, login):
    required, app.config["TWO_FACTOR_REQUIRED_ROLES"] = app.config["TWO_FACTOR_REQUIRED_ROLES"], ("editor",)
    try:
        _password_step(client, make.user("editor"))
        return client.get("/editor/quotes")
    finally:
        app.config["TWO_FACTOR_REQUIRED_ROLES"] = required


def _password_asked_again(client, app, make, login):
    login(make.user("admin"))
    page = client.get("/admin/users")
    password_typed_long_ago(client)
    return client.post("/admin/users", data={"csrf_token": csrf_token_of(page), "username": "comms.staff",
                                             "display_name": "Comms Staff", "roles": ["editor"]})


def _away_for_a_while(client, app, make, login):
    login(make.user("admin"))
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - app.config["STAFF_IDLE_MINUTES"] * 60 - 5
    return client.get("/admin/users")


def _signed_in_all_day(client, app, make, login):
    login(make.user("admin"))
    day = int(app.permanent_session_lifetime.total_seconds())
    with client.session_transaction() as session:
        session["since"], session["seen"] = int(time.time()) - day - 5, int(time.time())
    return client.get("/admin/users")


def _ended_from_elsewhere(client, app, make, login):
    admin = make.user("admin")
    login(admin)
    phone = app.test_client()
    login(admin, on=phone)
    phone.post("/logout", data={"csrf_token": csrf_token_of(phone.get("/admin/users"))})
    return client.get("/admin/users")


_SIGN_IN = r"<h1>Staff sign in</h1>\s*"
_TWO_STEP = r"<h1>Two-step sign-in</h1>\s*"


@pytest.mark.parametrize(("done", "after", "said"), [
    (_password_changed("editor"), r"<h1>Reflections to quote</h1>\s*", "Your password is changed."),
    (_password_changed("facilitator"), r"<h1>My roundtables</h1>\s*", "Your password is changed."),
    (_password_changed("admin"), r"<h1>Staff accounts</h1>\s*", "Your password is changed."),
    (_signed_out_everywhere, _SIGN_IN, "You are signed out, here and on your other devices."),
    (_signed_out_part_way, _SIGN_IN, "You are signed out."),
    (_still_signing_in_at_the_code, _TWO_STEP, "You are still signing in. Finish this step to go on"),
    (_still_signing_in_at_the_set_up, _TWO_STEP, "You are still signing in. Finish this step to go on"),
    (_password_asked_again, r"<h1>Type your password again</h1>\s*", "For your safety, type your password again."),
    (_away_for_a_while, _SIGN_IN, "You were away for a while, so we signed you out"),
    (_signed_in_all_day, _SIGN_IN, "You were signed in for 12 hours, the longest a session lasts"),
    (_ended_from_elsewhere, _SIGN_IN, "Your session was ended from elsewhere"),
])
def test_what_signing_in_or_out_led_to_is_said_under_the_heading_of_its_page_and_takes_the_focus(
        client, app, make, login, done, after, said):
    client.get("/language/en")

    response = done(client, app, make, login)

    for _hop in range(3):  # a staff page asked for, then the step it leads to
        if response.status_code != 302:
            break
        response = client.get(response.headers["Location"])
    html = response.get_data(as_text=True)
    said_in_focus(html, after, said)


def test_the_reason_to_change_a_one_time_password_takes_the_focus_under_the_heading(client, make, login):
    """Signing in with a one-time password leads to "Change your password"; why was said there unfocused."""
    user = make.user("facilitator")
    user.must_change_password = True
    db.session.commit()
    client.get("/language/en")
    login(user)

    page = client.get(client.get("/facilitator/").headers["Location"])

    html = page.get_data(as_text=True)
    assert re.search(r'<h1>Change your password</h1>\s*<p role="status" tabindex="-1" autofocus>You signed in with a '
                     r"one-time password\. Choose your own password to continue\.</p>", html), html[:3000]
    assert html.count("autofocus") == 1
    refused = client.post("/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short",
                                                      "csrf_token": csrf_token_of(page)}).get_data(as_text=True)
    assert refused.count("autofocus") == 1 and '<p role="status">You signed in' in refused, \
        "a refused form's summary takes the focus instead"


@pytest.mark.parametrize("pressed", ["once", "twice"])
def test_the_recovery_codes_take_the_focus_under_two_step_sign_in_is_on(client, app, make, login, pressed):
    """Set up, or set up and the button pressed again (these codes replace the first ones): said unfocused."""
    login(make.user("facilitator"))
    client.get("/language/en")
    page = client.get("/account/two-factor")
    secret = re.search(r'<span class="code">([A-Z2-7]+)</span>', page.get_data(as_text=True)).group(1)
    sent = {"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token_of(page)}
    second_press = second_browser_with_the_cookie_of(app, client)

    answer = client.post("/account/two-factor", data=sent)
    if pressed == "twice":
        answer = second_press.post("/account/two-factor", data=sent)

    html = answer.get_data(as_text=True)
    replaced = "The button was pressed twice: these codes replace any shown a moment ago, which no longer work."
    assert re.search(r'<h1>Two-step sign-in is on</h1>\s*'
                     r'<section class="note" role="status" tabindex="-1" autofocus>\s*<h2>Recovery codes</h2>', html), \
        html[:3000]
    assert (replaced in html) is (pressed == "twice")
    assert html.count("autofocus") == 1
