"""gunicorn.conf.py: workers for the cores, an access log that names nobody, workers forked from a loaded app."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def _settings(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_WORKERS", "GUNICORN_FORWARDED_ALLOW_IPS", "GUNICORN_TIMEOUT", "GUNICORN_LOG_LEVEL",
                 "GUNICORN_BIND", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_workers_follow_the_cores_with_a_cap_and_an_override(monkeypatch):
    conf = _settings(monkeypatch)
    assert conf["default_workers"](1) == 3
    assert conf["default_workers"](2) == 5
    assert conf["default_workers"](64) == 9
    assert _settings(monkeypatch, GUNICORN_WORKERS="2")["workers"] == 2


def test_the_access_log_holds_no_client_address_user_agent_referrer_or_query(monkeypatch):
    conf = _settings(monkeypatch)
    log_format = conf["access_log_format"]
    for atom in ("%(h)s", "%(a)s", "%(f)s", "%(q)s", "%(r)s", "%(u)s", "%({x-forwarded-for}i)s"):
        assert atom not in log_format
    assert "%(U)s" in log_format and "%(s)s" in log_format
    assert conf["errorlog"] == "-"


@pytest.mark.parametrize(("logged", "kept"), [
    ("Invalid request from ip=203.0.113.7: Invalid HTTP Version: 'HTTP/1.1 junk'",
     "Invalid request: Invalid HTTP Version"),
    ("Invalid request from ip=2001:db8::7: Invalid HTTP header name: 'X-Code\x01'", "Invalid request: Invalid HTTP header name"),
    ("Invalid request from ip=203.0.113.7: Request Line is too large (4835 > 4094)",
     "Invalid request: Request Line is too large (4835 > 4094)"),
    ("Error handling request /join?code=KAPWA7", "Error handling request /join"),
    ("Worker exiting (pid: 12)", "Worker exiting (pid: 12)"),
])
def test_the_error_log_names_no_client_and_echoes_nothing_a_malformed_request_sent(monkeypatch, logged, kept):
    import logging

    names_nobody = _settings(monkeypatch)["NamesNobody"]()
    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1, "%s", (logged,), None)

    assert names_nobody.filter(record) and record.getMessage() == kept


def test_the_error_log_filter_is_set_before_the_workers_fork(monkeypatch):
    import logging

    logger = logging.getLogger("gunicorn.error")
    monkeypatch.setattr(logger, "filters", [])
    settings = _settings(monkeypatch, ROUNDTABLE_ENV="production")

    settings["on_starting"](server=None)

    assert [type(f).__name__ for f in logger.filters] == ["NamesNobody"]


@pytest.mark.parametrize(("environment", "warned"), [("production", False), ("", True), ("development", True)])
def test_gunicorn_says_in_its_log_when_the_app_will_not_run_in_production_mode(monkeypatch, caplog, environment,
                                                                                 warned):
    """A line lost from the env file would otherwise serve real people in development mode, unsaid."""
    import logging

    monkeypatch.setattr(logging.getLogger("gunicorn.error"), "filters", [])
    settings = _settings(monkeypatch, ROUNDTABLE_ENV=environment)

    settings["on_starting"](server=None)

    assert ("ROUNDTABLE_ENV is not production" in caplog.text) is warned


def test_a_log_level_gunicorn_does_not_know_is_refused_in_one_line(monkeypatch, capsys):
    """gunicorn would log at "info" instead, unsaid."""
    assert _settings(monkeypatch, GUNICORN_LOG_LEVEL="Warning")["loglevel"] == "warning"
    with pytest.raises(SystemExit) as refused:
        _settings(monkeypatch, GUNICORN_LOG_LEVEL="verbose")
    assert refused.value.code == 4
    assert capsys.readouterr().err == (
        "GUNICORN_LOG_LEVEL must be debug, info, warning, error or critical (not 'verbose').\n")


def test_only_the_configured_proxy_may_set_forwarded_headers(monkeypatch):
    assert _settings(monkeypatch)["forwarded_allow_ips"] == "127.0.0.1"
    assert _settings(monkeypatch, GUNICORN_FORWARDED_ALLOW_IPS="10.0.0.10")["forwarded_allow_ips"] == "10.0.0.10"
    conf = _settings(monkeypatch)
    assert conf["graceful_timeout"] >= 10 and conf["timeout"] >= conf["graceful_timeout"]


def test_workers_fork_from_a_loaded_app_and_open_their_own_database_connections(monkeypatch, app):
    from sqlalchemy import text

    from roundtable.db import db

    conf = _settings(monkeypatch)
    assert conf["preload_app"] is True
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    inherited = db.engine.pool
    assert inherited.checkedin() >= 1
    conf["post_fork"](server=None, worker=None)
    assert db.engine.pool is not inherited and db.engine.pool.checkedin() == 0
