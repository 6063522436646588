"""gunicorn with settings it or the app refuses: one line on stderr saying why, exit status 4, no traceback.

Status 4 is what the systemd unit's RestartPreventExitStatus names (docs/deploy.md §4): any other status would have
the unit started again every two seconds, repeating the same line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deployment.live import free_port

ROOT = Path(__file__).resolve().parents[2]


def _gunicorn(tmp_path: Path, *options: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDTABLE_", "GUNICORN_", "DATABASE_URL"))}
    environ.update({"ROUNDTABLE_INSTANCE_PATH": str(tmp_path), "GUNICORN_BIND": f"127.0.0.1:{free_port()}", **env})
    return subprocess.run([sys.executable, "-m", "gunicorn", *options, "wsgi:app"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("setting, refusal", [
    ({"DATABASE_URL": "notaurl"},
     "Error: DATABASE_URL must start with postgresql+psycopg:// or sqlite:/// (see docs/deploy.md)."),
    ({"ROUNDTABLE_QUICK_EXIT_URL": "www.example.org"},
     "Error: ROUNDTABLE_QUICK_EXIT_URL must be a full https:// or http:// address, such as "
     "https://www.pagasa.dost.gov.ph/weather (not 'www.example.org')."),
    ({"GUNICORN_WORKERS": "0"}, "GUNICORN_WORKERS must be a whole number, from 1 to 32 (not '0')."),
    ({"GUNICORN_TIMEOUT": "6\u00b2"}, "GUNICORN_TIMEOUT must be a whole number, from 0 to 3600 (not '6\u00b2')."),
    ({"GUNICORN_MAX_REQUESTS_JITTER": "-1"},
     "GUNICORN_MAX_REQUESTS_JITTER must be a whole number, 0 or more (not '-1')."),
    ({"GUNICORN_WORKERS": "90"}, "GUNICORN_WORKERS must be a whole number, from 1 to 32 (not '90')."),
    ({"GUNICORN_TIMEOUT": "99999999999999999999"},
     "GUNICORN_TIMEOUT must be a whole number, from 0 to 3600 (not '99999999999999999999')."),
    ({"GUNICORN_BIND": "127.0.0.1:99999"},
     "GUNICORN_BIND must be host:port with a port from 1 to 65535, such as 127.0.0.1:8000, [::1]:8000 or "
     "unix:/run/roundtable/gunicorn.sock (not '127.0.0.1:99999')."),
    ({"GUNICORN_BIND": "unix:/nonexistent/dir/gunicorn.sock"},
     "GUNICORN_BIND must name a socket in a directory that exists, such as unix:/run/roundtable/gunicorn.sock "
     "(not 'unix:/nonexistent/dir/gunicorn.sock')."),
    ({"GUNICORN_FORWARDED_ALLOW_IPS": "10.0.0.10,proxy"},
     "GUNICORN_FORWARDED_ALLOW_IPS must be IP addresses separated by commas, or * (not '10.0.0.10,proxy')."),
    ({"GUNICORN_ACCESS_LOG": "/nonexistent/dir/access.log"},
     "GUNICORN_ACCESS_LOG must be -, empty, or a file this user may write in a directory that exists "
     "(not '/nonexistent/dir/access.log')."),
    ({"GUNICORN_LOG_LEVEL": "verbose"},
     "GUNICORN_LOG_LEVEL must be debug, info, warning, error or critical (not 'verbose')."),
    ({"RATELIMIT_ENABLED": "ture"}, "Error: RATELIMIT_ENABLED must be true or false (not 'ture')."),
    ({"ROUNDTABLE_ENCRYPTION_KEYS": f"{'A' * 43}= {'B' * 43}="},
     "Error: ROUNDTABLE_ENCRYPTION_KEYS: key 1 of 1 is not a Fernet key (44 characters of url-safe base64, the last "
     "one =); keys are separated by commas. docs/deploy.md shows how to make one."),
])
def test_gunicorn_refuses_to_start_in_one_line(tmp_path, setting, refusal):
    started = _gunicorn(tmp_path, **setting)
    assert started.returncode == 4
    assert started.stderr.strip().splitlines() == [refusal]


@pytest.mark.parametrize("setting", ["GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT",
                                     "GUNICORN_KEEPALIVE", "GUNICORN_MAX_REQUESTS", "GUNICORN_LOG_LEVEL"])
def test_a_refused_gunicorn_setting_fails_the_config_check_with_status_4(tmp_path, setting):
    checked = _gunicorn(tmp_path, "--check-config", **{setting: "1m"})
    assert checked.returncode == 4
    assert len(checked.stderr.strip().splitlines()) == 1 and checked.stderr.startswith(f"{setting} must be ")


@pytest.mark.parametrize("setting, value", [
    ("GUNICORN_BIND", "notahost:xx"), ("GUNICORN_BIND", "127.0.0.1:65536"), ("GUNICORN_BIND", "127.0.0.1:0"),
    ("GUNICORN_BIND", "127.0.0.1:"), ("GUNICORN_BIND", "::1:8000"), ("GUNICORN_BIND", "[::1]:80x"),
    ("GUNICORN_BIND", "[localhost]:8000"), ("GUNICORN_BIND", "127.0.0.1:8000,127.0.0.1:8001"),
    ("GUNICORN_BIND", "127.0.0.1:\u0668\u0660"), ("GUNICORN_BIND", "fd://three"), ("GUNICORN_BIND", "unix:"),
    ("GUNICORN_FORWARDED_ALLOW_IPS", "zzz"), ("GUNICORN_FORWARDED_ALLOW_IPS", "10.0.0.0/24"),
    ("GUNICORN_FORWARDED_ALLOW_IPS", "10.0.0.10, ,10.0.0.11"),
    ("GUNICORN_ACCESS_LOG", "/nonexistent/dir/access.log"), ("GUNICORN_ACCESS_LOG", "/"),
    ("GUNICORN_WORKERS", "99999999999999999999999"), ("GUNICORN_WORKERS", "33"), ("GUNICORN_TIMEOUT", "3601"),
    ("GUNICORN_GRACEFUL_TIMEOUT", "99999999999999999999"), ("GUNICORN_KEEPALIVE", "3601"),
])
def test_an_address_or_file_gunicorn_could_not_use_fails_the_config_check_with_status_4(tmp_path, setting, value):
    """gunicorn itself would refuse these with status 1 (a traceback for a port beyond 65535), or, for the
    numbers, crash or fork without end: the unit would be started again every two seconds."""
    checked = _gunicorn(tmp_path, "--check-config", **{setting: value})
    assert checked.returncode == 4
    assert checked.stderr.strip().splitlines() == [checked.stderr.strip()]
    assert checked.stderr.startswith(f"{setting} must ") and repr(value) in checked.stderr


@pytest.mark.parametrize("setting, value", [
    ("GUNICORN_BIND", "127.0.0.1:8000"), ("GUNICORN_BIND", "10.0.0.12:8000"), ("GUNICORN_BIND", "localhost"),
    ("GUNICORN_BIND", "app-1.example.org:65535"), ("GUNICORN_BIND", "[::1]:8000"), ("GUNICORN_BIND", "[::]"),
    ("GUNICORN_BIND", "tcp://0.0.0.0:80"), ("GUNICORN_BIND", "fd://3"), ("GUNICORN_BIND", "unix:{tmp}/gunicorn.sock"),
    ("GUNICORN_BIND", ""), ("GUNICORN_FORWARDED_ALLOW_IPS", "10.0.0.10, ::1"), ("GUNICORN_FORWARDED_ALLOW_IPS", "*"),
    ("GUNICORN_FORWARDED_ALLOW_IPS", ""), ("GUNICORN_ACCESS_LOG", "{tmp}/access.log"), ("GUNICORN_ACCESS_LOG", "-"),
    ("GUNICORN_ACCESS_LOG", ""), ("GUNICORN_WORKERS", "32"), ("GUNICORN_TIMEOUT", "3600"), ("GUNICORN_TIMEOUT", "0"),
    ("GUNICORN_GRACEFUL_TIMEOUT", "3600"), ("GUNICORN_KEEPALIVE", "0"),
])
def test_the_settings_deploy_md_describes_pass_the_config_check(tmp_path, setting, value):
    checked = _gunicorn(tmp_path, "--check-config", **{setting: value.format(tmp=tmp_path)})
    assert (checked.returncode, checked.stderr) == (0, "")
