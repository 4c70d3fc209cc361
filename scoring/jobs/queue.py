"""Handing work to the broker on a person's request: fast, and never an error page when the broker is away.

Celery's defaults wait ~19 s for a Redis that is down (the result backend retries 20 times) and then raise;
the settings cap that (see "Jobs that finish exactly once" in parindex/settings.py) and this catches what is
left, so that the caller can record why the work will not run and answer at once.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.utils.translation import gettext as _

__all__ = ["queue_down_reason", "task_publish"]

logger = logging.getLogger(__name__)


def queue_down_reason() -> str:
    """Return the sentence a person reads when their work could not be queued."""
    return _(
        "Hệ thống xử lý nền đang không hoạt động nên việc này chưa được chạy; hãy thử lại sau ít phút "
        "hoặc báo quản trị hệ thống."
    )


def task_publish(task: Task, *, args: list[Any], **options: Any) -> bool:
    """Send the task to the broker; return False (logged) when the broker cannot be reached.

    Without a broker (eager) the task runs here and now, and its own errors propagate as they always have:
    they are the task's, not the queue's.
    """
    if task.app.conf.task_always_eager:
        task.apply_async(args=args, **options)
        return True
    try:
        task.apply_async(args=args, **options)
    except Exception:  # any failure to hand it over means it will not run: the caller says so
        logger.exception("could not queue %s%r", task.name, tuple(args))
        return False
    return True
