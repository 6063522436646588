"""gunicorn settings for Roundtable: ``gunicorn -c gunicorn.conf.py wsgi:app`` (read by default from the cwd).

Every value can be overridden from the environment (see docs/deploy.md). The access log never holds
client addresses, user agents, referrers or query strings: only time, method, path, status, size and duration;
the error log names no client and echoes nothing a malformed request sent (``NamesNobody``).
"""

from __future__ import annotations

import ipaddress
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


def _int(name: str, default: int, *, least: int = 0, most: int | None = None) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < least or (most is not None and int(value) > most):
        within = f"{least} or more" if most is None else f"from {least} to {most}"
        _refuse(f"{name} must be a whole number, {within} (not {value!r}).")
    return int(value)


_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*", re.IGNORECASE | re.ASCII)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _bind(name: str, default: str) -> str:
    """host:port, [IPv6]:port, unix:/path or fd://N, as gunicorn reads them. gunicorn itself exits with status 1 on a
    port that is not a number, and with a traceback on one beyond 65535; empty would listen on every interface."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if value.startswith("unix:"):
        path = re.sub(r"^unix:(//)?", "", value)
        if path and os.path.isdir(os.path.dirname(os.path.abspath(path))):
            return value
        _refuse(f"{name} must name a socket in a directory that exists, such as unix:/run/roundtable/gunicorn.sock "
                f"(not {value!r}).")
    if value.startswith("fd://") and value[5:].isascii() and value[5:].isdigit():
        return value
    address = value.removeprefix("tcp://")
    bracketed = re.fullmatch(r"\[(?P<host>[^\]]+)\](?::(?P<port>.*))?", address)
    if bracketed:
        host, port = bracketed["host"], bracketed["port"]
        known_host = ":" in host and _is_address(host)
    else:
        host, colon, port = address.partition(":")
        port = port if colon else None
        known_host = bool(_HOST_NAME.fullmatch(host))
    port = "8000" if port is None else port  # gunicorn's default
    if not (known_host and port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        _refuse(f"{name} must be host:port with a port from 1 to 65535, such as 127.0.0.1:8000, [::1]:8000 or "
                f"unix:/run/roundtable/gunicorn.sock (not {value!r}).")
    return value


def _addresses(name: str, default: str) -> str:
    """Addresses separated by commas, or *: gunicorn itself would exit with status 1 (after four lines)."""
    value = os.environ.get(name, default)
    if not all(a.strip() == "*" or _is_address(a.strip()) for a in value.split(",") if a):
        _refuse(f"{name} must be IP addresses separated by commas, or * (not {value!r}).")
    return value


def _log_file(name: str, default: str) -> str | None:
    """- for standard output, empty for no log, or a file this user can write: gunicorn itself would exit with status 1
    on a file it cannot open."""
    value = os.environ.get(name, default).strip()
    if value in ("-", ""):
        return value or None
    path = os.path.abspath(value)
    if os.access(path if os.path.exists(path) else os.path.dirname(path), os.W_OK) and not os.path.isdir(path):
        return value
    _refuse(f"{name} must be -, empty, or a file this user may write in a directory that exists (not {value!r}).")


def default_workers(cores: int | None = None) -> int:
    """2 × cores + 1, capped at 9: the app waits on the database, not on the CPU, and each worker holds a pool."""
    cores = cores or multiprocessing.cpu_count()
    return max(2, min(2 * cores + 1, 9))


bind = _bind("GUNICORN_BIND", "127.0.0.1:8000")
# 0 would leave a master with nobody to answer. More than 32 is a slip (a 0 too many): each worker may hold 10
# PostgreSQL connections (docs/deploy.md), so 32 already ask for 320, three times PostgreSQL's default limit, and
# every worker is a process of its own: a huge number would fork until memory or connections run out.
workers = _int("GUNICORN_WORKERS", default_workers(), least=1, most=32)
worker_class = "sync"
# A request that takes longer than this is killed and restarted (exports of 10,000 quotes take ~1 s). At most an
# hour: nginx gives up after 90 s anyway (docs/deploy.md), and a huge number makes every worker crash as it starts.
timeout = _int("GUNICORN_TIMEOUT", 60, most=3600)
# On SIGTERM/SIGHUP workers finish the requests they hold (a reflection being submitted) before leaving. Capped like
# the timeout: a stop that waits longer than an hour for a stuck request is a slip (systemd kills it at TimeoutStopSec).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30, most=3600)
keepalive = _int("GUNICORN_KEEPALIVE", 5, most=3600)
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
forwarded_allow_ips = _addresses("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

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
accesslog = _log_file("GUNICORN_ACCESS_LOG", "-")
# %(t)s time, %(m)s method, %(U)s path WITHOUT query string, %(s)s status, %(B)s bytes, %(M)s milliseconds.
# Deliberately absent: %(h)s client address, %(a)s user agent, %(f)s referrer, %(q)s query, %(u)s user.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
proc_name = "roundtable"
