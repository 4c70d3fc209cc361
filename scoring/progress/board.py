"""The progress board's filters, sort orders and counters, on rows already loaded; pure, no database.

The rows are the selector's ProgressRow objects (assessment.selectors.progress_board); only the attributes
named in BoardRow are read, so the board can be tested with any object that has them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Protocol, TypeVar

from scoring.formatting import format_percent
from scoring.workflow import Status

# Filter values beside the workflow statuses: units without an assessment, and units past their deadline.
NOT_STARTED = "not_started"
LATE = "late"
STATUS_FILTERS = (NOT_STARTED, Status.SELF_ASSESSMENT.value, Status.SUBMITTED.value, LATE)

SORT_KEYS = ("unit", "status", "scored", "evidence", "activity", "submitted", "deadline")
DEFAULT_SORT = "unit"

# The workflow order, so that sorting by status reads "not started → in progress → submitted → …".
_STATUS_ORDER = {NOT_STARTED: 0, **{value: i + 1 for i, value in enumerate(Status.values)}}


class BoardRow(Protocol):
    unit_name: str
    group_code: str
    status: str | None
    scored_percent: Decimal
    evidence_count: int
    last_activity_at: datetime | None
    submitted_at: datetime | None
    deadline: datetime | None
    is_late: bool


Row = TypeVar("Row", bound=BoardRow)


@dataclass(frozen=True, slots=True)
class Sort:
    key: str
    descending: bool

    @property
    def param(self) -> str:
        """Return the query-string value of this order ("-scored" for descending)."""
        return f"-{self.key}" if self.descending else self.key

    def toggled(self, key: str) -> Sort:
        """Return the order a click on the column header asks for: the other direction on the same column."""
        if key == self.key:
            return Sort(key=key, descending=not self.descending)
        return Sort(key=key, descending=False)


@dataclass(frozen=True, slots=True)
class BoardCounts:
    total: int
    submitted: int
    in_progress: int
    not_started: int
    late: int


def parse_sort(raw: str | None) -> Sort:
    """Return the order asked for by the query string; an unknown column falls back to the unit name."""
    text = (raw or "").strip()
    descending = text.startswith("-")
    key = text.lstrip("-")
    if key not in SORT_KEYS:
        return Sort(key=DEFAULT_SORT, descending=False)
    return Sort(key=key, descending=descending)


def row_state(row: BoardRow) -> str:
    """Return the row's status, or NOT_STARTED for a unit without an assessment."""
    return row.status or NOT_STARTED


def is_submitted(row: BoardRow) -> bool:
    """Return whether the unit has handed in its self-assessment (submitted or any later state)."""
    return row.status not in (None, Status.SELF_ASSESSMENT)


def board_filter(rows: Sequence[Row], *, group: str | None = None, status: str | None = None) -> list[Row]:
    """Return the rows of the unit group (code) and in the status; LATE keeps the units past their deadline."""
    result = [r for r in rows if not group or r.group_code == group]
    if status == LATE:
        return [r for r in result if r.is_late]
    if status == Status.SUBMITTED:
        # "Submitted" on the board means handed in: a dossier already under appraisal counts too.
        return [r for r in result if is_submitted(r)]
    if status:
        return [r for r in result if row_state(r) == status]
    return result


def name_key(name: str) -> tuple[str, str]:
    """Return a sort key that puts Vietnamese names in dictionary order ("Điện Biên" among the D's)."""
    folded = name.casefold().replace("đ", "d")
    # Letters first, then tones and vowel marks as the tie-break, as in a Vietnamese dictionary.
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return bare, folded


def _key(row: BoardRow, key: str) -> object:
    return {
        "unit": name_key(row.unit_name),
        "status": _STATUS_ORDER.get(row_state(row), len(_STATUS_ORDER)),
        "scored": row.scored_percent,
        "evidence": row.evidence_count,
        "activity": row.last_activity_at,
        "submitted": row.submitted_at,
        "deadline": row.deadline,
    }[key]


def board_sort(rows: Sequence[Row], sort: Sort) -> list[Row]:
    """Return the rows in the order asked for; rows without a value (no activity yet…) always come last.

    Ties keep the unit-name order, so the table does not shuffle between two clicks.
    """
    by_name = sorted(rows, key=lambda r: name_key(r.unit_name))
    present = [r for r in by_name if _key(r, sort.key) is not None]
    missing = [r for r in by_name if _key(r, sort.key) is None]
    present.sort(key=lambda r: _key(r, sort.key), reverse=sort.descending)  # type: ignore[arg-type,return-value]
    return present + missing


def board_counts(rows: Sequence[BoardRow]) -> BoardCounts:
    """Return how many units have submitted, are working, have not started, and are late."""
    return BoardCounts(
        total=len(rows),
        submitted=sum(1 for r in rows if is_submitted(r)),
        in_progress=sum(1 for r in rows if r.status == Status.SELF_ASSESSMENT),
        not_started=sum(1 for r in rows if r.status is None),
        late=sum(1 for r in rows if r.is_late),
    )


def percent_text(value: Decimal | None) -> str:
    """Return a share as "87,5%", rounded down: a dossier 99,96% scored must not read as complete."""
    if value is None:
        return ""
    return format_percent(value.quantize(Decimal("0.1"), rounding=ROUND_DOWN), 1)


def is_extended(row: BoardRow, *, period_deadline: datetime | None) -> bool:
    """Return whether the unit works to an extended deadline (extensions only ever move it later)."""
    return row.deadline is not None and row.deadline != period_deadline
