"""Answers scoring.results_figures for the pages below reports: the figures of the last recompute of a period."""

from __future__ import annotations

from typing import Any

from scoring.models import ClassificationBand
from scoring.results_figures import UnitFigures

from .models import ComputedResult


def council_figures(*, period_id: int, unit_ids: list[int], **_kwargs: Any) -> dict[int, UnitFigures]:
    """Return {unit_id: figures} from the stored ComputedResult rows (two queries for any number of units)."""
    labels = dict(ClassificationBand.objects.filter(period_id=period_id).values_list("code", "label"))
    return {
        row.unit_id: UnitFigures(
            total_points=row.total_points,
            max_points=row.max_points,
            index=row.index,
            band_label=labels.get(row.band_code, row.band_code),
            computed_at=row.computed_at,
        )
        for row in ComputedResult.objects.filter(period_id=period_id, unit_id__in=unit_ids)
    }


def council_figures_receiver(sender: Any, *, period_id: int, unit_ids: list[int], **kwargs: Any):
    return council_figures(period_id=period_id, unit_ids=unit_ids)
