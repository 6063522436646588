"""Quick exit leaves at once, whatever state the server is in, and ends every copy of the session:
on a shared phone, a cookie copied before the exit (or a second tab's) must not open the words."""

from sqlalchemy.exc import OperationalError

from roundtable.db import db
from tests.conftest import second_browser_with_the_cookie_of


def _sign_in(client, participant, csrf):
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})


def _database_away(monkeypatch) -> None:
    """From now on, every new database connection is refused."""
    def refuse(*args, **kwargs):
        raise OperationalError("connect", {}, ConnectionRefusedError("the database is away"))

    db.session.remove()
    monkeypatch.setattr(db.engine.pool, "_do_get", refuse)


def test_quick_exit_leaves_for_the_neutral_site_and_forgets_the_participant(app, client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    assert client.get("/my").status_code == 200

    response = client.get("/exit")

    assert response.status_code == 302 and response.location == app.config["QUICK_EXIT_URL"]
    with client.session_transaction() as session:
        assert "participant_id" not in session and "lang" not in session
    assert client.get("/my").status_code == 302


def test_a_copy_of_the_cookie_stops_working_after_quick_exit(app, client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    copy = second_browser_with_the_cookie_of(app, client)
    assert copy.get("/my").status_code == 200

    client.get("/exit").close()  # as a server does once the answer is sent: then the copies end

    response = copy.get("/my")
    assert response.status_code == 302 and response.location.startswith("/return")


def test_signing_in_again_after_quick_exit_works(client, make, csrf):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    client.get("/exit")
    _sign_in(client, participant, csrf)
    assert client.get("/my").status_code == 200


def test_quick_exit_works_while_the_database_does_not_answer(app, client, make, csrf, monkeypatch):
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)

    _database_away(monkeypatch)
    response = client.get("/exit")
    response.close()  # the copies' end is tried after the answer, and fails quietly

    assert response.status_code == 302 and response.location == app.config["QUICK_EXIT_URL"]
    with client.session_transaction() as session:
        assert "participant_id" not in session


def test_quick_exit_answers_before_it_touches_the_database(app, client, make, csrf, monkeypatch):
    """A database that hangs instead of refusing must not hold the person on the page: the answer is sent first."""
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)
    touched = []
    monkeypatch.setattr("roundtable.services.participation.end_sessions", lambda pid: touched.append(pid))

    response = client.get("/exit")
    assert response.status_code == 302 and touched == []
    response.close()
    assert touched == [participant.id]


def test_a_cookie_from_before_session_versions_keeps_working_until_the_first_exit(app, client, make, csrf):
    participant = make.participant(language="en")
    participant.session_version = 1  # as the upgrade that brought versions left every participant's row
    db.session.commit()
    _sign_in(client, participant, csrf)
    with client.session_transaction() as session:
        del session["participant_version"]  # as signed in before the upgrade
    assert client.get("/my").status_code == 200
    copy = second_browser_with_the_cookie_of(app, client)

    client.get("/exit").close()

    assert copy.get("/my").status_code == 302


def test_error_pages_on_a_participants_path_keep_the_quick_exit_even_when_the_database_is_down(
        app, client, make, csrf, monkeypatch):
    client.get("/join")
    expired = client.post("/join", data={"code": "KAPWA7", "csrf_token": "an old page's token"})  # before joining
    assert expired.status_code == 400 and 'id="quick-exit"' in expired.get_data(as_text=True)
    for address in ("/join/foo", "/my/reflections/abc"):  # no page matches: who asks is not known either
        missing = client.get(address)
        assert missing.status_code == 404 and 'id="quick-exit"' in missing.get_data(as_text=True)
    assert 'id="quick-exit"' not in client.get("/editor/nothing-here").get_data(as_text=True)
    participant = make.participant(language="en")
    _sign_in(client, participant, csrf)

    _database_away(monkeypatch)
    resting = client.get("/my")  # who is signed in cannot be looked up

    assert resting.status_code == 503 and 'id="quick-exit"' in resting.get_data(as_text=True)
