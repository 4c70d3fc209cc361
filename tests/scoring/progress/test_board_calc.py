"""The board's pure helpers: order, filters and counters on plain rows, without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest

from scoring.progress import board

WHEN = datetime(2026, 12, 1, 9, 0)


@dataclass(frozen=True)
class Row:
    unit_name: str
    status: str | None = None
    group_code: str = "so"
    scored_percent: Decimal = Decimal(0)
    evidence_count: int = 0
    last_activity_at: datetime | None = None
    submitted_at: datetime | None = None
    deadline: datetime | None = None
    is_late: bool = False


@pytest.mark.parametrize(
    ("raw", "key", "descending"),
    [
        ("scored", "scored", False),
        ("-scored", "scored", True),
        ("", "unit", False),
        (None, "unit", False),
        ("-password", "unit", False),
        ("--unit", "unit", True),
    ],
)
def test_parse_sort_accepts_known_columns_only(raw, key, descending):
    assert board.parse_sort(raw) == board.Sort(key=key, descending=descending)


def test_clicking_the_sorted_column_reverses_it_and_another_column_starts_ascending():
    current = board.Sort(key="scored", descending=False)

    assert current.toggled("scored").param == "-scored"
    assert current.toggled("unit").param == "unit"


def test_vietnamese_names_sort_as_in_a_dictionary():
    names = ["Sở Y tế", "Điện Biên Đông", "Ban Dân tộc", "Sở Ngoại vụ", "Ủy ban MTTQ", "Đoàn ĐBQH"]

    ordered = board.board_sort([Row(n) for n in names], board.Sort("unit", False))

    assert [r.unit_name for r in ordered] == [
        "Ban Dân tộc",
        "Điện Biên Đông",
        "Đoàn ĐBQH",
        "Sở Ngoại vụ",
        "Sở Y tế",
        "Ủy ban MTTQ",
    ]


@pytest.mark.parametrize("descending", [False, True])
def test_rows_without_a_value_come_last_in_both_directions(descending):
    rows = [
        Row("A"),
        Row("B", last_activity_at=WHEN),
        Row("C"),
        Row("D", last_activity_at=WHEN.replace(day=2)),
    ]

    ordered = [r.unit_name for r in board.board_sort(rows, board.Sort("activity", descending))]

    assert ordered[2:] == ["A", "C"]
    assert ordered[:2] == (["D", "B"] if descending else ["B", "D"])


def test_submitted_filter_and_counter_include_dossiers_already_under_appraisal():
    rows = [
        Row("A", status="submitted"),
        Row("B", status="round_1"),
        Row("C", status="self_assessment", is_late=True),
        Row("D", is_late=True),
    ]

    assert [r.unit_name for r in board.board_filter(rows, status="submitted")] == ["A", "B"]
    assert [r.unit_name for r in board.board_filter(rows, status="late")] == ["C", "D"]
    assert board.board_counts(rows) == board.BoardCounts(
        total=4, submitted=2, in_progress=1, not_started=1, late=2
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(0), "0,0\xa0%"),
        (Decimal(50), "50,0\xa0%"),
        (Decimal("99.96"), "99,9\xa0%"),  # never shown as complete before it is
        (Decimal(100), "100,0\xa0%"),
        (Decimal(1) * 100 / 3, "33,3\xa0%"),
        (None, ""),
    ],
)
def test_percent_text_rounds_down(value, text):
    assert board.percent_text(value) == text


def test_extension_mark_compares_with_the_period_deadline():
    assert board.is_extended(Row("A", deadline=WHEN.replace(day=5)), period_deadline=WHEN)
    assert not board.is_extended(Row("A", deadline=WHEN), period_deadline=WHEN)
    assert not board.is_extended(Row("A"), period_deadline=None)
