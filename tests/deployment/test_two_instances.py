"""Two gunicorn instances, one database, one Redis: a participant's steps may land on either.

Nothing a participant needs lives in one process's memory: the join steps, the CSRF token, the
signed-in session and the idempotency key all work when every request goes to the other instance.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from tests.deployment.live import Browser, Server, csrf_of, idempotency_key_of, join, migrate_and_seed, production_env

pytestmark = pytest.mark.slow

WORDS = "Judges should let us speak with a person we trust beside us."


def test_one_participants_whole_flow_alternates_between_two_instances(live_database, redis_url, tmp_path):
    env = production_env(live_database, redis_url, tmp_path / "instance")
    seeded = migrate_and_seed(env)
    servers = [Server(env, log=tmp_path / "a.log"), Server(env, log=tmp_path / "b.log")]
    try:
        for server in servers:
            server.wait_until_healthy()
        a, b = (server.base for server in servers)
        assert a != b
        browser = Browser()

        passphrase = join(browser, [a, b], seeded["code"], "Tala Dagat")

        write = f"/write/{seeded['prompt_id']}"
        status, _, page = browser.get(a, write)
        assert status == 200
        status, headers, _ = browser.post(b, write, {
            "text": WORDS, "language": "en", "idempotency_key": idempotency_key_of(page),
            "submit": "Submit", "csrf_token": csrf_of(page),
        })
        assert status == 302 and headers["Location"].endswith("/my")
        status, _, mine = browser.get(a, "/my")
        assert status == 200 and "Thank you. Your reflection was submitted." in mine  # the flash crossed over
        own = re.search(r'href="(/my/reflections/\d+)"', mine).group(1)
        status, _, page = browser.get(b, own)
        assert status == 200 and WORDS in page

        # Leave on one instance, come back with the passphrase on the other.
        browser.get(b, "/exit")
        assert browser.get(a, "/my")[0] in (302, 401)
        _, _, page = browser.get(a, "/return")
        status, headers, _ = browser.post(b, "/return", {"passphrase": passphrase, "csrf_token": csrf_of(page)})
        assert status == 302 and headers["Location"].endswith("/my")
        status, _, mine = browser.get(a, "/my")
        assert status == 200 and own in mine
        assert WORDS in browser.get(b, own)[2]

        # A form from one instance posted to the other with a forged token is still refused.
        status, _, _ = browser.post(b, write, {"text": "x", "language": "en", "submit": "Submit", "csrf_token": "forged"})
        assert status == 400
    finally:
        for server in servers:
            server.stop()
    engine = create_engine(live_database)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM participants")).scalar() == 1
        assert connection.execute(text("SELECT status FROM reflections")).scalars().all() == ["submitted"]
    engine.dispose()
