"""What appraisal does for a year's setup (scoring.periods.hooks): copy last year's assignments, say whom they cover."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from scoring.models import Period, User
from scoring.periods.calc import Coverage
from scoring.periods.hooks import period_copied, register_appraiser_coverage

from .models import AppraiserAssignment


def assignments_copy(*, source: Period, target: Period, actor: User | None, **kwargs: Any) -> dict[str, int]:
    """Copy the source period's assignments of active appraisers to units still active in the target year."""
    rows = AppraiserAssignment.objects.filter(period=source, appraiser__is_active=True).filter(
        Q(unit__isnull=True)
        | Q(unit__active_to__isnull=True)
        | Q(unit__active_to__gte=date(target.year, 1, 1))
    )
    copies = AppraiserAssignment.objects.bulk_create(
        AppraiserAssignment(
            period=target, appraiser_id=a.appraiser_id, unit_id=a.unit_id, field_code=a.field_code
        )
        for a in rows
    )
    return {_("Phân công thẩm định"): len(copies)}


def coverage(period: Period) -> Coverage:
    """Return the units and fields the period's active appraisers cover."""
    rows = AppraiserAssignment.objects.filter(period=period, appraiser__is_active=True).values_list(
        "unit_id", "field_code"
    )
    units = frozenset(unit_id for unit_id, _code in rows if unit_id)
    fields = frozenset(code for unit_id, code in rows if not unit_id)
    return Coverage(unit_ids=units, field_codes=fields)


def register() -> None:
    period_copied.connect(assignments_copy, dispatch_uid="appraisal.assignments_copy")
    register_appraiser_coverage(coverage)
