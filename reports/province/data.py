"""The province's national results as plain values: the rows `reports.province.io` validates, and its errors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.spreadsheets.io import RowsError


class NationalResultsImportError(RowsError):
    """The file cannot be imported; nothing was saved."""


class NationalResultsReplaceRefused(NationalResultsImportError):
    """The file would replace results imported before with other figures, and replacing was not chosen."""


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One validated year of the results table. `given` names the optional columns the file has."""

    line: int
    year: int
    appraisal_points: Decimal | None
    survey_points: Decimal | None
    index: Decimal
    national_rank: int | None
    region_rank: int | None
    national_total: int | None = None
    region_total: int | None = None
    region_name: str = ""
    sipas_index: Decimal | None = None
    sipas_rank: int | None = None
    given: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One validated row of the per-field table."""

    line: int
    year: int
    field_code: str
    name: str
    points: Decimal | None
    max_points: Decimal | None
    index: Decimal | None  # as given, or computed from points / max_points
    rank: int | None


@dataclass(frozen=True, slots=True)
class NationalImport:
    results: tuple[ResultRow, ...]
    fields: tuple[FieldRow, ...] = ()

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.results} | {f.year for f in self.fields})
