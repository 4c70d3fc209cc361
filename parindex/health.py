"""/healthz: is this deployment able to serve and to run background work?

Used by docker-compose's healthchecks (scripts/healthcheck.py) and by any load balancer or monitor. It answers
without a login, so it says only "ok" or "error" per check and logs the details.

The worker check: beat queues `worker_heartbeat_task` every WORKER_HEARTBEAT_SECONDS and a worker writes the
time into the broker's Redis (and once at start, `worker_ready`). A worker that is stopped, stuck or cut off from
the broker stops writing, and the check goes stale after WORKER_HEARTBEAT_MAX_AGE seconds. The broker's Redis is
used rather than the Django cache because the cache may be per-process memory, which the web cannot read.
"""

import logging
import time

import redis
from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "parindex:worker-heartbeat"
TIMEOUT_SECONDS = 2


def _broker_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )


def worker_heartbeat_write() -> None:
    """Record that a worker is alive now (seconds since the epoch, kept twice the allowed age)."""
    with _broker_client() as client:
        client.set(HEARTBEAT_KEY, repr(time.time()), ex=2 * settings.WORKER_HEARTBEAT_MAX_AGE)


@shared_task(name="parindex.health.worker_heartbeat_task", ignore_result=True)
def worker_heartbeat_task() -> None:
    worker_heartbeat_write()


@worker_ready.connect
def _heartbeat_at_start(**kwargs) -> None:
    # Healthy as soon as the worker is up, not only after beat's first heartbeat.
    if settings.CELERY_BROKER_URL:
        worker_heartbeat_write()


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database unreachable")
        return "error"
    return "ok"


def _broker_and_worker() -> tuple[str, str]:
    """(broker, worker): each "ok", "error"/"stale", or "eager" when tasks run in-process (no broker)."""
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager", "eager"
    try:
        with _broker_client() as client:
            client.ping()
            beat = client.get(HEARTBEAT_KEY)
    except Exception:
        logger.exception("healthz: broker unreachable")
        return "error", "unknown"
    if beat is None:
        return "ok", "stale"
    age = time.time() - float(beat)
    return "ok", "ok" if age <= settings.WORKER_HEARTBEAT_MAX_AGE else "stale"


def health_report() -> dict[str, str]:
    broker, worker = _broker_and_worker()
    checks = {"database": _database(), "broker": broker, "worker": worker}
    failed = [name for name, value in checks.items() if value not in ("ok", "eager")]
    return {"status": "error" if failed else "ok", **checks}


@never_cache
@require_GET
def healthz(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
