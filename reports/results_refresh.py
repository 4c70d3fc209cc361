"""Live results follow every change: a change stamps its period, one queued recompute at a time catches up.

Every app announces a change with `scoring.results.state.results_changed_notify` inside its transaction;
`results_changed_receive` stamps the period's ResultsState there (so the stamp commits with the change) and
schedules a recompute once the transaction commits. A burst of saves queues one recompute: a period is queued
at most once at a time, and the task clears the mark before it reads, so a change made while it runs queues
the next one. A worker that dies, or a broker that is away, leaves the period stale; the sweep (every minute,
by Celery beat) queues it again, and pages say the figures are older than the last change meanwhile.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from scoring.models import Period

from .models import ResultsState

logger = logging.getLogger(__name__)

# Saves within this time of one another make one recompute.
COALESCE_SECONDS = 0.5
# A queued recompute that has not started by then is taken as lost (broker restarted, worker killed).
QUEUE_TIMEOUT = timedelta(minutes=2)


def _scheduled_in_this_transaction(period_id: int) -> bool:
    # A publication moves every unit of a period in one transaction: stamp and schedule once, not per unit.
    # The callbacks Django keeps for the commit are dropped on rollback, so nothing outlives the transaction.
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(
        isinstance(callback, partial)
        and callback.func is results_refresh_schedule
        and callback.keywords.get("period_id") == period_id
        for _savepoints, callback, *_rest in connection.run_on_commit
    )


def results_changed_receive(sender: Any, *, period_id: int, **kwargs: Any) -> None:
    """Stamp the period as changed, in the transaction of the change; recompute once it commits."""
    if _scheduled_in_this_transaction(period_id):
        return
    now = timezone.now()
    if not ResultsState.objects.filter(period_id=period_id).update(changed_at=now):
        ResultsState.objects.get_or_create(period_id=period_id, defaults={"changed_at": now})
    transaction.on_commit(partial(results_refresh_schedule, period_id=period_id))


def results_refresh_schedule(*, period_id: int) -> bool:
    """Queue a recompute of the period unless one is queued already; return whether this call queued it."""
    now = timezone.now()
    # Stamped again after the commit: a recompute that started reading before the change committed
    # must not count as having seen it.
    ResultsState.objects.filter(period_id=period_id).update(changed_at=now)
    claimed = (
        ResultsState.objects.filter(period_id=period_id)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_TIMEOUT))
        .update(queued_at=now)
    )
    if not claimed:
        return False
    from .tasks import results_refresh_task

    try:
        results_refresh_task.apply_async(args=[period_id], countdown=COALESCE_SECONDS, retry=False)
    except Exception:  # the broker is away: the sweep queues it again; the pages say the figures are stale
        logger.exception("could not queue the recompute of period %s", period_id)
        ResultsState.objects.filter(period_id=period_id).update(queued_at=None)
        return False
    return True


def results_refresh_run(*, period_id: int) -> None:
    """Recompute the period unless its figures are current; a failure keeps the previous figures and says so."""
    from .period_results import period_results_recompute

    # From now on a new change queues another recompute: this one may not see it.
    ResultsState.objects.filter(period_id=period_id).update(queued_at=None)
    state = ResultsState.objects.filter(period_id=period_id).first()
    period = Period.objects.filter(pk=period_id).first()
    if period is None or (state is not None and state.is_current):
        return
    try:
        period_results_recompute(period=period)
    except Exception as exc:
        logger.exception("recompute of period %s failed", period_id)
        ResultsState.objects.filter(period_id=period_id).update(
            error=str(exc)[:2000], error_at=timezone.now()
        )


def results_refresh_sweep() -> int:
    """Queue a recompute of every stale period that has none queued (or a lost one); return how many."""
    now = timezone.now()
    stale = ResultsState.objects.filter(
        Q(computed_at__isnull=True) | Q(changed_at__gt=F("computed_at"))
    ).filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_TIMEOUT))
    return sum(results_refresh_schedule(period_id=pk) for pk in stale.values_list("period_id", flat=True))
