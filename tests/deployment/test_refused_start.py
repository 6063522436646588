"""gunicorn with settings it or the app refuses: one line on stderr saying why, a non-zero exit, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _gunicorn(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDTABLE_", "GUNICORN_", "DATABASE_URL"))}
    environ.update(ROUNDTABLE_INSTANCE_PATH=str(tmp_path), GUNICORN_BIND="127.0.0.1:0", **env)
    return subprocess.run([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("setting, refusal", [
    ({"DATABASE_URL": "notaurl"},
     "Error: DATABASE_URL must start with postgresql+psycopg:// or sqlite:/// (see docs/deploy.md)."),
    ({"ROUNDTABLE_QUICK_EXIT_URL": "www.example.org"},
     "Error: ROUNDTABLE_QUICK_EXIT_URL must be a full https:// or http:// address, such as "
     "https://www.pagasa.dost.gov.ph/weather (not 'www.example.org')."),
    ({"GUNICORN_WORKERS": "0"}, "GUNICORN_WORKERS must be a whole number, 1 or more (not '0')."),
    ({"GUNICORN_TIMEOUT": "6\u00b2"}, "GUNICORN_TIMEOUT must be a whole number, 0 or more (not '6\u00b2')."),
    ({"RATELIMIT_ENABLED": "ture"}, "Error: RATELIMIT_ENABLED must be true or false (not 'ture')."),
])
def test_gunicorn_refuses_to_start_in_one_line(tmp_path, setting, refusal):
    started = _gunicorn(tmp_path, **setting)
    assert started.returncode != 0
    assert started.stderr.strip().splitlines() == [refusal]
