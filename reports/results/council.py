"""Answers scoring.results.figures for the pages below reports: the figures of the last recompute of a period."""

from __future__ import annotations

from typing import Any

from reports.models import ComputedResult
from reports.rankings.selectors import published_results, ranking_table
from scoring.models import ClassificationBand, Period
from scoring.results.figures import UnitFigures


def council_figures(*, period_id: int, unit_ids: list[int], **_kwargs: Any) -> dict[int, UnitFigures]:
    """Return {unit_id: figures}: published figures for a published unit, else the last recompute's.

    A fixed number of queries for any number of units (the published ranking table when one of them is published).
    """
    labels = dict(ClassificationBand.objects.filter(period_id=period_id).values_list("code", "label"))
    figures = {
        row.unit_id: UnitFigures(
            total_points=row.total_points,
            max_points=row.max_points,
            index=row.index,
            band_label=labels.get(row.band_code, row.band_code),
            computed_at=row.computed_at,
        )
        for row in ComputedResult.objects.filter(period_id=period_id, unit_id__in=unit_ids)
    }
    if published_results().filter(period_id=period_id, unit_id__in=unit_ids).exists():
        period = Period.objects.select_related("body").get(pk=period_id)
        table = ranking_table(body=period.body, year=period.year)
        wanted = set(unit_ids)
        for group in table.groups:
            for row in group.rows:
                if row.unit_id in wanted:
                    figures[row.unit_id] = UnitFigures(
                        total_points=row.total_points,
                        max_points=row.max_points,
                        index=row.index,
                        band_label=row.band.label,
                        computed_at=None,
                        published=True,
                        rank=row.rank,
                        group_size=len(group.rows),
                        decision=table.publication_decision,
                    )
    return figures


def council_figures_receiver(sender: Any, *, period_id: int, unit_ids: list[int], **kwargs: Any):
    return council_figures(period_id=period_id, unit_ids=unit_ids)
