"""The rules of a year's setup, on plain values: the checklist that must hold before a period opens, and the
checks of its bands and deadlines. No database here; selectors build the inputs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# The kinds of a checklist problem; the view turns each into the link of the page that fixes it.
CRITERIA = "criteria"
PEOPLE = "people"
APPRAISERS = "appraisers"
DEADLINES = "deadlines"
BANDS = "bands"


@dataclass(frozen=True, slots=True)
class GroupInput:
    id: int
    name: str
    criteria_set_id: int | None
    fields_total: Decimal  # the scale the set declares: the sum of its fields' maxima
    scored_total: Decimal  # what its scored items add up to
    field_codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class UnitInput:
    id: int
    name: str
    group_id: int
    has_officer: bool
    has_head: bool


@dataclass(frozen=True, slots=True)
class Coverage:
    """Whom the appraisers cover in a period: whole units, and fields across every unit."""

    unit_ids: frozenset[int] = frozenset()
    field_codes: frozenset[str] = frozenset()

    def __or__(self, other: Coverage) -> Coverage:
        return Coverage(self.unit_ids | other.unit_ids, self.field_codes | other.field_codes)


@dataclass(frozen=True, slots=True)
class Deadlines:
    starts_on: date | None
    self_assessment: datetime | None
    explanation: datetime | None
    round2: datetime | None
    council: datetime | None


@dataclass(frozen=True, slots=True)
class ChecklistInputs:
    groups: tuple[GroupInput, ...]
    units: tuple[UnitInput, ...]
    coverage: Coverage
    deadlines: Deadlines
    band_count: int


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing missing or wrong: its kind (the page that fixes it), the reason (a key of texts.MESSAGES) and
    the values the message names."""

    kind: str
    reason: str
    params: tuple[tuple[str, str], ...] = ()
    object_id: int | None = None


@dataclass(frozen=True, slots=True)
class BandInput:
    code: str
    label: str
    min_index: Decimal


# The steps in the order they happen; each deadline must come after the one before it.
DEADLINE_ORDER = ("self_assessment", "explanation", "round2", "council")


def unit_covered(unit: UnitInput, group: GroupInput | None, coverage: Coverage) -> bool:
    """Return whether an appraiser covers the unit: the whole unit, or every field of its criteria set."""
    if unit.id in coverage.unit_ids:
        return True
    return group is not None and bool(group.field_codes) and group.field_codes <= coverage.field_codes


def checklist(inputs: ChecklistInputs) -> list[Problem]:
    """Return what is missing before the period may open; an empty list means it may."""
    problems: list[Problem] = []
    groups = {g.id: g for g in inputs.groups}
    for group in inputs.groups:
        if group.criteria_set_id is None:
            problems.append(Problem(CRITERIA, "no_criteria", (("group", group.name),)))
        elif group.fields_total <= ZERO or group.fields_total != group.scored_total:
            params = (
                ("group", group.name),
                ("scored", str(group.scored_total)),
                ("scale", str(group.fields_total)),
            )
            problems.append(Problem(CRITERIA, "criteria_sum", params, group.criteria_set_id))
    for unit in inputs.units:
        if not unit.has_officer:
            problems.append(Problem(PEOPLE, "no_officer", (("unit", unit.name),), unit.id))
        if not unit.has_head:
            problems.append(Problem(PEOPLE, "no_head", (("unit", unit.name),), unit.id))
        if not unit_covered(unit, groups.get(unit.group_id), inputs.coverage):
            problems.append(Problem(APPRAISERS, "no_appraiser", (("unit", unit.name),), unit.id))
    unset = [name for name in ("starts_on", *DEADLINE_ORDER) if getattr(inputs.deadlines, name) is None]
    if unset:
        problems.append(Problem(DEADLINES, "unset", (("what", ",".join(unset)),)))
    if inputs.band_count == 0:
        problems.append(Problem(BANDS, "no_bands"))
    return problems


def deadline_problems(deadlines: Deadlines) -> list[Problem]:
    """Return the deadlines refused: one before the start, or one not after the step before it."""
    problems: list[Problem] = []
    start = deadlines.starts_on
    previous: str | None = None
    for name in DEADLINE_ORDER:
        value: datetime | None = getattr(deadlines, name)
        if value is None:
            continue
        if start is not None and value.date() < start:
            problems.append(
                Problem(name, "before_start", (("what", name), ("start", start.strftime("%d/%m/%Y"))))
            )
        elif previous is not None and value <= getattr(deadlines, previous):
            problems.append(Problem(name, "not_after", (("what", name), ("before", previous))))
            continue  # the later steps are compared with the latest deadline that stood
        previous = name
    return problems


def band_problems(bands: list[BandInput]) -> list[Problem]:
    """Return why the bands are refused: a threshold outside 0–100, two bands on one threshold (overlap),
    a code or a label twice, or no band starting at 0 (an index below every threshold would have none)."""
    if not bands:
        return [Problem(BANDS, "no_bands")]
    problems: list[Problem] = [
        Problem(BANDS, "band_range", (("label", b.label), ("value", str(b.min_index))))
        for b in bands
        if not (ZERO <= b.min_index <= HUNDRED)
    ]
    for attr in ("min_index", "code", "label"):
        seen: set = set()
        for band in bands:
            value = getattr(band, attr)
            if value in seen:
                problems.append(Problem(BANDS, f"band_same_{attr}", (("value", str(value)),)))
            seen.add(value)
    if min(b.min_index for b in bands) != ZERO:
        problems.append(Problem(BANDS, "band_no_zero"))
    return problems
