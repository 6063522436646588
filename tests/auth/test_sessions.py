"""Sessions end when they should: logout, password change, role change, deactivation and idle time."""

import re
import time

import pytest
from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent, User
from roundtable.services import accounts
from tests.conftest import PRODUCTION_ENV, csrf_token_of, hidden_fields_of

PASSWORD = "a long test password 1"


def _signed_in(browser) -> bool:
    return browser.get("/admin/users").status_code == 200


@pytest.fixture
def two_admins_browsers(app, make, login):
    """The same admin signed in on two browsers (say, a laptop and a phone)."""
    admin = make.user("admin")
    laptop, phone = app.test_client(), app.test_client()
    login(admin, on=laptop)
    login(admin, on=phone)
    assert _signed_in(laptop) and _signed_in(phone)
    return admin, laptop, phone


def test_the_session_cookie_is_httponly_samesite_and_not_readable_by_scripts(client, make, login):
    response = login(make.user("admin"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert cookie.startswith("rt_session=")


def test_the_session_cookie_is_secure_in_production(tmp_path):
    from roundtable.config import load

    settings = load(tmp_path, PRODUCTION_ENV)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")


def test_logout_ends_every_session_of_that_user(two_admins_browsers):
    _admin, laptop, phone = two_admins_browsers
    laptop.get("/language/en")
    page = laptop.get("/admin/users")
    said = laptop.post("/logout", data={"csrf_token": csrf_token_of(page)}, follow_redirects=True)
    assert "You are signed out, here and on your other devices." in said.get_data(as_text=True)
    assert not _signed_in(laptop)
    assert not _signed_in(phone)


def test_a_form_sent_after_a_sign_out_on_another_device_is_shown_back_and_says_why(app, make, login, csrf):
    """Ended from elsewhere, the form typed here is still this person's own: its words are not lost."""
    facilitator = make.user("facilitator")
    laptop, phone = app.test_client(), app.test_client()
    login(facilitator, on=laptop)
    login(facilitator, on=phone)
    laptop.get("/language/en")
    page = laptop.get("/facilitator/roundtables/new")
    phone.post("/logout", data={"csrf_token": csrf(phone.get("/facilitator/"))})

    response = laptop.post("/facilitator/roundtables/new", data={
        "csrf_token": csrf(page), "title_en": "Courts that listen", "title_fil": "Mga korteng nakikinig"})

    html = response.get_data(as_text=True)
    assert response.status_code == 401 and "Courts that listen" in html and "Mga korteng nakikinig" in html
    assert "Your session was ended from elsewhere: you signed out on another device, or your account was changed." \
        in html
    assert "You were away" not in html


def test_the_sign_in_page_says_a_session_ended_from_elsewhere(two_admins_browsers):
    _admin, laptop, phone = two_admins_browsers
    phone.post("/logout", data={"csrf_token": csrf_token_of(phone.get("/admin/users"))})
    laptop.get("/language/en")

    html = laptop.get("/admin/users", follow_redirects=True).get_data(as_text=True)

    assert "Your session was ended from elsewhere" in html and "You were away" not in html


def test_signing_out_of_a_session_already_ended_elsewhere_just_signs_out(two_admins_browsers):
    """Its page still shows the button; its token went with the session. No "page out of date" error for it."""
    _admin, laptop, phone = two_admins_browsers
    laptop.get("/language/en")
    token = csrf_token_of(laptop.get("/admin/users"))
    phone.post("/logout", data={"csrf_token": csrf_token_of(phone.get("/admin/users"))})

    response = laptop.post("/logout", data={"csrf_token": token}, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "You are signed out." in html and "other devices" not in html, \
        "nothing else was signed out by this press"


def test_a_session_of_an_account_gone_does_not_open_the_next_account_given_its_id(client, make, login):
    """SQLite hands out the highest deleted id again (a restored backup, every id made after it): a cookie naming
    that id must not find the same session version in the newcomer's row too."""
    login(make.user("editor"))
    newcomer = make.user("admin")
    with client.session_transaction() as session:
        session["user_id"] = newcomer.id  # the id the account gone had, now the newcomer's

    assert client.get("/admin/users").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(two_admins_browsers):
    admin, laptop, phone = two_admins_browsers
    page = laptop.get("/account/password")
    response = laptop.post("/account/password", data={
        "current": PASSWORD, "new": "harbour lantern seventeen", "confirm": "harbour lantern seventeen",
        "csrf_token": csrf_token_of(page),
    })
    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    assert "staff.password_changed" in db.session.scalars(select(AuditEvent.action)).all()


def _password_changed(client, make, login, *, current: str, new: str, confirm: str | None = None):
    """An administrator, in English, sends the change-password form; its answer."""
    client.get("/language/en")
    login(make.user("admin"))
    page = client.get("/account/password")
    return client.post("/account/password", data={
        "current": current, "new": new, "confirm": new if confirm is None else confirm, "csrf_token": csrf_token_of(page),
    })


def test_a_wrong_current_password_changes_nothing(client, make, login):
    response = _password_changed(client, make, login, current="not my password at all", new="harbour lantern seventeen")
    assert "Your current password is not right." in response.get_data(as_text=True)
    assert _signed_in(client)


def test_a_new_password_typed_again_in_another_unicode_form_is_the_same_password(client, make, login):
    response = _password_changed(client, make, login, current=PASSWORD,
                                 new="ma\u00f1anita kandila tubig 9",  # ñ as one character
                                 confirm="man\u0303anita kandila tubig 9")  # n and a combining tilde
    assert response.status_code == 302, response.get_data(as_text=True)


def test_password_boxes_take_a_long_paste_whole_and_say_the_limit(client, make, login):
    """A browser cuts a paste at maxlength without a word: cut in one box and not the other, the same password
    pasted twice was "not the same"."""
    long = "harbour lantern " * 20  # 320 characters
    response = _password_changed(client, make, login, current=PASSWORD, new=long)

    html = response.get_data(as_text=True)
    assert "256" in html and "The two new passwords are not the same." not in html
    boxes = re.findall(r'<input[^>]*type="password"[^>]*>', client.get("/account/password").get_data(as_text=True))
    assert len(boxes) == 3 and not any("maxlength" in box for box in boxes)


@pytest.mark.parametrize("new", ["short one", "passwordpassword", "1qaz2wsx3edc4rfv"])
def test_short_and_common_passwords_are_refused(client, make, login, new):
    response = _password_changed(client, make, login, current=PASSWORD, new=new)
    assert response.status_code == 200
    assert ("Use at least 12 characters." in response.get_data(as_text=True)
            or "too easy to guess" in response.get_data(as_text=True))


def test_a_role_change_ends_every_session_of_that_user(app, make, login, two_admins_browsers):
    admin, laptop, phone = two_admins_browsers
    other_admin = make.user("admin")
    boss = app.test_client()
    login(other_admin, on=boss)
    page = boss.get(f"/admin/users/{admin.id}")
    boss.post(f"/admin/users/{admin.id}", data={
        "roles-csrf_token": csrf_token_of(page), "roles-roles": ["admin", "editor"],
    })
    assert db.session.get(User, admin.id).role_set == {"admin", "editor"}
    assert not _signed_in(laptop) and not _signed_in(phone)


def test_changing_ones_own_roles_keeps_this_session_and_ends_the_others(two_admins_browsers):
    admin, laptop, phone = two_admins_browsers
    admin.roles = "admin facilitator"  # given by another administrator; one gives up a role oneself
    db.session.commit()
    laptop.get("/language/en")
    page = laptop.get(f"/admin/users/{admin.id}")
    response = laptop.post(f"/admin/users/{admin.id}", data={
        "roles-csrf_token": csrf_token_of(page), "roles-roles": ["admin"],
    }, follow_redirects=True)
    assert "Roles saved. Your other sessions were signed out." in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).role_set == {"admin"}
    assert _signed_in(laptop) and not _signed_in(phone)


def test_deactivation_ends_every_session_and_refuses_the_next_login(app, make, login, two_admins_browsers):
    admin, laptop, phone = two_admins_browsers
    boss = app.test_client()
    login(make.user("admin"), on=boss)
    page = boss.get(f"/admin/users/{admin.id}")
    boss.post(f"/admin/users/{admin.id}", data={"act-csrf_token": csrf_token_of(page), "act-action": "deactivate",
                                                "confirmed": "yes"})
    assert not _signed_in(laptop) and not _signed_in(phone)
    token = csrf_token_of(laptop.get("/login"))
    response = laptop.post("/login", data={"username": admin.username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 200  # the form again, with a neutral message


def test_a_staff_session_ends_after_idle_time(client, app, make, login):
    login(make.user("admin"))
    idle = app.config["STAFF_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - idle + 120
    assert _signed_in(client)
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - idle - 5
    assert not _signed_in(client)


def test_still_here_keeps_a_staff_session_that_was_about_to_end(client, app, make, login):
    login(make.user("editor"))
    idle = app.config["STAFF_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - idle + 60
    token = csrf_token_of(client.get("/editor/"))

    assert client.post("/account/still-here", data={}).status_code == 400  # no CSRF token: nothing kept
    assert client.post("/account/still-here", data={"csrf_token": token}).status_code == 204

    with client.session_transaction() as session:
        assert session["seen"] >= int(time.time()) - 5
    page = client.get("/editor/").get_data(as_text=True)
    assert 'id="idle-warning" role="alert" hidden' in page and "staff.js" in page


@pytest.mark.parametrize(("minutes", "warns", "says"), [(30, 120, "in two minutes"), (3, 80, "soon"),
                                                       (1, 20, "soon")])
def test_the_idle_warning_says_when_as_its_page_will_show_it(client, app, make, login, minutes, warns, says):
    """A short idle time (set for trying things out) warns halfway, and does not promise two minutes it has not got."""
    app.config["STAFF_IDLE_MINUTES"] = minutes
    login(make.user("editor"))
    client.get("/language/en")

    page = client.get("/editor/").get_data(as_text=True)

    warning = re.search(r'<div class="flash idle-warning"[^>]*data-warn-seconds="(\d+)"[^>]*>.*?<p>(.*?)</p>', page, re.S)
    assert int(warning.group(1)) == warns and f"You will be signed out {says} because" in warning.group(2)


def test_still_here_keeps_no_one_else(client, make, csrf):
    assert client.post("/account/still-here", data={}).status_code == 302  # to the sign-in page
    participant = make.participant(language="en")
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
    my_words = client.get("/my").get_data(as_text=True)
    assert "staff.js" not in my_words and "Stay signed in" not in my_words
    assert client.post("/account/still-here", data={"csrf_token": csrf(client.get("/my"))}).status_code in (302, 403)


def test_a_busy_staff_session_still_ends_twelve_hours_after_sign_in(client, app, make, login):
    login(make.user("admin"))
    day = int(app.permanent_session_lifetime.total_seconds())
    with client.session_transaction() as session:
        session["since"] = int(time.time()) - day + 120
    assert _signed_in(client)
    with client.session_transaction() as session:
        session["since"] = int(time.time()) - day - 5
        session["seen"] = int(time.time())  # active a moment ago
    assert not _signed_in(client)


def test_the_end_of_a_days_session_is_said_as_such_not_as_being_away(client, app, make, login):
    login(make.user("admin"))
    client.get("/language/en")
    day = int(app.permanent_session_lifetime.total_seconds())
    with client.session_transaction() as session:
        session["since"], session["seen"] = int(time.time()) - day - 5, int(time.time())
    page = client.get(client.get("/admin/users").headers["Location"]).get_data(as_text=True)
    assert "You were signed in for 12 hours, the longest a session lasts, so we signed you out." in page
    assert "You were away for a while" not in page


def test_someone_setting_up_two_step_sign_in_is_not_signed_out_while_they_are_at_it(client, app, make, monkeypatch):
    """Between the password and the app set up on a phone, each page they open counts as being there."""
    from tests.conftest import csrf_token_of

    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("editor",))
    editor = make.user("editor")
    client.post("/login", data={"username": editor.username, "password": "a long test password 1",
                                "csrf_token": csrf_token_of(client.get("/login"))})
    idle = app.config["STAFF_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - idle + 120  # the password was typed almost half an hour ago
    assert client.get("/account/two-factor").status_code == 200  # a reload while installing the app
    with client.session_transaction() as session:
        assert session["seen"] >= int(time.time()) - 5
        assert "user_id" in session


def _away_too_long(client, app):
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - app.config["STAFF_IDLE_MINUTES"] * 60 - 5


@pytest.mark.parametrize(("language", "english"), [("en", True), ("fil", False)])
def test_the_sign_in_page_says_why_after_idle_time(client, app, make, login, language, english):
    login(make.user("admin"))
    client.get(f"/language/{language}")
    _away_too_long(client, app)

    response = client.get("/admin/users")

    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ('so we signed you out to keep the words here safe' in page) is english
    assert '<p class="flash">' in page
    assert '<p class="flash">' not in client.get("/login").get_data(as_text=True), "said once"


def test_what_a_staff_member_typed_after_idle_time_is_shown_back_not_lost(client, app, make, login, csrf):
    from roundtable.models import Theme

    editor = make.user("editor")
    login(editor)
    client.get("/language/en")
    page = client.get("/editor/themes")
    _away_too_long(client, app)

    response = client.post("/editor/themes", data={
        "name_en": "Courts that listen", "name_fil": "Mga korteng nakikinig", "csrf_token": csrf(page),
    })

    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Courts that listen" in html and "Mga korteng nakikinig" in html
    assert csrf(page) not in "".join(re.findall(r"<textarea[^>]*>([^<]*)</textarea>", html)), "tokens are not typed words"
    assert db.session.query(Theme).count() == 0

    in_filipino = client.post("/words-kept", data={**hidden_fields_of(response), "switch_language": "fil",
                                                   "typed_as": ["name_en", "name_fil"],
                                                   "typed": ["Courts that listen", "Mga korteng nakikinig"]})
    html = in_filipino.get_data(as_text=True)
    assert '<html lang="fil"' in html and "Courts that listen" in html and "Mga korteng nakikinig" in html
    assert re.findall(r'<label for="typed-\d">([^<]+)</label>', html) == ["Pangalan sa Ingles", "Pangalan sa Filipino"], \
        "each box keeps its label, in the language chosen"


@pytest.mark.parametrize(("page_language", "quote_language", "quote_lang", "translation_lang"), [
    ("en", "fil", "fil", "en"), ("fil", "en", "en", "fil"), ("en", "mixed", None, "en")])
def test_a_quote_typed_after_idle_time_is_shown_back_in_the_languages_its_boxes_had(
        client, app, make, login, page_language, quote_language, quote_lang, translation_lang):
    """QA r5-2: the quote's box and its translation's say their language as the live form did (WCAG 3.1.2), from
    the language sent with them, also once the page is shown again in the other language."""
    reflection = make.reflection(text="Ang korte ay dapat maging tahimik na lugar.", language="fil")
    login(make.user("editor"))
    client.get(f"/language/{page_language}")
    page = client.get(f"/editor/reflections/{reflection.id}")
    _away_too_long(client, app)

    response = client.post(f"/editor/reflections/{reflection.id}", data={
        **hidden_fields_of(page), "text": "Ang korte ay dapat maging tahimik", "language": quote_language,
        "translation": "A court should be quiet", "descriptor": "survivor leader"})

    def langs(html):
        boxes = re.findall(r'<label for="typed-\d">([^<]+)</label>\s*<textarea([^>]*)>([^<]*)</textarea>', html)
        return {words: (re.search(r'lang="(\w+)"', attrs) or [None, None])[1] for _label, attrs, words in boxes}

    html = response.get_data(as_text=True)
    expected = {"Ang korte ay dapat maging tahimik": quote_lang, "A court should be quiet": translation_lang,
                "survivor leader": None}
    assert response.status_code == 401 and langs(html) == expected
    kept = hidden_fields_of(response)
    again = client.post("/words-kept", data={
        **kept, "switch_language": "fil" if page_language == "en" else "en",
        "typed_as": re.findall(r'name="typed_as" value="([^"]*)"', html),
        "typed_lang": re.findall(r'name="typed_lang" value="([^"]*)"', html),
        "typed": re.findall(r'<textarea[^>]*name="typed"[^>]*>([^<]*)</textarea>', html)})
    assert again.status_code == 200 and langs(again.get_data(as_text=True)) == expected


def test_only_the_boxes_a_facilitator_typed_into_are_shown_back_with_their_labels(client, app, make, login):
    """Not the tokens and marks a form carries hidden (``note-csrf_token``, ``note-read``): they are no one's words."""
    facilitator = make.user("facilitator")
    reflection = make.reflection(make.participant(make.roundtable(facilitator)), status="submitted")
    login(facilitator)
    client.get("/language/en")
    page = client.get(f"/facilitator/reflections/{reflection.id}")
    _away_too_long(client, app)

    response = client.post(f"/facilitator/reflections/{reflection.id}", data={
        **hidden_fields_of(page), "note-note": "Follow up gently after the hearing.", "note-submit": "Save note"})

    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert re.findall(r"<textarea[^>]*>([^<]*)</textarea>", html) == ["Follow up gently after the hearing."]
    assert re.search(r'<label for="typed-1">[^<]*note[^<]*</label>', html, re.IGNORECASE), html


def test_a_participant_session_ends_after_idle_time(client, app, make):
    participant = make.participant()
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf_token_of(page)})
    assert client.get("/my").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - app.config["PARTICIPANT_IDLE_MINUTES"] * 60 - 5
    response = client.get("/my")
    assert response.status_code == 302 and response.headers["Location"].endswith("/return")
    with client.session_transaction() as session:
        assert "participant_id" not in session


def test_quick_exit_ends_the_participant_session(client, make):
    participant = make.participant()
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf_token_of(page)})
    assert client.get("/my").status_code == 200
    client.get("/exit")
    with client.session_transaction() as session:
        assert "participant_id" not in session
    assert client.get("/my").status_code == 302


def test_a_one_time_password_must_be_changed_before_anything_else(client, app, make, login):
    admin = make.user("admin")
    boss = app.test_client()
    login(make.user("admin"), on=boss)
    page = boss.get(f"/admin/users/{admin.id}")
    response = boss.post(f"/admin/users/{admin.id}", data={
        "act-csrf_token": csrf_token_of(page), "act-action": "reset_password", "confirmed": "yes",
    })
    html = response.get_data(as_text=True)
    one_time = html.split('<p class="code big">')[1].split("</p>")[0]
    assert db.session.get(User, admin.id).must_change_password

    login(admin, one_time)
    assert client.get("/admin/users").headers["Location"].endswith("/account/password")
    page = client.get("/account/password")
    assert "one-time password" in page.get_data(as_text=True)
    client.post("/account/password", data={
        "current": one_time, "new": "harbour lantern seventeen", "confirm": "harbour lantern seventeen",
        "csrf_token": csrf_token_of(page),
    })
    assert _signed_in(client)
    assert not db.session.get(User, admin.id).must_change_password


def test_hashes_are_upgraded_at_login_when_the_parameters_change(client, make, login, monkeypatch):
    from argon2 import PasswordHasher

    admin = make.user("admin")
    old_hash = db.session.get(User, admin.id).password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(accounts, "password_hasher", stronger)
    login(admin)
    new_hash = db.session.get(User, admin.id).password_hash
    assert new_hash != old_hash
    assert "$argon2id$" in new_hash and "m=2048,t=2,p=1" in new_hash
    assert not stronger.check_needs_rehash(new_hash)


def test_production_hash_parameters_are_argon2id_rfc9106(monkeypatch):
    import importlib

    source = importlib.util.find_spec("roundtable.services.accounts").origin
    text = open(source).read()
    assert "PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4" in text


@pytest.mark.parametrize(("key", "value"), [
    ("user_id", "abc"), ("user_id", 10**30), ("participant_id", "abc"), ("participant_id", 2**31), ("seen", "x"),
    ("join", "x"), ("join", {"at": "x"}), ("lang", 123), ("user_version", [1]),
    ("seen", None), ("participant_id", None),
    ("join", {"at": 0, "roundtable_id": 10**20}), ("join", {"at": 0, "check": [0]}),
    ("join", {"at": 0, "check": ["a", "b"]}), ("join", {"at": 0, "granted": [1]}), ("join", {"at": 0, "adult": "yes"}),
    ("_flashes", "abc"), ("_flashes", [["message"]]), ("_flashes", [[1, 2]]),
    ("csrf_token", 12), ("csrf_token", ["a"]), ("join", {"at": 0, "kept_until": "next year"}),
    ("carried_forms", {"/admin/users": []}), ("carried_forms", {"/admin/users": {"fields": [], "tokens": []}}),
    ("carried_forms", {"/admin/users": {"at": "x", "fields": [], "tokens": []}}),
    ("carried_forms", {"/admin/users": {"at": 0, "fields": [["a"]], "tokens": []}}),
])
def test_a_session_cookie_this_release_did_not_write_counts_as_none(client, key, value):
    """Signed with the same key but written otherwise (another release, say): anonymous, never an error page."""
    with client.session_transaction() as session:
        session[key] = value

    for path in ("/", "/login", "/return", "/join/consent", "/join/pseudonym", "/join/passphrase", "/my", "/editor/",
                 "/account/carry-on?next=/admin/users"):
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)


@pytest.mark.parametrize("join", [
    {"roundtable_id": 10**20}, {"check": [0]}, {"check": "ab"}, {"passphrase": None}, {"participant_id": None},
])
def test_a_signed_in_participant_or_a_joining_one_with_an_odd_cookie_counts_as_none(client, make, join):
    """As above, with what the pages go on to read: the participant's last contact, or the joining steps."""
    participant = make.participant()
    state = {"at": int(time.time()), "roundtable_id": participant.roundtable_id, "participant_id": participant.id,
             "passphrase": "not a sealed token", "language": "en", "check": [0, 1], **join}
    with client.session_transaction() as session:
        session.update({"participant_id": participant.id, "participant_version": 1, "seen": None, "join": state})

    for path in ("/my", "/join/consent", "/join/pseudonym", "/join/passphrase"):
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)


@pytest.mark.parametrize(("key", "value"), [
    ("carried_forms", {"/admin/users": {"at": 0, "fields": [["a"]], "tokens": []}}),
    ("carried_forms", {"/admin/users": {"fields": [], "tokens": []}}), ("csrf_token", 12),
])
def test_a_signed_in_staff_member_with_an_odd_cookie_is_signed_out_not_shown_an_error(client, make, login, key, value):
    login(make.user("admin"))
    with client.session_transaction() as session:
        session[key] = value

    for response in (client.get("/account/carry-on?next=/admin/users"),
                     client.post("/admin/users", data={"csrf_token": "x", "username": "someone"})):
        assert response.status_code in (302, 400), response.status_code


def test_the_sign_in_page_opened_while_signed_in_leads_where_it_was_asked_to(client, make, login):
    """An idle tab goes to the sign-in page with its own address; another tab kept the session: back it goes."""
    login(make.user("editor"))

    assert client.get("/login?next=/editor/themes").headers["Location"] == "/editor/themes"
    assert client.get("/login?next=/admin/users").headers["Location"] == "/editor/", "not a page of this role"
