"""What changed between two publication snapshots, unit by unit; pure, reads only snapshot content."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.calc import quantize_score

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# The unit-level values compared, in the order a reader wants them.
_SCALARS = (
    "group",
    "appraisal_points",
    "survey_points",
    "total_points",
    "max_points",
    "index",
    "class",
    "rank",
)


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One value that differs: key is "rank", "index", "item 1.2.1", "field 3 points"…"""

    key: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class UnitChange:
    unit_code: str
    unit_name: str
    kind: str  # ADDED, REMOVED or CHANGED
    changes: tuple[ValueChange, ...]


def _printed(value: Any) -> Any:
    # Snapshots keep unrounded figures as text ("87.4184"); a reader sees them with two decimals.
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal | str):
        try:
            return quantize_score(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return value
    return value


def _differs(before: Any, after: Any) -> bool:
    """Whether two values differ as printed: 87,4184 and 87,4190 both print 87,42, no change to report."""
    return _printed(before) != _printed(after)


def _nested(prefix: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[ValueChange]:
    changes = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if isinstance(before, Mapping) or isinstance(after, Mapping):
            changes.extend(_nested(f"{prefix} {key}", before or {}, after or {}))
        elif _differs(before, after):
            changes.append(ValueChange(key=f"{prefix} {key}", old=before, new=after))
    return changes


def _unit_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[ValueChange]:
    changes = [
        ValueChange(key=key, old=old.get(key), new=new.get(key))
        for key in _SCALARS
        if _differs(old.get(key), new.get(key))
    ]
    changes.extend(_nested("field", old.get("fields", {}), new.get("fields", {})))
    changes.extend(_nested("item", old.get("items", {}), new.get("items", {})))
    before, after = set(old.get("not_applicable", ())), set(new.get("not_applicable", ()))
    if before != after:
        changes.append(
            ValueChange(key="not_applicable", old=", ".join(sorted(before)), new=", ".join(sorted(after)))
        )
    return changes


def snapshot_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[UnitChange]:
    """Return the units added, removed or changed from the old snapshot content to the new, by unit code."""
    old_units: Mapping[str, Any] = old.get("units", {})
    new_units: Mapping[str, Any] = new.get("units", {})
    result = []
    for code in sorted(set(old_units) | set(new_units)):
        if code not in old_units:
            result.append(UnitChange(code, new_units[code].get("name", code), ADDED, ()))
        elif code not in new_units:
            result.append(UnitChange(code, old_units[code].get("name", code), REMOVED, ()))
        else:
            changes = _unit_changes(old_units[code], new_units[code])
            if changes:
                result.append(UnitChange(code, new_units[code].get("name", code), CHANGED, tuple(changes)))
    return result
