"""What scoring puts on the home page: a unit's own dossier and the administrator's year.

Each panel runs a fixed number of queries per period shown; a user sees the newest open period of each body in
which they hold the role, so the count does not grow with units or items.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from scoring.access import bodies_administered, own_unit_ids
from scoring.models import EvaluatingBody, Period, PeriodStatus, Unit, User
from scoring.periods import calc as period_calc
from scoring.periods.selectors import checklist_inputs
from scoring.progress.board import BoardCounts, board_counts
from scoring.progress.selectors import ProgressRow, progress_board

from . import calc
from .panels import Panel

# A superuser administers every body; the home page shows the first few, the periods page lists them all.
MAX_ADMIN_BODIES = 3


@dataclass(frozen=True, slots=True)
class UnitDossier:
    period: Period
    row: ProgressRow
    step: str
    countdown: calc.Countdown | None

    @property
    def items_left(self) -> int:
        return max(self.row.applicable - self.row.scored, 0)


@dataclass(frozen=True, slots=True)
class AdminYear:
    body: EvaluatingBody
    period: Period | None
    problems: list[period_calc.Problem]
    counts: BoardCounts | None
    countdown: calc.Countdown | None


def _newest_periods(body_ids: Iterable[int], *, status: str | None = None) -> dict[int, Period]:
    """Return the newest period of each body (of the given status), in one query."""
    filters = Q(body_id__in=list(body_ids))
    if status is not None:
        filters &= Q(status=status)
    newest: dict[int, Period] = {}
    for period in Period.objects.filter(filters).select_related("body").order_by("body_id", "-year"):
        newest.setdefault(period.body_id, period)
    return newest


def unit_dossiers(*, user: User, now: datetime | None = None) -> list[UnitDossier]:
    now = now or timezone.now()
    units = list(Unit.objects.filter(pk__in=own_unit_ids(user)).order_by("body_id", "group__order", "name"))
    if not units:
        return []
    periods = _newest_periods({u.body_id for u in units}, status=PeriodStatus.OPEN)
    dossiers = []
    for body_id, period in periods.items():
        ids = [u.pk for u in units if u.body_id == body_id]
        for row in progress_board(body=period.body, period=period, now=now, unit_ids=ids):
            dossiers.append(
                UnitDossier(
                    period=period,
                    row=row,
                    step=calc.unit_step(row.status, scored=row.scored, applicable=row.applicable),
                    countdown=calc.countdown(row.deadline, now),
                )
            )
    return dossiers


def admin_years(*, user: User, now: datetime | None = None) -> list[AdminYear]:
    now = now or timezone.now()
    bodies = list(bodies_administered(user).order_by("name")[:MAX_ADMIN_BODIES])
    periods = _newest_periods(b.pk for b in bodies)
    years = []
    for body in bodies:
        period = periods.get(body.pk)
        if period is None:
            years.append(AdminYear(body=body, period=None, problems=[], counts=None, countdown=None))
        elif period.status == PeriodStatus.SETUP:
            problems = period_calc.checklist(checklist_inputs(period=period))
            years.append(AdminYear(body=body, period=period, problems=problems, counts=None, countdown=None))
        else:
            rows = progress_board(body=body, period=period, now=now)
            years.append(
                AdminYear(
                    body=body,
                    period=period,
                    problems=[],
                    counts=board_counts(rows),
                    countdown=calc.countdown(period.self_assessment_deadline, now),
                )
            )
    return years


def scoring_panels(user: User) -> list[Panel]:
    panels = []
    dossiers = unit_dossiers(user=user)
    if dossiers:
        panels.append(Panel(template="scoring/home/unit.html", order=10, context={"dossiers": dossiers}))
    years = admin_years(user=user)
    if years:
        panels.append(Panel(template="scoring/home/admin.html", order=40, context={"years": years}))
    return panels
