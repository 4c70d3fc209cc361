"""A broker that cannot be reached, for real: Celery pointed at a closed port on this machine, not eager.

Nothing listens on port 1 of 127.0.0.1, so every publish meets a refused connection, as when Redis is down.
The result backend points there too: Celery's Redis backend is what made a request wait ~19 s.
"""

from __future__ import annotations

import pytest

DOWN = "redis://127.0.0.1:1/0"


def _forget_connections(app) -> None:
    """Drop the pooled broker connections and the backend, so that the next publish uses the new settings."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    if app.amqp._producer_pool is not None:
        app.amqp._producer_pool.force_close_all()
        app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)
    app.amqp.__dict__.pop("queues", None)


@pytest.fixture(name="broker_down")
def broker_down_fixture(settings, monkeypatch):
    from parindex.celery import app

    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery reads these two from the environment before its settings (`make test-integration` sets them).
    monkeypatch.setenv("CELERY_BROKER_URL", DOWN)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", DOWN)
    app.conf.update(broker_url=DOWN, result_backend=DOWN, task_always_eager=False)
    _forget_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _forget_connections(app)
