"""The annual results report as plain frozen values: what `reports.annual.selectors` builds and the renderers print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from reports.papers.data import Particulars, place_date_text
from reports.rankings.selectors import ClassCount
from scoring import calc


@dataclass(frozen=True, slots=True)
class ProcessCount:
    """Dossiers of one unit group in the period, by how far they went."""

    group_name: str
    dossiers: int
    submitted: int
    appraised: int
    approved: int


@dataclass(frozen=True, slots=True)
class BallotCounts:
    forms: int
    issued: int
    returned: int
    accepted: int
    rejected: int
    return_rate: Decimal | None
    accepted_rate: Decimal | None


@dataclass(frozen=True, slots=True)
class AnnualRow:
    """One line of a ranking table, as printed."""

    rank: int
    unit_id: int
    unit_code: str
    unit_name: str
    appraisal_points: Decimal
    survey_points: Decimal
    total_points: Decimal
    max_points: Decimal
    index: Decimal
    band_code: str
    band_label: str
    index_change: Decimal | None
    rank_change: int | None
    reduced_scale: bool  # scored on less than the report's common scale (a footnote names the scale)
    stage: str = "published"  # published / approved / appraised / submitted: drafts say which
    stage_label: str = ""

    @property
    def published(self) -> bool:
        return self.stage == "published"

    @property
    def is_self_score(self) -> bool:
        return self.stage == "submitted"


@dataclass(frozen=True, slots=True)
class UnitIndex:
    unit_name: str
    index: Decimal


@dataclass(frozen=True, slots=True)
class GroupSection:
    """One ranking table (one group of the period's table) and what the report says about it."""

    code: str
    name: str
    rows: tuple[AnnualRow, ...]
    common_max_points: Decimal
    average_index: Decimal
    best: UnitIndex | None
    worst: UnitIndex | None
    class_counts: tuple[ClassCount, ...]
    index_up: int
    index_down: int
    rank_up: int
    rank_down: int
    compared: int  # units with a result last year to compare with
    # Listed after the table, not ranked: self-scores only, or units not in the group's published ranking.
    unranked: tuple[AnnualRow, ...] = ()
    published: bool = True  # False: the group's ranking is a draft (not in a publication decision yet)
    # Units the decision left out of this group's ranking, with the reason (a footnote).
    left_out: tuple = ()

    @property
    def unit_count(self) -> int:
        return len(self.rows)

    @property
    def has_reduced_rows(self) -> bool:
        return any(row.reduced_scale for row in self.rows)


@dataclass(frozen=True, slots=True)
class ReducedScaleNote:
    """A unit scored on less than the common scale, and why (the items not applicable to it)."""

    unit_name: str
    group_name: str
    max_points: Decimal
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldGroupStat:
    """One field in one group: the average component index, its change and the spread of the units."""

    group_name: str
    unit_count: int
    average_index: Decimal
    average_change: Decimal | None  # mean change of the units compared with last year
    above_high: int
    below_low: int
    best: UnitIndex
    worst: UnitIndex


@dataclass(frozen=True, slots=True)
class LostReason:
    """An item where units lost points, with how many units, the points lost and the appraisers' words."""

    field_code: str
    item_code: str
    item_name: str
    unit_count: int
    lost_points: Decimal
    comments: tuple[str, ...]
    survey: bool = False

    @property
    def label(self) -> str:
        """The item as a list line starts: its code bound to its name, so a line never breaks after the code."""
        return f"{self.item_code}\u00a0{self.item_name}"


@dataclass(frozen=True, slots=True)
class FieldSection:
    code: str
    name: str
    groups: tuple[FieldGroupStat, ...]
    lost: tuple[LostReason, ...]


@dataclass(frozen=True, slots=True)
class AnnualReport:
    body_code: str
    body_name: str
    administrator_name: str
    place: str
    report_date: date
    year: int
    published: bool
    publication_decision: str
    published_on: date | None
    previous_year: int | None
    guidance_reference: str
    bands: tuple[calc.Band, ...]
    # I. how the period was run
    process: tuple[ProcessCount, ...]
    ballots: BallotCounts | None
    # II. scale groups and rankings
    common_max_points: Decimal
    common_average: Decimal
    groups: tuple[GroupSection, ...]
    reduced_notes: tuple[ReducedScaleNote, ...]
    period_exemptions: tuple[str, ...]
    # III. fields
    fields: tuple[FieldSection, ...]
    has_appraisal_data: bool
    # IV. statements drawn from the figures
    assessment: tuple[str, ...]
    limitations: tuple[str, ...]
    recommendations: tuple[str, ...]
    # Live (unpublished) figures: when computed, whether something changed since, whether the last recompute failed.
    computed_at: datetime | None = None
    stale: bool = False
    refresh_error: str = ""
    particulars: Particulars | None = None  # number, recipients, signer (the page and the papers print them)

    @property
    def title(self) -> str:
        return _("Báo cáo kết quả xác định Chỉ số cải cách hành chính năm %(year)s") % {"year": self.year}

    @property
    def place_date(self) -> str:
        return place_date_text(self.place, self.report_date)

    @property
    def unit_count(self) -> int:
        return sum(g.unit_count for g in self.groups)

    @property
    def has_changes(self) -> bool:
        return self.previous_year is not None

    @property
    def has_field_data(self) -> bool:
        return bool(self.fields)

    @property
    def filename_stem(self) -> str:
        return f"bao-cao-chi-so-cchc-{self.body_code}-{self.year}"
