"""/healthz: the database, the broker and a recent worker, in JSON, 200 or 503, without a login."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest
import redis
from django.urls import reverse

from parindex import health
from tests.deploy.production import run_python


def _closed_port() -> int:
    # A port nothing listens on: bound, then released.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_eager_mode_is_healthy_without_a_broker(client, settings):
    settings.CELERY_BROKER_URL = None
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager", "worker": "eager"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_gives_503(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error", "worker": "unknown"}
    assert time.monotonic() - started < 5


def test_a_database_that_does_not_answer_gives_503():
    # A fresh process whose DATABASE_URL points at a closed port: the request itself must still be answered.
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, json.dumps(r.json()))"
    )
    result = run_python(
        code,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{_closed_port()}/parindex",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="true",
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {"status": "error", "database": "error", "broker": "eager", "worker": "eager"}


def test_healthz_is_answered_over_plain_http_when_https_is_enforced():
    # The containers' healthchecks call it over HTTP from inside; every other page redirects to HTTPS.
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        "print(c.get('/healthz').status_code, c.get('/').status_code)"
    )
    result = run_python(
        code, ALLOWED_HOSTS="testserver", DATABASE_URL="sqlite:///:memory:", SECURE_SSL_REDIRECT="true"
    )
    assert result.stdout.split() == ["200", "301"], result.stderr


INTEGRATION = pytest.mark.skipif(
    os.environ.get("PARINDEX_INTEGRATION") != "1", reason="needs PARINDEX_INTEGRATION=1, PostgreSQL and Redis"
)
# A Redis database of its own, so that the heartbeat key of a running worker elsewhere is not touched.
HEALTH_REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.mark.integration
@INTEGRATION
@pytest.mark.django_db
def test_worker_heartbeat_on_real_redis(client, settings):
    settings.CELERY_BROKER_URL = HEALTH_REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.WORKER_HEARTBEAT_MAX_AGE = 60
    store = redis.Redis.from_url(HEALTH_REDIS_URL)
    store.delete(health.HEARTBEAT_KEY)

    never = client.get(reverse("healthz"))
    assert never.status_code == 503
    assert never.json() == {"status": "error", "database": "ok", "broker": "ok", "worker": "stale"}

    health.worker_heartbeat_task.run()
    fresh = client.get(reverse("healthz"))
    assert fresh.status_code == 200
    assert fresh.json() == {"status": "ok", "database": "ok", "broker": "ok", "worker": "ok"}

    store.set(health.HEARTBEAT_KEY, repr(time.time() - 61))
    old = client.get(reverse("healthz"))
    assert old.status_code == 503
    assert old.json()["worker"] == "stale"
    store.delete(health.HEARTBEAT_KEY)
