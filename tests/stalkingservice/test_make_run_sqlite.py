"""`make run` on a fresh machine uses SQLite: the demo must migrate and seed there too
(the seeders use PostgreSQL COPY when they can and plain inserts otherwise)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.xdist_group("sqlite-demo")
def test_demo_seeds_on_the_sqlite_fallback(tmp_path):
    db = tmp_path / "dev.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="stalkingservice.settings.dev",
        DATABASE_URL=f"sqlite:///{db}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    for args in (["migrate", "--noinput"], ["seed_demo", "--cases", "12"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    assert "Demo ready" in result.stdout
    with sqlite3.connect(db) as conn:
        cases = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]
        statuses = conn.execute("SELECT count(DISTINCT status) FROM cases_case").fetchone()[0]
        users = conn.execute("SELECT count(*) FROM stalkingservice_user").fetchone()[0]
    assert cases == 12
    assert statuses == 7  # every stage of the lifecycle
    assert users == 5
