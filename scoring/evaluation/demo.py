"""The illustrative criteria sets shipped with the project (scoring/demo/criteria_sets.json), as plain rows.

They are examples to try the product with, labelled "minh họa" everywhere; no province published them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from scoring.evaluation.rows import DEFAULT_STEP, CriteriaRow

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "criteria_sets.json"
KIND_DEPARTMENTS = "departments"
KIND_DISTRICTS = "districts"


@dataclass(frozen=True, slots=True)
class DemoCriteriaSet:
    kind: str
    name: str
    unit_group_name: str
    rows: tuple[CriteriaRow, ...]


@cache
def demo_criteria_sets() -> dict[str, DemoCriteriaSet]:
    """Return the demo sets by kind ("departments", "districts")."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return {
        entry["kind"]: DemoCriteriaSet(
            kind=entry["kind"],
            name=entry["name"],
            unit_group_name=entry["unit_group_name"],
            rows=tuple(
                CriteriaRow(
                    code=item["code"],
                    name=item["name"],
                    max_points=Decimal(item["max_points"]),
                    step=item.get("step", DEFAULT_STEP),
                    method=item.get("method", ""),
                    guidance=item.get("guidance", ""),
                    not_applicable_reason=item.get("not_applicable_reason", ""),
                )
                for item in entry["items"]
            ),
        )
        for entry in data["sets"]
    }
