"""Guessing is slowed down: login, return, join and writing are rate limited, with a clear page.

Runs against the real Redis when TEST_REDIS_URL is set (as in CI), else in memory.
"""

import os
import re

import pytest

from roundtable.db import db
from roundtable.extensions import limiter
from tests.conftest import IsolatedClient, csrf_token_of, hidden_fields_of

PASSWORD = "a long test password 1"


@pytest.fixture
def limited(app, database_url, request):
    """A second app on the same database with rate limiting on; the shared limiter is put back after."""
    from roundtable import create_app

    storage = getattr(request, "param", None) or os.environ.get("TEST_REDIS_URL") or "memory://"
    limited_app = create_app({
        "TESTING": True, "DATABASE_URL": database_url, "SERVER_NAME": "roundtable.test",
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage, "TWO_FACTOR_REQUIRED_ROLES": (),
    })
    limited_app.test_client_class = IsolatedClient
    storage_answers = storage != NOBODY_LISTENS
    if storage_answers:
        limiter.reset()
    yield limited_app
    if storage_answers:
        limiter.reset()
    else:  # Flask-Limiter keeps "storage is down" on the shared limiter until a later request rechecks it
        limiter._storage_dead = False
    limiter.enabled = False  # the session-wide app runs without limits


NOBODY_LISTENS = "redis://127.0.0.1:9/0"  # the discard port: connection refused at once


@pytest.mark.parametrize("limited", [NOBODY_LISTENS], indirect=True)
def test_with_redis_down_people_are_still_answered_and_still_limited(limited, make, capsys):
    participant = make.participant()
    browser = limited.test_client()
    page = browser.get("/return")
    signed_in = browser.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf_token_of(page)})
    assert signed_in.status_code == 302  # not the error page
    # Said where the app's own lines go (gunicorn's error log), not only to Python's unconfigured root logger.
    assert "Rate limit storage unreachable" in capsys.readouterr().err

    statuses = _hammer(limited.test_client(), "/join", {"code": "NOPE12", "language": "en"}, 21)
    assert 500 not in statuses
    assert statuses[-1] == 429 and 429 not in statuses[:20]  # counted in memory meanwhile


def test_the_storage_is_redis_when_ci_provides_it(limited):
    kind = type(limiter.storage).__name__
    assert kind == ("RedisStorage" if os.environ.get("TEST_REDIS_URL") else "MemoryStorage")


def _hammer(browser, path, data, times):
    statuses = []
    for _ in range(times):
        page = browser.get(path)
        if page.status_code != 200:
            statuses.append(page.status_code)
            continue
        statuses.append(browser.post(path, data={**data, "csrf_token": csrf_token_of(page)}).status_code)
    return statuses


