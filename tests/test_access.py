"""Deny by default: every route declares its audience, and the declaration is enforced."""

import re

import pytest

from flask import Flask

from roundtable.extensions import csrf
from roundtable.access import PARTICIPANT, PUBLIC, audience_of, enforce, public
from roundtable.models.staff import ROLES

EXPECTED_PUBLIC = {
    "static", "public.home", "public.language", "public.support", "public.quick_exit",
    "public.quick_exit_about", "public.healthz", "auth.login", "auth.logout",
    # the second sign-in step: reached before the session counts as signed in; each checks the pending session
    "auth.second_factor", "auth.two_factor", "auth.two_factor_qr",
    "participant.join", "participant.join_consent", "participant.join_pseudonym",
    "participant.join_passphrase", "participant.return_",
    # words that could not be saved, shown again in another language: reached after a session ended
    "public.words_kept",
    # where a participant's page that closed itself goes, to end the session (which may have ended already)
    "participant.closed_for_safety",
}


def _example_url(rule) -> str:
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule.rule)


def test_every_route_declares_who_may_use_it(app):
    with app.test_request_context():
        undeclared = [rule.endpoint for rule in app.url_map.iter_rules() if audience_of(rule.endpoint) is None]
    assert undeclared == []


def test_public_routes_are_exactly_the_ones_meant_for_everyone(app):
    with app.test_request_context():
        public = {r.endpoint for r in app.url_map.iter_rules() if PUBLIC in audience_of(r.endpoint)}
    assert public == EXPECTED_PUBLIC


def test_declarations_name_only_known_audiences(app):
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            assert set(audience_of(rule.endpoint)) <= {PUBLIC, PARTICIPANT, *ROLES}, rule.endpoint


def test_a_view_without_declaration_is_refused():
    probe = Flask("probe")
    csrf.init_app(probe)
    probe.before_request(enforce)
    probe.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    probe.add_url_rule("/declared", "declared", public(lambda: "hello"))
    assert probe.test_client().get("/undeclared").status_code == 403
    assert probe.test_client().get("/declared").status_code == 200


def _restricted_rules(app):
    with app.test_request_context():
        return [
            (rule, audience_of(rule.endpoint))
            for rule in app.url_map.iter_rules()
            if PUBLIC not in audience_of(rule.endpoint)
        ]


def test_anonymous_visitors_are_sent_to_the_right_sign_in(app, client):
    for rule, audience in _restricted_rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_example_url(rule), method=method)
        assert response.status_code == 302, rule.rule
        expected = "/return" if PARTICIPANT in audience else "/login"
        assert response.headers["Location"].split("?")[0].endswith(expected), rule.rule
    back = client.get("/editor/").headers["Location"]
    assert back.endswith("/login?next=/editor/"), back  # where to go after signing in, without a stray "?"


@pytest.mark.parametrize("role", ROLES)
def test_staff_get_403_on_routes_of_other_roles(app, client, make, login, role):
    login(make.user(role))
    for rule, audience in _restricted_rules(app):
        if PARTICIPANT in audience or role in audience:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_example_url(rule), method=method)
        assert response.status_code == 403, (role, rule.rule)
        assert "Not allowed" in response.get_data(as_text=True) or "Hindi pinapayagan" in response.get_data(as_text=True)


def test_a_next_address_with_a_line_break_leads_home_not_to_an_error(client):
    response = client.get("/language/en?next=/%0d%0aSet-Cookie:%20x=1")
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize(("next_page", "lands_on"), [
    ("/editor/quotes?page=2&words=court", "/editor/quotes?page=2&words=court"),  # a page of theirs: there, as it was
    ("/admin/users", "/editor/"),  # another role's page (a 403): their own start page instead
    ("/my", "/editor/"),  # a participant's page
    ("/closed", "/editor/"),  # a participant's public page: where their page goes to close, never a staff page
    ("/no-such-page", "/editor/"),
    ("//elsewhere.example/editor/", "/editor/"),
])
def test_signing_in_leads_to_the_page_asked_for_only_when_the_account_may_open_it(app, client, make, next_page,
                                                                                  lands_on):
    from tests.conftest import csrf_token_of

    editor = make.user("editor")
    page = client.get("/login", query_string={"next": next_page})

    signed_in = client.post("/login", query_string={"next": next_page}, data={
        "username": editor.username, "password": "a long test password 1", "csrf_token": csrf_token_of(page)})

    assert signed_in.status_code == 302 and signed_in.headers["Location"] == lands_on


def test_a_staff_member_sent_to_where_a_participants_page_closes_stays_signed_in(client, make, login):
    login(make.user("editor"))

    assert client.get("/closed").status_code == 302

    assert client.get("/editor/").status_code == 200
