"""A broker that cannot be reached, for real: Celery pointed at a closed port on this machine, not eager.

Nothing listens on port 1 of 127.0.0.1, so every publish meets a refused connection, as when Redis is down.
The result backend points there too: Celery's Redis backend is what made a request wait ~19 s.
"""

from __future__ import annotations

import contextlib

import kombu.pools
import pytest

DOWN = "redis://127.0.0.1:1/0"


def forget_connections(app) -> None:
    """Drop the pooled broker connections and the backend, so that the next publish uses the new settings."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    # The producer pools are kombu's, shared by connection: reset them all rather than close one for good.
    app.amqp._producer_pool = None
    kombu.pools.reset()
    app._local.__dict__.pop("backend", None)
    app.amqp.__dict__.pop("queues", None)


@contextlib.contextmanager
def celery_pointed_at(app, **values):
    """Override Celery settings for a block, then leave them as they were (read from Django's settings)."""
    changes = app.conf.changes
    saved = {key: changes[key] for key in values if key in changes}
    app.conf.update(values)
    forget_connections(app)
    try:
        yield app
    finally:
        for key in values:
            changes.pop(key, None)
        app.conf.update(saved)
        forget_connections(app)


@pytest.fixture(name="broker_down")
def broker_down_fixture(settings, monkeypatch):
    from parindex.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery reads these two from the environment before its settings (`make test-integration` sets them).
    monkeypatch.setenv("CELERY_BROKER_URL", DOWN)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", DOWN)
    with celery_pointed_at(app, broker_url=DOWN, result_backend=DOWN, task_always_eager=False):
        yield app
