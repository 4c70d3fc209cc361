"""Published results of earlier years as plain values: the rows `reports.published.io` validates, and its errors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring import calc
from scoring.spreadsheets.io import RowsError


class PublishedResultsImportError(RowsError):
    """The file cannot be imported; nothing was saved."""


class PublishedResultsReplaceRefused(PublishedResultsImportError):
    """The file would replace results imported before with other figures, and replacing was not chosen."""


@dataclass(frozen=True, slots=True)
class FieldRow:
    code: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True, slots=True)
class PublishedRow:
    """One validated row: one unit's published result in one year."""

    line: int
    year: int
    group: str
    unit_name: str
    unit_code: str  # "" when the file gives none: the unit is then found by name
    appraisal_points: Decimal
    survey_points: Decimal
    max_points: Decimal
    fields: tuple[FieldRow, ...] = ()
    classification: str = ""  # as published; checked against the period's bands by the service
    published_index: Decimal | None = None  # index_pct as published, when the file gives it

    @property
    def total_points(self) -> Decimal:
        return self.totals.total_points

    @property
    def index(self) -> Decimal:
        """Return the index recomputed from the points, unrounded."""
        return self.totals.index

    @property
    def totals(self) -> calc.UnitTotals:
        return calc.UnitTotals(
            unit_id=0,
            group=self.group,
            appraisal_points=self.appraisal_points,
            survey_points=self.survey_points,
            max_points=self.max_points,
            fields=tuple(calc.FieldTotal(f.code, f.points, f.max_points) for f in self.fields),
            published_index=self.published_index,
        )
