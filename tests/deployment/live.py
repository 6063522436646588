"""Helpers to run Roundtable as in production: migrated database, real gunicorn processes, a cookie-keeping client.

Used by tests/deployment and by scripts/faults.sh (``python -m tests.deployment.live`` is not needed: import it).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, redis_url: str, instance: Path) -> dict[str, str]:
    """Everything ROUNDTABLE_ENV=production demands, freshly generated (see roundtable/config.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDTABLE_", "GUNICORN_"))}
    env.update(
        ROUNDTABLE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        ROUNDTABLE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ROUNDTABLE_LOOKUP_KEY=secrets.token_urlsafe(32),
        RATELIMIT_STORAGE_URI=redis_url,
        ROUNDTABLE_INSTANCE_PATH=str(instance),
        FLASK_APP="roundtable",
        PYTHONPATH=str(ROOT),
    )
    return env


SEED = """
import json
from datetime import date, timedelta
from roundtable import create_app
from roundtable.db import db
from roundtable.services import accounts, roundtables
app = create_app()
with app.app_context():
    facilitator = accounts.create_user("facilitator1", "Facilitator", {"facilitator"}, "a long deployment test password")
    item = roundtables.create(
        facilitator, title_en="Courts that listen", title_fil="Mga korteng nakikinig",
        description_en="What should change.", description_fil="Ano ang dapat magbago.",
        retention_until=date.today() + timedelta(days=365),
        prompts=[("What should judges know?", "Ano ang dapat malaman ng mga hukom?")],
    )
    roundtables.set_status(item, facilitator, "open")
    db.session.commit()
    print(json.dumps({"code": item.join_code, "prompt_id": item.prompts[0].id}))
"""


def migrate_and_seed(env: dict[str, str]) -> dict:
    import json

    subprocess.run([PYTHON, "-m", "flask", "--app", "roundtable", "migrate"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    out = subprocess.run([PYTHON, "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True, text=True,
                         timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    """One gunicorn master (with ``workers`` workers) on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 1, log: Path | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "ab") if log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "wsgi:app"],
            env=env, cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True,
        )

    def wait_until_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on port {self.port} did not become healthy")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.log is not subprocess.DEVNULL:
            self.log.close()


class _SecureCookiesOverLoopback(http.cookiejar.DefaultCookiePolicy):
    """The reverse proxy speaks TLS to the browser; between proxy and gunicorn it is plain HTTP on loopback."""

    def return_ok_secure(self, cookie, request):
        return True


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies across servers (as one browser behind a load balancer) and never follows redirects."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar(policy=_SecureCookiesOverLoopback())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects())

    def request(self, base: str, path: str, data: dict | None = None, timeout: float = 30) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers={"X-Forwarded-Proto": "https"})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def get(self, base: str, path: str) -> tuple[int, dict, str]:
        return self.request(base, path)

    def post(self, base: str, path: str, data: dict) -> tuple[int, dict, str]:
        return self.request(base, path, data)


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def idempotency_key_of(html: str) -> str:
    match = IDEMPOTENCY.search(html)
    assert match, "page has no idempotency key"
    return match.group(1)


def passphrase_check(html: str) -> tuple[list[str], int, int]:
    """The passphrase page's words and the numbers of the two it asks for, read as the person would."""
    block = re.search(r'<ol class="passphrase"[^>]*>(.*?)</ol>', html, re.S).group(1)
    words = re.findall(r"<li[^>]*>([^<]+)</li>", block)
    first, second = (int(n) for n in re.findall(r"(?:Word number|Salita bilang) (\d+)", html))
    return words, first, second


def join(browser: Browser, bases: list[str], code: str, pseudonym: str) -> str:
    """The whole join flow, each step on the next server in ``bases``; returns the passphrase."""
    turn = iter(bases * 10)
    browser.get(next(turn), "/language/en")
    _, _, page = browser.get(next(turn), "/join")
    status, headers, _ = browser.post(next(turn), "/join", {"code": code, "language": "en", "csrf_token": csrf_of(page)})
    assert status == 302 and headers["Location"].endswith("/join/consent"), status
    _, _, page = browser.get(next(turn), "/join/consent")
    clauses = sorted(set(re.findall(r'name="clauses"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="clauses"', page)))
    keys = sorted({a or b for a, b in clauses})
    status, headers, _ = browser.post(next(turn), "/join/consent",
                                      {"clauses": keys, "adult": "y", "csrf_token": csrf_of(page),
                                       "form_version": re.search(r'name="form_version" type="hidden" value="(\d+)"', page)[1],
                                       "kept_until": re.search(r'name="kept_until" type="hidden" value="([\d-]+)"', page)[1]})
    assert status == 302 and headers["Location"].endswith("/join/pseudonym"), status
    _, _, page = browser.get(next(turn), "/join/pseudonym")
    status, headers, _ = browser.post(next(turn), "/join/pseudonym", {"pseudonym": pseudonym, "csrf_token": csrf_of(page)})
    assert status == 302 and headers["Location"].endswith("/join/passphrase"), status
    _, _, page = browser.get(next(turn), "/join/passphrase")
    words, first, second = passphrase_check(page)
    status, headers, _ = browser.post(next(turn), "/join/passphrase", {
        "first": words[first - 1], "second": words[second - 1], "csrf_token": csrf_of(page)})
    assert status == 302 and headers["Location"].endswith("/before-you-write"), status
    return " ".join(words)


@contextmanager
def scratch_postgres(url: str, prefix: str):
    """A fresh PostgreSQL database next to ``url``'s, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def at_once(*requests):
    """Send the requests from threads released together; their responses, in order."""
    start, responses = threading.Barrier(len(requests)), [None] * len(requests)

    def send(index, request):
        start.wait()
        responses[index] = request()

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses

