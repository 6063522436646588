"""What an administrator's change led to is said where the page it leads to is read from, and takes the focus."""

from __future__ import annotations

import re

import pytest

from roundtable.db import db
from roundtable.services import twofactor
from tests.admin.test_retention import _past_its_date
from tests.conftest import csrf_token_of, hidden_fields_of, said_in_focus


def _create(client, page):
    return client.post("/admin/users", data={**hidden_fields_of(page), "username": "comms.staff",
                                             "display_name": "Comms Staff", "roles": ["editor"]})


def _account_created(client, make, admin):
    return _create(client, client.get("/admin/users"))


def _account_created_twice(client, make, admin):
    page = client.get("/admin/users")
    _create(client, page)
    return _create(client, page)


def _sent(client, account, prefix, **fields):
    page = client.get(f"/admin/users/{account.id}")
    return client.post(f"/admin/users/{account.id}", data={
        f"{prefix}-csrf_token": csrf_token_of(page), "confirmed": "yes",
        **{name: value for name, value in hidden_fields_of(page).items() if name == f"{prefix}-sent_once"},
        **{f"{prefix}-{name}": value for name, value in fields.items()}})


def _display_name_saved(client, make, admin):
    return _sent(client, make.user("editor"), "name", display_name="Comms Lead")


def _display_name_sent_as_it_was(client, make, admin):
    return _sent(client, make.user("editor"), "name", display_name="Staff Member")


def _roles_saved(client, make, admin):
    return _sent(client, make.user("editor"), "roles", roles=["editor", "facilitator"])


def _roles_sent_as_they_were(client, make, admin):
    return _sent(client, make.user("editor"), "roles", roles=["editor"])


def _deactivated(client, make, admin):
    return _sent(client, make.user("editor"), "act", action="deactivate")


def _reactivated(client, make, admin):
    account = make.user("editor")
    account.active = False
    db.session.commit()
    return _sent(client, account, "act", action="reactivate")


def _second_factor_reset(client, make, admin):
    account = make.user("editor")
    account.totp_secret = twofactor.new_secret()
    db.session.commit()
    return _sent(client, account, "act", action="reset_second_factor")


def _password_reset_sent_twice(client, make, admin):
    account = make.user("editor")
    page = client.get(f"/admin/users/{account.id}")
    data = {"act-csrf_token": csrf_token_of(page), "act-sent_once": hidden_fields_of(page)["act-sent_once"],
            "act-action": "reset_password", "confirmed": "yes"}
    client.post(f"/admin/users/{account.id}", data=data)
    return client.post(f"/admin/users/{account.id}", data=data)


def _hand_over(client, leaving, taking_over):
    url = f"/admin/users/{leaving.id}/hand-over"
    page = client.get(f"/admin/users/{leaving.id}")
    return client.post(url, data={"handover-csrf_token": csrf_token_of(page), "handover-successor": str(taking_over.id),
                                  "confirmed": "yes"})


def _handed_over(client, make, admin):
    leaving = make.user("facilitator")
    make.roundtable(leaving)
    return _hand_over(client, leaving, make.user("facilitator"))


def _handed_over_already(client, make, admin):
    leaving, taking_over = make.user("facilitator"), make.user("facilitator")
    make.roundtable(leaving)
    page = client.get(f"/admin/users/{leaving.id}")  # open in another tab as the first hands them over
    _hand_over(client, leaving, taking_over)
    return client.post(f"/admin/users/{leaving.id}/hand-over", data={
        "handover-csrf_token": csrf_token_of(page), "handover-successor": str(taking_over.id), "confirmed": "yes"})


def _erase_now(client):
    page = client.get("/admin/retention")
    return client.post("/admin/retention", data={"purge-csrf_token": csrf_token_of(page), "confirmed": "yes"})


def _nothing_erased(client, make, admin):
    return _erase_now(client)


def _words_erased(client, make, admin):
    _past_its_date(make)
    return _erase_now(client)


def _words_erased_and_more_waiting(client, make, admin):
    from roundtable.services import retention

    _past_its_date(make)
    _past_its_date(make)
    at_most = retention.ERASE_NOW_AT_MOST
    retention.ERASE_NOW_AT_MOST = 1  # one of the two now, the other waits
    try:
        return _erase_now(client)
    finally:
        retention.ERASE_NOW_AT_MOST = at_most


_ACCOUNT = r'<h1>[^<]*<span class="code">[^<]*</span></h1>\s*'


@pytest.mark.parametrize(("done", "after", "said"), [
    (_account_created, r"<h1>Staff accounts</h1>\s*", "Account created. Give the one-time password to its owner"),
    (_account_created_twice, _ACCOUNT, "If you did not see the account's one-time password, make a new one here."),
    (_display_name_saved, r"<h2>Display name</h2>\s*", "Display name saved."),
    (_display_name_sent_as_it_was, r"<h2>Display name</h2>\s*", "This was already the account's display name."),
    (_roles_saved, r"<h2>Roles</h2>\s*", "Roles saved. The account was signed out everywhere."),
    (_roles_sent_as_they_were, r"<h2>Roles</h2>\s*", "These were already the account's roles. Nothing changed."),
    (_deactivated, r"<h2>Account actions</h2>\s*", "Account deactivated and signed out."),
    (_reactivated, r"<h2>Account actions</h2>\s*", "Account reactivated."),
    (_second_factor_reset, r"<h2>Account actions</h2>\s*", "Two-step sign-in was reset"),
    (_password_reset_sent_twice, _ACCOUNT, "The password was reset already, from this page."),
    (_handed_over, _ACCOUNT, "1 roundtable was handed over."),
    (_handed_over_already, _ACCOUNT, "This account runs no roundtable any more: nothing was left to hand over."),
    (_nothing_erased, r"<h1>Retention</h1>\s*", "Nothing was waiting to be erased."),
    (_words_erased, r"<h1>Retention</h1>\s*", "The words of 1 roundtable were erased."),
    (_words_erased_and_more_waiting, r"<h1>Retention</h1>\s*", "More words are waiting."),
])
def test_what_an_administrators_change_led_to_is_said_where_the_page_leads_and_takes_the_focus(
        client, make, login, done, after, said):
    """As a facilitator's and an editor's changes are: an administrator's came back at the top of the page,
    unfocused, so a screen reader did not say them and the next Tab began again at "Skip to content"."""
    admin = make.user("admin")
    login(admin)
    client.get("/language/en")

    response = done(client, make, admin)

    html = (client.get(response.headers["Location"]) if response.status_code == 302 else response).get_data(as_text=True)
    said_in_focus(html, after, said)


def test_a_password_reset_takes_the_focus_to_its_one_time_password_under_the_accounts_name(client, make, login):
    """The page it leads to says no message: its one-time password is what it says, and it was not focused."""
    login(make.user("admin"))
    client.get("/language/en")
    account = make.user("editor")

    html = _sent(client, account, "act", action="reset_password").get_data(as_text=True)

    assert re.search(_ACCOUNT + r'\s*<section class="note" role="status" tabindex="-1" autofocus>\s*'
                     r'<h2>One-time password</h2>\s*<p>Username: ' + re.escape(account.username), html), html[:3000]
    assert html.count("autofocus") == 1
