"""The stored results of a recompute as plain tuples, to compare two recomputes."""

from __future__ import annotations

from reports.models import ComputedResult


def stored_results(period) -> list[tuple]:
    rows = ComputedResult.objects.filter(period=period).select_related("unit").order_by("unit__code")
    return [
        (
            r.unit.code,
            r.unit_group_id,
            r.appraisal_points,
            r.survey_points,
            r.max_points,
            r.index,
            r.band_code,
            r.rank,
            tuple((f.code, f.points, f.max_points) for f in r.field_totals),
        )
        for r in rows
    ]