def test_login_is_limited_to_ten_tries_a_minute(limited):
    browser = limited.test_client()
    statuses = _hammer(browser, "/login", {"username": "nobody", "password": "wrong password here"}, 11)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_a_limited_visitor_sees_a_clear_page_in_their_language(limited):
    browser = limited.test_client()
    browser.get("/language/fil")
    _hammer(browser, "/login", {"username": "nobody", "password": "wrong password here"}, 10)
    page = browser.get("/login")
    response = browser.post("/login", data={"username": "x", "password": "y", "csrf_token": csrf_token_of(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert '<html lang="fil">' in html
    assert "Please wait a moment" not in html  # translated
    assert "<h1>" in html

    english = limited.test_client()
    english.get("/language/en")
    page = english.get("/login")
    response = english.post("/login", data={"username": "x", "password": "y", "csrf_token": csrf_token_of(page)})
    assert response.status_code == 429  # same client address, so the same budget
    assert "Please wait a moment" in response.get_data(as_text=True)


def test_return_with_a_passphrase_is_limited(limited):
    browser = limited.test_client()
    statuses = _hammer(browser, "/return", {"passphrase": "wrong words entirely"}, 61)
    assert statuses[-1] == 429 and 429 not in statuses[:60]


def _refused_page(browser, path, data):
    page = browser.get(path)
    refused = browser.post(path, data={**data, "csrf_token": csrf_token_of(page)})
    assert refused.status_code == 429
    return refused, refused.get_data(as_text=True)


def test_the_limit_page_says_how_long_the_wait_is(limited):
    browser = limited.test_client()
    browser.get("/language/en")
    _hammer(browser, "/return", {"passphrase": "wrong words entirely"}, 60)
    refused, html = _refused_page(browser, "/return", {"passphrase": "wrong words entirely"})
    assert "Try again in 1 minute." in html and "tell your facilitator" not in html
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("limited", ["memory://"], indirect=True)
def test_a_room_refused_for_the_hour_is_told_so_and_to_tell_its_facilitator(limited, monkeypatch):
    """A room typing long passphrases after a break may make 100 mistakes in an hour on its one Wi-Fi: then even a
    right passphrase waits, and "a few minutes" was untrue."""
    import time

    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    browser = limited.test_client()
    browser.get("/language/en")
    for minute in range(5):
        assert 429 not in _hammer(browser, "/return", {"passphrase": "wrong words entirely"}, 20)
        if minute < 4:  # the hundredth mistake in the fifth minute: the hour's limit refuses next
            now[0] += 61
    refused, html = _refused_page(browser, "/return", {"passphrase": "wrong words entirely"})
    minutes = int(re.search(r"Try again in (\d+) minutes\.", html).group(1))
    assert 50 <= minutes <= 60 and int(refused.headers["Retry-After"]) > 49 * 60
    assert "Everyone on this Wi-Fi waits too: tell your facilitator." in html
    assert "<h1>Please wait before trying again</h1>" in html, "not \"a moment\" for most of an hour"


def test_the_limit_line_in_the_log_names_the_limit_and_the_page_not_whose_tries_were_counted(limited, caplog):
    """The key is a keyed digest of the client address (or of a participant): logged, it links one person's tries."""
    import logging

    from roundtable.extensions import client_fingerprint

    caplog.set_level(logging.INFO, logger="flask-limiter")
    browser = limited.test_client()
    _hammer(browser, "/return", {"passphrase": "wrong words entirely"}, 61)
    with limited.test_request_context("/"):
        key = client_fingerprint()
    lines = [record.getMessage() for record in caplog.records if record.name == "flask-limiter"]
    assert "ratelimit 60 per 1 minute exceeded at endpoint: participant.return_" in lines
    assert not any(key in line for line in lines)


def test_join_is_limited(limited):
    browser = limited.test_client()
    statuses = _hammer(browser, "/join", {"code": "NOPE12", "language": "en"}, 21)
    assert statuses[-1] == 429 and 429 not in statuses[:20]


def test_a_room_trying_a_code_before_its_roundtable_is_opened_is_not_locked_out(limited, make):
    """The code is right: each try is told the roundtable is not open yet, and none counts as a guess."""
    roundtable = make.roundtable(status="draft")
    tried = _hammer(limited.test_client(), "/join", {"code": roundtable.join_code, "language": "fil"}, 25)
    assert tried == [200] * 25
    roundtable.status = "open"
    db.session.commit()
    assert _hammer(limited.test_client(), "/join", {"code": roundtable.join_code, "language": "fil"}, 1) == [302]


def _up_to_the_pseudonym(browser, roundtable):
    page = browser.get("/join")
    browser.post("/join", data={"code": roundtable.join_code, "language": "fil", "csrf_token": csrf_token_of(page)})
    page = browser.get("/join/consent")
    browser.post("/join/consent", data={**hidden_fields_of(page), "clauses": ["take_part", "store_words"], "adult": "y"})
    return browser.get("/join/pseudonym")


def test_a_room_of_more_than_sixty_chooses_pseudonyms_on_one_address_but_probing_one_is_limited(limited, make):
    """Joining is not a guess: only refusals (a pseudonym taken) count, 60 a minute."""
    roundtable = make.roundtable()
    chosen = []
    for number in range(65):
        browser = limited.test_client()
        page = _up_to_the_pseudonym(browser, roundtable)
        chosen.append(browser.post("/join/pseudonym", data={
            "pseudonym": f"Alon {number}", "csrf_token": csrf_token_of(page)}).status_code)
    assert chosen == [302] * 65

    prober = limited.test_client()
    page = _up_to_the_pseudonym(prober, roundtable)
    tries = [prober.post("/join/pseudonym", data={"pseudonym": f"Alon {number}", "csrf_token": csrf_token_of(page)}
                         ).status_code for number in range(61)]
    assert tries[-1] == 429 and 429 not in tries[:60]


def test_a_room_on_one_address_joins_and_comes_back_after_a_break_all_at_once(limited, make):
    """A venue's Wi-Fi or a mobile network gives a whole room one address: only refusals count against it."""
    roundtable = make.roundtable()
    people = [make.participant(roundtable) for _ in range(25)]
    joined = _hammer(limited.test_client(), "/join", {"code": roundtable.join_code, "language": "fil"}, 25)
    returned = []
    for person in people:
        browser = limited.test_client()
        page = browser.get("/return")
        returned.append(browser.post("/return", data={"passphrase": person.passphrase,
                                                       "csrf_token": csrf_token_of(page)}).status_code)
    assert joined == [302] * 25
    assert returned == [302] * 25


def test_a_room_whose_typos_come_back_together_is_not_held_from_its_words(limited, make):
    """Twenty people each mistyping one of seven words after a break, on the room's one address, within a minute:
    the next, typing theirs right, still gets in (20 refusals a minute held the whole room)."""
    roundtable = make.roundtable()
    person = make.participant(roundtable)
    typos = [_hammer(limited.test_client(), "/return", {"passphrase": "anchor honest symphony logic fogy"}, 1)[0]
             for _ in range(30)]
    browser = limited.test_client()
    page = browser.get("/return")
    right = browser.post("/return", data={"passphrase": person.passphrase, "csrf_token": csrf_token_of(page)})
    assert typos == [200] * 30
    assert right.status_code == 302


def _signed_in(app, participant):
    browser = app.test_client()
    page = browser.get("/return")
    browser.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf_token_of(page)})
    return browser


def _save_drafts(browser, prompt_id, times):
    path = f"/write/{prompt_id}"
    page = browser.get(path)
    assert page.status_code == 200
    token = csrf_token_of(page)
    return [
        browser.post(path, data={"text": "Courts should listen.", "language": "en", "save": "1",
                                 "idempotency_key": f"k{i}", "csrf_token": token}).status_code
        for i in range(times)
    ]


def test_reflection_saves_are_limited_per_participant_not_per_address(limited, make):
    first, second = make.participant(), make.participant()
    prompt_id = first.roundtable.prompts[0].id
    statuses = _save_drafts(_signed_in(limited, first), prompt_id, 31)
    assert 429 not in statuses[:30]
    assert statuses[30] == 429
    assert 429 not in _save_drafts(_signed_in(limited, second), second.roundtable.prompts[0].id, 30), \
        "someone else on the same address writes on"


@pytest.mark.parametrize("address", ["203.0.113.7", "2001:db8:1:2::7"])
def test_the_rate_limit_key_is_not_the_client_address(limited, address):
    from roundtable.extensions import client_fingerprint

    with limited.test_request_context("/", environ_base={"REMOTE_ADDR": address}):
        key = client_fingerprint()
    assert address not in key and "2001:db8" not in key and len(key) == 24


def _refused_codes_from(app, address, times):
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return _hammer(browser, "/join", {"code": "NOPE12", "language": "en"}, times)


@pytest.mark.parametrize("first, then, counted_together", [
    ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", True),  # one /64: one home's or server's addresses
    ("2001:db8:1:2::1", "2001:db8:1:3::1", False),  # the next /64: another connection
    ("203.0.113.7", "::ffff:203.0.113.7", True),  # the same IPv4 address, written as IPv6
    ("203.0.113.7", "203.0.113.8", False),  # IPv4 is counted address by address, as before
])
def test_refused_join_codes_count_per_ipv4_address_and_per_ipv6_64(limited, first, then, counted_together):
    """Any IPv6 connection holds a whole /64: counted address by address, one person guessing join codes would have
    2^64 fresh limits."""
    assert 429 not in _refused_codes_from(limited, first, 20)
    assert _refused_codes_from(limited, first, 1) == [429]
    assert (_refused_codes_from(limited, then, 1) == [429]) is counted_together


def test_guessing_one_accounts_code_from_many_addresses_is_limited_too(limited, make):
    """Ten a minute per address, and thirty an hour per account whatever the address."""
    from roundtable.db import db
    from roundtable.services import twofactor

    editor = make.user("editor", password=PASSWORD)
    editor.totp_secret = twofactor.new_secret()
    db.session.commit()
    statuses = []
    for address in range(8):
        browser = limited.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"10.0.0.{address + 1}"
        page = browser.get("/login")
        browser.post("/login", data={"username": editor.username, "password": PASSWORD,
                                      "csrf_token": csrf_token_of(page)})
        statuses += _hammer(browser, "/login/code", {"code": "000000"}, 5)
    assert 500 not in statuses
    assert statuses[:30] == [200] * 30  # refused codes, the page again
    assert set(statuses[30:]) == {429}


def test_guessing_one_accounts_password_from_many_addresses_is_limited_too(limited, make):
    """Ten a minute per address, and thirty refusals an hour per account whatever the address; other
    accounts sign in as before."""
    facilitator = make.user("facilitator", password=PASSWORD)
    other = make.user("facilitator", password=PASSWORD)
    statuses = []
    for address in range(8):
        browser = limited.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"10.0.1.{address + 1}"
        statuses += _hammer(browser, "/login", {"username": facilitator.username.upper(),
                                                 "password": "not the password at all"}, 5)
    assert statuses[:30] == [200] * 30
    assert set(statuses[30:]) == {429}

    elsewhere = limited.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.2.1"
    page = elsewhere.get("/login")
    assert elsewhere.post("/login", data={"username": other.username, "password": PASSWORD,
                                          "csrf_token": csrf_token_of(page)}).status_code == 302


def test_nul_characters_in_a_username_do_not_make_it_another_account_for_the_limit(limited, make):
    facilitator = make.user("facilitator", password=PASSWORD)
    statuses = []
    for n in range(32):
        browser = limited.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"10.0.4.{n // 4 + 1}"
        name = facilitator.username[:1] + "\x00" * (n % 4) + facilitator.username[1:]
        statuses += _hammer(browser, "/login", {"username": name, "password": "not the password at all"}, 1)
    assert statuses[:30] == [200] * 30 and set(statuses[30:]) == {429}


@pytest.mark.parametrize("path", ["/account/password", "/account/confirm"])
def test_an_open_session_cannot_try_passwords_without_a_per_account_limit(limited, make, path):
    from sqlalchemy import func, select

    from roundtable.db import db
    from roundtable.models import AuditEvent

    user = make.user("facilitator", password=PASSWORD)
    fields = {"current": "a guess at the password", "new": "short", "confirm": "short", "password": "a guess"}
    statuses = []
    for address in range(3):
        browser = limited.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"10.0.5.{address + 1}"
        page = browser.get("/login")
        browser.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token_of(page)})
        statuses += _hammer(browser, path, fields, 8)
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}
    failed = db.session.scalar(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "staff.password_confirmation_failed"))
    assert failed == 20, "each refusal is audited"


