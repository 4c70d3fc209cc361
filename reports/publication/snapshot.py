"""The content of a publication snapshot, as canonical JSON, and its hash; pure, no database.

The snapshot is what the decision published: every unit's item points, totals, indices, class and rank.
Its text must be the same on every machine and Python version, so that anyone holding the content can
recompute the hash printed next to the decision: keys sorted, no spaces, UTF-8, decimals as strings.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from scoring import calc

# Indices are kept to 4 places in the snapshot: enough to recompute the 2-place printed value.
INDEX_PLACES = 4


@dataclass(frozen=True, slots=True)
class SnapshotUnit:
    """One ranked unit with what a reader needs to name it and the points of each of its items."""

    unit_code: str
    unit_name: str
    group_name: str
    ranked: calc.RankedUnit
    item_points: Mapping[str, Decimal | None]  # item code → points; applicable items only
    not_applicable: tuple[str, ...]  # item codes


def decimal_text(value: Decimal | None, places: int | None = None) -> str | None:
    """Return the decimal as plain text ("12.50"), rounded half up to `places` when given."""
    if value is None:
        return None
    if places is not None:
        value = calc.quantize_score(value, places)
    return f"{value:f}"


def _unit_content(unit: SnapshotUnit) -> dict[str, Any]:
    totals = unit.ranked.totals
    return {
        "name": unit.unit_name,
        "group": unit.ranked.group,
        "group_name": unit.group_name,
        "items": {code: decimal_text(points) for code, points in unit.item_points.items()},
        "not_applicable": sorted(unit.not_applicable),
        "appraisal_points": decimal_text(totals.appraisal_points),
        "survey_points": decimal_text(totals.survey_points),
        "total_points": decimal_text(totals.total_points),
        "max_points": decimal_text(totals.max_points),
        "index": decimal_text(unit.ranked.index, INDEX_PLACES),
        "class": unit.ranked.band.code,
        "rank": unit.ranked.rank,
        "fields": {
            field.code: {
                "points": decimal_text(field.points),
                "max_points": decimal_text(field.max_points),
                "index": decimal_text(field.component_index, INDEX_PLACES),
            }
            for field in totals.fields
        },
    }


def snapshot_content(
    *,
    body_code: str,
    year: int,
    decision_number: str,
    signed_on: date,
    amends_number: str | None,
    bands: Iterable[calc.Band],
    units: Iterable[SnapshotUnit],
    groups: Iterable[str] = (),
    left_out: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Return the snapshot as plain JSON data (strings, ints, lists, dicts), keyed by unit code.

    groups: the codes of the groups whose ranking the decision publishes; left_out: unit code → name, group,
    status and the reason it was left out of its group's ranking (printed as a footnote of the report).
    """
    return {
        "groups": sorted(groups),
        "left_out": {code: dict(entry) for code, entry in (left_out or {}).items()},
        "body": body_code,
        "year": year,
        "decision": {
            "number": decision_number,
            "signed_on": signed_on.isoformat(),
            "amends": amends_number,
        },
        "bands": [
            {"code": b.code, "label": b.label, "min_index": decimal_text(b.min_index)}
            for b in sorted(bands, key=lambda b: b.min_index, reverse=True)
        ],
        "units": {unit.unit_code: _unit_content(unit) for unit in units},
    }


def canonical_json(content: Mapping[str, Any]) -> str:
    """Return the one text of the content that is hashed: sorted keys, no spaces, non-ASCII kept."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def content_hash(content: Mapping[str, Any]) -> str:
    """Return the SHA-256 (hex) of the content's canonical JSON in UTF-8."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
