"""Workload and uncovered dossiers from plain values (no database)."""

import pytest

from appraisal.assignments.calc import Dossier, Grant, unassigned, workloads

DOSSIERS = [Dossier(1, unit_id=10, criteria_set_id=7), Dossier(2, unit_id=20, criteria_set_id=7)]
ITEMS = {(7, "1"): 4, (7, "2"): 3}


@pytest.mark.parametrize(
    ("grants", "expected"),
    [
        ([], (0, 0, 0)),
        ([Grant(5, 10, "")], (1, 1, 7)),
        ([Grant(5, 10, ""), Grant(5, 20, "")], (2, 2, 14)),
        ([Grant(5, None, "2")], (1, 2, 6)),
        # The unit already covers field 2 of unit 10: its items count once.
        ([Grant(5, 10, ""), Grant(5, None, "2")], (2, 2, 10)),
        ([Grant(6, 10, "")], (0, 0, 0)),
    ],
)
def test_workload_counts_dossiers_and_items_in_scope(grants, expected):
    load = workloads(appraiser_ids=[5], grants=grants, dossiers=DOSSIERS, items_per_field=ITEMS)[5]
    assert (load.assignments, load.dossiers, load.items) == expected


@pytest.mark.parametrize(
    ("grants", "expected"),
    [
        ([], [1, 2]),
        ([Grant(5, 10, "")], [2]),
        ([Grant(5, 10, ""), Grant(6, 20, "")], []),
        ([Grant(5, None, "1")], []),
    ],
)
def test_unassigned_lists_the_dossiers_nobody_covers(grants, expected):
    assert unassigned(grants=grants, dossiers=DOSSIERS) == expected
