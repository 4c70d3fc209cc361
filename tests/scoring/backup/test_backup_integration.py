"""Backup → drop the database → restore on the real PostgreSQL, through the management commands, in a database of
its own (parindex_backup_test, made and dropped here), with the Lai Châu demo loaded by the real services.

  PARINDEX_INTEGRATION=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex \
  .venv/bin/pytest tests/scoring/backup/test_backup_integration.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("PARINDEX_INTEGRATION") != "1"
        or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PARINDEX_INTEGRATION=1 and DATABASE_URL on PostgreSQL",
    ),
]

ROOT = Path(__file__).resolve().parents[3]
DATABASE = "parindex_backup_test"


def _admin_connection():
    import psycopg2

    parts = urlsplit(os.environ["DATABASE_URL"])
    connection = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    connection.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    return connection


def _recreate(*, create: bool) -> None:
    connection = _admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        if create:
            cursor.execute(f"CREATE DATABASE {DATABASE}")
    connection.close()


@pytest.fixture
def run(tmp_path):
    """Return a runner of `manage.py`/`python -m` in a subprocess on parindex_backup_test and a MEDIA_ROOT of its own."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{DATABASE}"))
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    _recreate(create=True)

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=check,
            timeout=600,
        )

    yield run
    _recreate(create=False)


def test_backup_drop_restore_gives_back_snapshot_hashes_and_evidence_checksums(run, tmp_path):
    run("manage.py", "migrate", "--noinput", "-v", "0")
    run("manage.py", "load_demo", "--demo-passwords")
    before = json.loads(run("-m", "tests.scoring.backup.fingerprint").stdout)
    assert before["snapshots"] and before["evidence"]
    assert all(stored == computed for stored, computed in before["snapshots"].values())
    assert all(stored == computed for stored, computed in before["evidence"].values())

    out = run("manage.py", "backup", "--output", str(tmp_path / "backups")).stdout
    (archive,) = (tmp_path / "backups").glob("parindex-backup-*.tar")
    assert str(archive) in out
    refused = run("manage.py", "restore", str(archive), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr

    _recreate(create=True)  # an empty database, not even migrated
    shutil.rmtree(tmp_path / "media")
    run("manage.py", "restore", str(archive))

    assert json.loads(run("-m", "tests.scoring.backup.fingerprint").stdout) == before
    # The restored database is a working one: its migrations are all applied.
    run("manage.py", "migrate", "--check")
