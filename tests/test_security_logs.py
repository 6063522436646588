"""Logs hold nothing that identifies anyone: no client address, no user agent, no words."""

import logging
import re
import socket
import threading
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server

from sqlalchemy import select

from roundtable.db import db
from roundtable.models import Reflection
from roundtable.services import moderation
from tests.conftest import csrf_token_of

ADDRESS = "198.51.100.23"
USER_AGENT = "Mozilla/5.0 (Linux; Android 13; Zebrafone X9) TestBrowser/117.0"
WORDS = "Zebrafinch judges should sit at eye level with the child"
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?![\w:])|::1\b", re.IGNORECASE)


def _everything_logged(caplog) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
    return "\n".join(parts)


def test_a_full_flow_logs_no_address_agent_or_words(app, make, caplog):
    caplog.set_level(logging.DEBUG)  # the root logger: every logger propagates here
    environ = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": USER_AGENT}
    participant = make.participant()
    prompt_id = participant.roundtable.prompts[0].id

    person = app.test_client()
    person.environ_base.update(environ)
    person.get("/language/en")
    page = person.post("/join", data={"code": participant.roundtable.join_code, "language": "en",
                                      "csrf_token": csrf_token_of(person.get("/join"))})
    assert page.status_code in (200, 302)
    page = person.get("/return")
    person.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf_token_of(page)})
    page = person.get(f"/write/{prompt_id}")
    person.post(f"/write/{prompt_id}", data={"text": WORDS, "language": "en", "submit": "1",
                                              "idempotency_key": "log-test", "csrf_token": csrf_token_of(page)})
    assert person.get("/no/such/page").status_code == 404
    invalid_utf8 = person.post("/return", data="passphrase=%00%ff%fe%c3", content_type="application/x-www-form-urlencoded")
    assert invalid_utf8.status_code == 400  # no CSRF token: refused, and nothing is logged about it

    reflection = db.session.scalar(select(Reflection).where(Reflection.participant_id == participant.id))
    assert reflection is not None and reflection.text == WORDS and reflection.status == "submitted"
    moderation.decide(participant.roundtable.facilitator, reflection, "release", read=moderation.read_mark(reflection))
    db.session.commit()
    editor = make.user("editor")
    make.quote(reflection, editor=editor, text=WORDS)

    staff = app.test_client()
    staff.environ_base.update(environ)
    token = csrf_token_of(staff.get("/login"))
    staff.post("/login", data={"username": "nobody", "password": "wrong wrong wrong", "csrf_token": token})
    staff.post("/login", data={"username": editor.username, "password": "a long test password 1", "csrf_token": token})
    export_page = staff.get("/editor/export")
    download = staff.post("/editor/export", data={"format": "json", "roundtable": "0", "theme": "0", "language": "",
                                                  "csrf_token": csrf_token_of(export_page)})
    assert download.status_code == 200 and WORDS.encode() in download.data  # the flow really ran
    assert staff.get("/editor/quotes/999999").status_code in (403, 404)

    logged = _everything_logged(caplog)
    assert ADDRESS not in logged and "127.0.0.1" not in logged
    assert not IPV4.search(logged), IPV4.search(logged)
    assert not IPV6.search(logged), IPV6.search(logged)
    assert "Zebrafone" not in logged and "Mozilla" not in logged
    assert "Zebrafinch" not in logged


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_the_development_server_request_log_has_no_client_address_nor_query_string(served, caplog):
    caplog.set_level(logging.DEBUG)
    for path in ("/", "/support", "/no/such/page", "/join?code=KAPWA7"):
        request = urllib.request.Request(served + path, headers={"User-Agent": USER_AGENT})
        try:
            urllib.request.urlopen(request, timeout=10).read()
        except urllib.error.HTTPError:
            pass
    request_lines = [r for r in caplog.records if r.name == "werkzeug"]
    assert request_lines, "the development server logged no requests"
    logged = _everything_logged(caplog)
    assert "GET /support" in logged and "GET /join HTTP" in logged and "KAPWA7" not in logged
    assert "127.0.0.1" not in logged and not IPV4.search(logged)
    assert "Mozilla" not in logged


def test_a_malformed_request_is_logged_by_the_development_server_without_its_address_nor_its_words(served, caplog):
    """Werkzeug logs a request line it cannot parse inside its error line, spaces and all."""
    caplog.set_level(logging.DEBUG)
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"GET /return?passphrase=river mango tide HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = connection.recv(1024)
    assert answer.startswith(b"HTTP/1.1 400")
    logged = _everything_logged(caplog)
    assert "Bad request syntax" in logged and "GET /return" in logged
    assert "mango" not in logged and "passphrase" not in logged
    assert "127.0.0.1" not in logged and not IPV4.search(logged)


@pytest.mark.parametrize("line, error", [
    (b"GET /return?passphrase=agila kasapi", "Bad request version"),
    (b"POST /return?passphrase=agila kasapi", "Bad request version"),
    (b"GET /return?passphrase=agila kasapi tala", "Bad request version"),
    (b"GET /return agila kasapi", "Bad request version"),
    (b"GET /return HTTP/kasapi", "Bad request version"),
    (b"GET /return?passphrase=agila kasapi HTTP/1.1", "Bad request syntax"),
    (b"GET /return agila kasapi HTTP/1.1", "Bad request syntax"),
    (b"kasapi", "Bad request syntax"),
    (b"POST /return?passphrase=agila+kasapi", "Bad HTTP/0.9 request type"),
    (b"KASAPI /return?passphrase=agila+kasapi", "Bad HTTP/0.9 request type"),
])
def test_no_word_of_a_malformed_request_line_past_its_path_is_logged_by_the_development_server(served, caplog, line,
                                                                                               error):
    """A request line without a valid HTTP version is quoted in its error line by another word than the whole line
    ("Bad request version ('kasapi')"): the last word of a passphrase sent with spaces stayed in the log."""
    caplog.set_level(logging.DEBUG)
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(line + b"\r\n\r\n")
        while connection.recv(1024):
            pass
    logged = _everything_logged(caplog)
    assert error in logged and ("/return" in logged) == (b"/return" in line)
    assert "kasapi" not in logged.lower() and "agila" not in logged and "passphrase" not in logged
    assert "127.0.0.1" not in logged and not IPV4.search(logged)


def test_a_fragment_is_not_logged_by_the_development_server(served, caplog):
    caplog.set_level(logging.DEBUG)
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"GET /support#passphrase=agila HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while connection.recv(1024):
            pass
    logged = _everything_logged(caplog)
    assert '"GET /support HTTP/1.1" 200' in logged
    assert "agila" not in logged and "#" not in logged


def test_a_second_app_in_the_same_process_still_logs_the_path_of_a_malformed_request_line(app, database_url, caplog):
    """The werkzeug logger is the process's: each app added its filter again, and the second pass cut the path the
    first had kept, leaving only the colours of the line."""
    from roundtable import create_app

    create_app({"TESTING": True, "DATABASE_URL": database_url, "SERVER_NAME": "roundtable.test",
                "RATELIMIT_ENABLED": False})
    caplog.set_level(logging.DEBUG)
    logging.getLogger("werkzeug").info('"%s" %s %s', "\x1b[31m\x1b[1mKASAPI /return?passphrase=agila+kasapi\x1b[0m",
                                       "400", "-")
    logged = _everything_logged(caplog)
    assert '"\x1b[31m\x1b[1m/return\x1b[0m" 400 -' in logged and "kasapi" not in logged.lower()
