"""A republication lists only what a reader would see change: figures compared as printed (two decimals)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reports.publication.diff import snapshot_diff
from scoring.formatting import format_number


def _snapshot(index: str, points: str = "60.5") -> dict:
    return {
        "units": {
            "so-noi-vu": {
                "name": "Sở Nội vụ",
                "index": index,
                "appraisal_points": points,
                "fields": {"1": {"points": points}},
                "rank": 1,
                "class": "tot",
            }
        }
    }


def test_a_change_hidden_by_rounding_is_not_listed():
    assert snapshot_diff(_snapshot("87.4184"), _snapshot("87.4190")) == []


def test_a_change_that_prints_differently_is_listed():
    [unit] = snapshot_diff(_snapshot("76.2949"), _snapshot("76.2951"))
    assert [c.key for c in unit.changes] == ["index"]


@given(
    st.decimals(min_value=0, max_value=100, places=4),
    st.decimals(min_value=0, max_value=100, places=4),
)
def test_listed_exactly_when_the_printed_figures_differ(before, after):
    changes = snapshot_diff(_snapshot(str(before)), _snapshot(str(after)))
    assert bool(changes) == (format_number(before) != format_number(after))
