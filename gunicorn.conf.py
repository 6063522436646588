"""gunicorn settings for Roundtable: ``gunicorn -c gunicorn.conf.py wsgi:app`` (read by default from the cwd).

Every value can be overridden from the environment (see docs/deploy.md). The access log never holds
client addresses, user agents, referrers or query strings: only time, method, path, status, size and duration;
the error log names no client and echoes nothing a malformed request sent (``NamesNobody``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import sys


def _refuse(reason: str):
    """One line and exit status 4, as wsgi.py does for the app's settings: the unit's RestartPreventExitStatus=4
    leaves it failed instead of starting it again and again to repeat the line."""
    print(reason, file=sys.stderr)
    sys.exit(4)


def _int(name: str, default: int, *, least: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < least:
        _refuse(f"{name} must be a whole number, {least} or more (not {value!r}).")
    return int(value)


def default_workers(cores: int | None = None) -> int:
    """2 × cores + 1, capped at 9: the app waits on the database, not on the CPU, and each worker holds a pool."""
    cores = cores or multiprocessing.cpu_count()
    return max(2, min(2 * cores + 1, 9))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", default_workers(), least=1)  # 0 would leave a master with nobody to answer
worker_class = "sync"
# A request that takes longer than this is killed and restarted (exports of 10,000 quotes take ~1 s).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM/SIGHUP workers finish the requests they hold (a reflection being submitted) before leaving.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so no slow leak can grow; jitter keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Load the app once in the master and fork workers from it. A recycled worker (max_requests) then starts
# at once instead of importing and warming up for about a second while the others take its load.
# Code and environment changes therefore need a restart, not a reload (docs/deploy.md).
preload_app = True


def post_fork(server, worker):
    """No database connection may be shared across a fork: each worker opens its own."""
    from roundtable.db import db

    if db.engine is not None:
        db.engine.dispose(close=False)


# Trust X-Forwarded-Proto/-For only from the one reverse proxy in front of us.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

class NamesNobody(logging.Filter):
    """gunicorn's own error log names the client of a malformed request ("Invalid request from ip=…") and echoes
    what it sent (a request line with its query string, a header): the log keeps only what went wrong."""

    _INVALID = re.compile(r"^Invalid request from ip=.*?: (?P<error>[^:'\"]*)")
    _QUERY = re.compile(r"\?\S*")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        invalid = self._INVALID.match(message)
        said = f"Invalid request: {invalid['error'].strip()}" if invalid else self._QUERY.sub("", message)
        if said != message:
            record.msg, record.args = said, ()
        return True


def on_starting(server):
    """Before the workers fork: they inherit the filter. gunicorn serves real people: without ROUNDTABLE_ENV (a line
    lost from the env file) the app would run in development mode, quietly, so it is said in the log."""
    logging.getLogger("gunicorn.error").addFilter(NamesNobody())
    if os.environ.get("ROUNDTABLE_ENV", "").strip() != "production":
        logging.getLogger("gunicorn.error").warning(
            "ROUNDTABLE_ENV is not production: Roundtable runs in development mode (cookies without Secure, "
            "settings not checked, keys from the instance folder). Set ROUNDTABLE_ENV=production (docs/deploy.md).")


# The error log goes to stderr and the access log to stdout (journald or the container runtime collects both).
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "").strip().lower() or "info"
if loglevel not in ("debug", "info", "warning", "error", "critical"):  # gunicorn would quietly use info
    _refuse(f"GUNICORN_LOG_LEVEL must be debug, info, warning, error or critical (not {loglevel!r}).")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# %(t)s time, %(m)s method, %(U)s path WITHOUT query string, %(s)s status, %(B)s bytes, %(M)s milliseconds.
# Deliberately absent: %(h)s client address, %(a)s user agent, %(f)s referrer, %(q)s query, %(u)s user.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
proc_name = "roundtable"
