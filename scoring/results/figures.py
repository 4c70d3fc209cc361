"""The live figures of units (total, scale, index, class), for pages of apps below `reports` that show them.

The results are computed and stored in `reports`, above `appraisal`; the council page (appraisal) still has to
show each unit's index and class. As with `results.state.results_changed`, the lower app asks through a signal
that `reports` answers (reports.results.council), so the import direction stays scoring ← appraisal ← reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.dispatch import Signal

from scoring.models import Assessment

# Sent with period_id and unit_ids; a receiver returns {unit_id: UnitFigures} (one or two queries, whatever the
# number of units).
results_figures_requested = Signal()


@dataclass(frozen=True, slots=True)
class UnitFigures:
    total_points: Decimal
    max_points: Decimal
    index: Decimal
    band_label: str
    computed_at: datetime | None
    # Set for a unit whose result is published: the figures, rank and decision of the publication, which win
    # over any later computation (one truth).
    published: bool = False
    rank: int | None = None
    group_size: int | None = None
    decision: str = ""


def results_figures(*, period_id: int, unit_ids: Iterable[int]) -> dict[int, UnitFigures]:
    """Return the latest computed figures of the units in the period; a unit not computed yet is missing."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return {}
    figures: dict[int, UnitFigures] = {}
    for _receiver, response in results_figures_requested.send(
        sender=Assessment, period_id=period_id, unit_ids=unit_ids
    ):
        figures.update(response or {})
    return figures