def _thirty_saves_made(app, make):
    """A participant's browser that has used up the minute's 30 saves, and the writing page it saves from."""
    participant = make.participant(language="en")
    browser = _signed_in(app, participant)
    prompt_id = participant.roundtable.prompts[0].id
    _save_drafts(browser, prompt_id, 30)
    return browser, f"/write/{prompt_id}"


def test_words_refused_by_the_limit_are_shown_back_not_lost(limited, make):
    browser, path = _thirty_saves_made(limited, make)

    refused = browser.post(path, data={"text": "The thirty-first save: courts should listen to children.",
                                       "language": "en", "save": "1", "idempotency_key": "k-last",
                                       "csrf_token": csrf_token_of(browser.get(path))})

    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "but your words are here" in html and "The thirty-first save: courts should listen to children." in html
    assert 'id="quick-exit"' in html


def test_words_a_page_sent_as_it_closed_with_nobody_there_refused_by_the_limit_are_not_shown(limited, make):
    """The page closed itself for safety: shown back, they stayed on a shared phone's screen for another idle time."""
    browser, path = _thirty_saves_made(limited, make)

    refused = browser.post(path, data={"text": "The thirty-first save: courts should listen to children.",
                                       "language": "en", "leave": "1", "closed_for_safety": "1",
                                       "idempotency_key": "k-last", "csrf_token": csrf_token_of(browser.get(path))})

    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "courts should listen" not in html and "<textarea" not in html
    assert "Your page closed to keep your words safe" in html
    assert browser.get("/my").headers["Location"].endswith("/return"), "the session ended, as the page asked"
