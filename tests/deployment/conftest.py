"""Live deployments for tests/deployment: a migrated database and the shared Redis, as in production."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        return url
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip("several gunicorn instances need a shared rate-limit store: set TEST_REDIS_URL "
                    "(CI uses redis://127.0.0.1:6379/15) or run Redis on 127.0.0.1:6379; memory:// is per process")
    return "redis://127.0.0.1:6379/15"


@pytest.fixture
def live_database(tmp_path: Path):
    """A migrated database of its own: a temp SQLite file, or a scratch PostgreSQL database next to TEST_DATABASE_URL."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        from tests.deployment.live import scratch_postgres

        with scratch_postgres(url, "test_live") as scratch:
            yield scratch
    else:
        yield f"sqlite:///{tmp_path / 'live.db'}"


@pytest.fixture
def redis_url() -> str:
    return _redis_url()
