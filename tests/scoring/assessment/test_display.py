"""How the self-assessment pages read and write numbers, sizes and deadlines: pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from scoring.assessment.forms import parse_points
from scoring.templatetags.assessment_tags import deadline_remaining, file_size, score_input, typed_points

NOW = datetime(2026, 12, 20, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "points"),
    [
        ("0,75", Decimal("0.75")),
        ("0.75", Decimal("0.75")),
        (" 1 ", Decimal("1")),
        ("", None),
        ("2,5", Decimal("2.5")),
    ],
)
def test_points_are_read_with_a_decimal_comma_or_point(typed, points):
    assert parse_points(typed) == points


@pytest.mark.parametrize("typed", ["abc", "1,2.5", "NaN", "Infinity", "0,7,5"])
def test_text_that_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_points(typed)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("0.75"), "0,75"), (Decimal("1.00"), "1"), (Decimal("0.50"), "0,5"), (None, ""), ("1,3", "1,3")],
)
def test_score_box_shows_stored_points_the_vietnamese_way_and_typed_text_as_is(value, shown):
    assert score_input(value) == shown


@pytest.mark.parametrize(("typed", "shown"), [("0.5", "0,50"), ("0,75", "0,75"), ("abc", "abc")])
def test_typed_points_are_echoed_the_vietnamese_way(typed, shown):
    assert typed_points(typed) == shown


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 B"), (512, "512 B"), (1536, "1,5 KB"), (13_002_342, "12,4 MB"), (20 * 1024 * 1024, "20,0 MB")],
)
def test_file_sizes_are_shown_with_a_decimal_comma(size, shown):
    assert file_size(size) == shown


@pytest.mark.parametrize(
    ("deadline", "shown"),
    [
        (NOW + timedelta(days=3, hours=2), "còn 3 ngày"),
        (NOW + timedelta(hours=5), "còn dưới 1 ngày"),
        (NOW - timedelta(minutes=1), "đã quá hạn"),
        (None, ""),
    ],
)
def test_deadline_says_how_long_is_left(deadline, shown):
    assert deadline_remaining(deadline, NOW) == shown
