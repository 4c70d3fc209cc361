"""Maxima of a criteria tree per field and per method, from plain rows (pure, like io.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.evaluation.rows import METHOD_APPRAISAL, METHOD_SURVEY, CriteriaRow


@dataclass(frozen=True, slots=True)
class FieldSummary:
    code: str
    name: str
    max_points: Decimal
    appraisal_points: Decimal
    survey_points: Decimal
    not_applicable_points: Decimal


@dataclass(frozen=True, slots=True)
class CriteriaSummary:
    """Maxima of a criteria set per field and per method, from its scored items."""

    fields: tuple[FieldSummary, ...]
    total: Decimal
    appraisal_points: Decimal
    survey_points: Decimal
    not_applicable_points: Decimal
    criterion_count: int
    scored_count: int

    @property
    def max_scale(self) -> Decimal:
        """Return the scale everyone is scored on once period-wide exemptions are dropped (2020: 98)."""
        return self.total - self.not_applicable_points


def scored_codes(rows: Sequence[CriteriaRow]) -> set[str]:
    """Return the codes of the items that carry points: non-field rows without children."""
    parents = {r.parent_code for r in rows if r.parent_code}
    return {r.code for r in rows if r.depth > 1 and r.code not in parents}


def summarize(rows: Sequence[CriteriaRow]) -> CriteriaSummary:
    """Return the maxima per field and per method of a (valid) criteria tree."""
    scored = scored_codes(rows)
    per_field: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        if row.code not in scored:
            continue
        bucket = per_field[row.field_code]
        if row.not_applicable_reason:
            bucket["na"] += row.max_points
        bucket[row.method or METHOD_APPRAISAL] += row.max_points
    fields = tuple(
        FieldSummary(
            code=r.code,
            name=r.name,
            max_points=r.max_points,
            appraisal_points=per_field[r.code][METHOD_APPRAISAL],
            survey_points=per_field[r.code][METHOD_SURVEY],
            not_applicable_points=per_field[r.code]["na"],
        )
        for r in rows
        if r.depth == 1
    )
    zero = Decimal(0)
    return CriteriaSummary(
        fields=fields,
        total=sum((f.max_points for f in fields), zero),
        appraisal_points=sum((f.appraisal_points for f in fields), zero),
        survey_points=sum((f.survey_points for f in fields), zero),
        not_applicable_points=sum((f.not_applicable_points for f in fields), zero),
        criterion_count=sum(1 for r in rows if r.depth == 2),
        scored_count=len(scored),
    )
