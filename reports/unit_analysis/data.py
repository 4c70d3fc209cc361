"""A unit's analysis report as plain frozen values: what `unit_analysis.selectors` builds and the renderers print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring import calc
from scoring.formatting import format_number

FORMATS = ("pdf", "xlsx")


# --- what the report holds ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearFigures:
    """The unit's line in one year's ranking table, and the size of the group it was ranked in."""

    year: int
    group_name: str
    group_size: int
    group_average_index: Decimal
    appraisal_points: Decimal
    survey_points: Decimal
    total_points: Decimal
    max_points: Decimal
    index: Decimal
    band_label: str
    rank: (
        int | None
    )  # None: the unit is listed apart from its group's ranking (self-scores, not in the decision)
    published: bool


@dataclass(frozen=True, slots=True)
class FieldLine:
    """One field: points/max and component index this year and last, and the group's average index."""

    code: str
    name: str
    points: Decimal | None
    max_points: Decimal | None
    index: Decimal | None
    previous_points: Decimal | None
    previous_max_points: Decimal | None
    previous_index: Decimal | None
    group_average_index: Decimal | None

    @property
    def index_change(self) -> Decimal | None:
        return calc.printed_change(self.previous_index, self.index)


@dataclass(frozen=True, slots=True)
class LostLine:
    """An item scored below its maximum, with the appraisers' comment; survey items have none."""

    item_code: str
    item_name: str
    field_code: str
    max_points: Decimal
    points: Decimal
    comment: str
    survey: bool

    @property
    def lost_points(self) -> Decimal:
        return self.max_points - self.points


@dataclass(frozen=True, slots=True)
class FieldLosses:
    field_code: str
    field_name: str
    items: tuple[LostLine, ...]

    @property
    def lost_points(self) -> Decimal:
        return sum((i.lost_points for i in self.items), calc.ZERO)


@dataclass(frozen=True, slots=True)
class SipasLine:
    label: str
    value: Decimal | None
    previous_value: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return calc.printed_change(self.previous_value, self.value)


@dataclass(frozen=True, slots=True)
class UnitAnalysis:
    body_code: str
    body_name: str
    administrator_name: str
    place: str
    generated_on: date
    unit_code: str
    unit_name: str
    year: int
    published: bool  # False: figures of the last recompute, not yet published (a draft)
    current: YearFigures
    previous: YearFigures | None  # None: no published result of the unit last year
    points_change: Decimal | None
    index_change: Decimal | None
    rank_change: int | None  # positive = moved up; None when last year's group differs or is missing
    fields: tuple[FieldLine, ...]
    has_item_data: bool  # False for results imported as published (no item-level points)
    losses: tuple[FieldLosses, ...]  # fields with at least one item below its maximum, in code order
    sipas: tuple[SipasLine, ...]  # empty when the unit has no SIPAS result this year
    sipas_source: str
    # For figures not yet published: the stage they come from, when computed, whether stale or failed since.
    stage_label: str = ""
    computed_at: datetime | None = None
    stale: bool = False
    refresh_error: str = ""

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def appraisal_change(self) -> Decimal | None:
        return (
            calc.printed_change(self.previous.appraisal_points, self.current.appraisal_points)
            if self.previous
            else None
        )

    @property
    def survey_change(self) -> Decimal | None:
        return (
            calc.printed_change(self.previous.survey_points, self.current.survey_points)
            if self.previous
            else None
        )

    @property
    def has_sipas_previous(self) -> bool:
        return any(line.previous_value is not None for line in self.sipas)

    @property
    def tasks(self) -> tuple[LostLine, ...]:
        """Return the items where points were lost, the largest loss first: next year's tasks."""
        items = [item for field in self.losses for item in field.items]
        return tuple(sorted(items, key=lambda i: (-i.lost_points, _code_key(i.item_code))))

    @property
    def lost_points(self) -> Decimal:
        return sum((f.lost_points for f in self.losses), calc.ZERO)

    @property
    def place_date(self) -> str:
        return _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)d") % {
            "place": self.place,
            "day": self.generated_on.day,
            "month": self.generated_on.month,
            "year": self.generated_on.year,
        }

    @property
    def comparison_text(self) -> str:
        """Return the change against last year in words, from the figures ("" without last year)."""
        if self.previous is None or self.index_change is None:
            return ""
        change = calc.quantize_score(self.index_change)
        if change > 0:
            index = _("chỉ số tăng %(value)s điểm phần trăm") % {"value": format_number(change)}
        elif change < 0:
            index = _("chỉ số giảm %(value)s điểm phần trăm") % {"value": format_number(-change)}
        else:
            index = _("chỉ số không đổi")
        if self.rank_change is None:
            rank = _("thứ hạng không so sánh được (năm trước đơn vị được xếp hạng trong nhóm khác)")
        elif self.rank_change > 0:
            rank = _("tăng %(count)s bậc") % {"count": self.rank_change}
        elif self.rank_change < 0:
            rank = _("giảm %(count)s bậc") % {"count": -self.rank_change}
        else:
            rank = _("giữ nguyên thứ hạng")
        return _("So với năm %(year)s: %(index)s, %(rank)s.") % {
            "year": self.previous.year,
            "index": index,
            "rank": rank,
        }


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdecimal() else (1, 0, p) for p in code.split("."))
