"""Writes of the live results: the recompute of a period, and the refresh that keeps it following every change.

- `period_results_recompute` stores the live results of a period's assessments as ComputedResult rows;
- live results follow every change: a change stamps its period, one queued recompute at a time catches up.

Every app announces a change with `scoring.results_state.results_changed_notify` inside its transaction;
`results_changed_receive` stamps the period's ResultsState there (so the stamp commits with the change) and
schedules a recompute once the transaction commits. A burst of saves queues one recompute: a period is queued
at most once at a time, and the task clears the mark before it reads, so a change made while it runs queues
the next one. A worker that dies, or a broker that is away, leaves the period stale; the sweep (every minute,
by Celery beat) queues it again, and pages say the figures are older than the last change meanwhile.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ComputedResult, ResultsState
from scoring import calc
from scoring.models import Assessment, Period

logger = logging.getLogger(__name__)

# Saves within this time of one another make one recompute.
COALESCE_SECONDS = 0.5
# A queued recompute that has not started by then is taken as lost (broker restarted, worker killed).
QUEUE_TIMEOUT = timedelta(minutes=2)


# --- recompute ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecomputeSummary:
    periods: int
    units: int
    computed_at: datetime


def period_results_recompute(
    *, period: Period, progress: Callable[[int, str], None] | None = None
) -> RecomputeSummary:
    """Replace the period's computed results by those of its current assessments; idempotent."""
    return periods_results_recompute(periods=[period], progress=progress)


def periods_results_recompute(
    *, periods: Sequence[Period], progress: Callable[[int, str], None] | None = None
) -> RecomputeSummary:
    """Replace the computed results of the periods (a whole province, or the nation) in one pass; idempotent.

    The period rows are locked (in id order, so two recomputes never deadlock) for the whole write: two
    recomputes at once run one after the other and leave the same rows as one would. Published figures are
    not touched: they live in PublishedResult. The points are summed by the database (one row per unit and
    field), then classed and ranked by calc, per period.
    """
    from .live import LIVE_STATUSES, RANKED_STAGES, stage_of, unit_totals

    report = progress or (lambda percent, note: None)
    with transaction.atomic():
        locked = list(
            Period.objects.select_for_update().filter(pk__in=[p.pk for p in periods]).order_by("pk")
        )
        # The figures are as of the moment reading starts: a change committed after it is not in them.
        started = timezone.now()
        report(10, _("Đang đọc điểm của các đơn vị"))
        assessments = list(
            Assessment.objects.filter(period__in=locked, status__in=LIVE_STATUSES).select_related(
                "unit__group"
            )
        )
        results = unit_totals(assessments=assessments)
        report(50, _("Đang tính chỉ số và xếp hạng"))
        bands = {
            p.pk: [b.as_band() for b in p.bands.all()]
            for p in Period.objects.filter(pk__in=[p.pk for p in locked]).prefetch_related("bands")
        }
        # Appraised results are ranked among themselves; self-scores (round 1 not sent) only among theirs.
        by_set: dict[tuple[int, bool], list[calc.UnitTotals]] = defaultdict(list)
        for assessment, totals in results:
            by_set[(assessment.period_id, stage_of(assessment.status) in RANKED_STAGES)].append(totals)
        ranked: dict[tuple[int, int], calc.RankedUnit] = {}
        for (period_id, _appraised), members in by_set.items():
            for r in calc.rank_units(members, bands[period_id]):
                ranked[(period_id, r.unit_id)] = r
        report(70, _("Đang lưu kết quả"))
        ComputedResult.objects.filter(period__in=locked).delete()
        rows = ComputedResult.objects.bulk_create(
            ComputedResult(
                period_id=assessment.period_id,
                unit_id=assessment.unit_id,
                unit_group_id=assessment.unit.group_id,
                appraisal_points=totals.appraisal_points,
                survey_points=totals.survey_points,
                max_points=totals.max_points,
                index=calc.quantize_score(ranked[(assessment.period_id, assessment.unit_id)].index, 4),
                band_code=ranked[(assessment.period_id, assessment.unit_id)].band.code,
                rank=ranked[(assessment.period_id, assessment.unit_id)].rank,
                status=assessment.status,
                fields=ComputedResult.fields_from_totals(totals.fields),
                computed_at=started,
            )
            for assessment, totals in results
        )
        for period in locked:
            ResultsState.objects.update_or_create(
                period=period, defaults={"computed_at": started, "error": "", "error_at": None}
            )
        now = started
    report(100, _("Đã tính xong"))
    return RecomputeSummary(periods=len(locked), units=len(rows), computed_at=now)


# --- refresh -------------------------------------------------------------------------------------------


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
    from reports.tasks import results_refresh_task

    try:
        results_refresh_task.apply_async(args=[period_id], countdown=COALESCE_SECONDS, retry=False)
    except Exception:  # the broker is away: the sweep queues it again; the pages say the figures are stale
        logger.exception("could not queue the recompute of period %s", period_id)
        ResultsState.objects.filter(period_id=period_id).update(queued_at=None)
        return False
    return True


def results_refresh_run(*, period_id: int) -> None:
    """Recompute the period unless its figures are current; a failure keeps the previous figures and says so."""
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
