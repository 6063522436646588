"""gunicorn with settings it or the app refuses: one line on stderr saying why, exit status 4, no traceback.

Status 4 is what the systemd unit's RestartPreventExitStatus names (docs/deploy.md §4): any other status would have
the unit started again every two seconds, repeating the same line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _gunicorn(tmp_path: Path, *options: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDTABLE_", "GUNICORN_", "DATABASE_URL"))}
    environ.update(ROUNDTABLE_INSTANCE_PATH=str(tmp_path), GUNICORN_BIND="127.0.0.1:0", **env)
    return subprocess.run([sys.executable, "-m", "gunicorn", *options, "wsgi:app"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("setting, refusal", [
    ({"DATABASE_URL": "notaurl"},
     "Error: DATABASE_URL must start with postgresql+psycopg:// or sqlite:/// (see docs/deploy.md)."),
    ({"ROUNDTABLE_QUICK_EXIT_URL": "www.example.org"},
     "Error: ROUNDTABLE_QUICK_EXIT_URL must be a full https:// or http:// address, such as "
     "https://www.pagasa.dost.gov.ph/weather (not 'www.example.org')."),
    ({"GUNICORN_WORKERS": "0"}, "GUNICORN_WORKERS must be a whole number, 1 or more (not '0')."),
    ({"GUNICORN_TIMEOUT": "6\u00b2"}, "GUNICORN_TIMEOUT must be a whole number, 0 or more (not '6\u00b2')."),
    ({"GUNICORN_MAX_REQUESTS_JITTER": "-1"},
     "GUNICORN_MAX_REQUESTS_JITTER must be a whole number, 0 or more (not '-1')."),
    ({"GUNICORN_LOG_LEVEL": "verbose"},
     "GUNICORN_LOG_LEVEL must be debug, info, warning, error or critical (not 'verbose')."),
    ({"RATELIMIT_ENABLED": "ture"}, "Error: RATELIMIT_ENABLED must be true or false (not 'ture')."),
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
