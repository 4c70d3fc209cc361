"""SIPAS results of a period: import from the national survey's spreadsheet, entry by hand, conversion to points.

Each write is one named operation in one transaction with an audit row; a refused import writes nothing.
Importing the same file again changes nothing (one SipasResult per period and unit, updated in place).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.audit.services import audit_record
from scoring.models import Period, Unit, User
from scoring.results.state import published_unit_ids, results_changed_notify
from scoring.spreadsheets.io import RowError

from .. import calc
from ..models import SipasConversion, SipasMethod, SipasResult
from .io import COMPONENT_COLUMNS, OVERALL_COLUMN, SipasFileError, parse_pct, parse_sipas

VALUE_FIELDS = (OVERALL_COLUMN, *COMPONENT_COLUMNS)

__all__ = [
    "SipasError",
    "SipasImportSummary",
    "sipas_item_points",
    "sipas_points",
    "sipas_result_save",
    "sipas_results_import",
]


class SipasError(Exception):
    """A SIPAS write refused; .errors lists (row, column, Vietnamese reason), .message says it in one line."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        self.message = "; ".join(str(e) for e in errors)
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class SipasImportSummary:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return _("%(created)s đơn vị mới, %(updated)s đơn vị cập nhật, %(unchanged)s đơn vị không đổi.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def sipas_points(*, pct: Decimal, max_points: Decimal, method: str = SipasMethod.LINEAR) -> Decimal:
    """Return the points of an item converted from a SIPAS %: linear, overall % × the item's maximum."""
    if method != SipasMethod.LINEAR:
        raise ValueError(f"unknown SIPAS conversion {method!r}")
    return calc.sipas_points(pct, max_points)


def _values_of(result: SipasResult) -> dict[str, Decimal | None]:
    return {name: getattr(result, name) for name in VALUE_FIELDS}


def _upsert(
    *, period: Period, unit: Unit, values: Mapping[str, Decimal | None], source: str, actor: User | None
) -> str:
    """Write one unit's SIPAS result; return "created", "updated" or "unchanged"."""
    existing = SipasResult.objects.filter(period=period, unit=unit).first()
    if existing is None:
        result = SipasResult.objects.create(period=period, unit=unit, source=source, **values)
        audit_record(body=period.body, actor=actor, action="sipas_result_created", obj=result, unit=unit,
                     new={k: str(v) if v is not None else None for k, v in values.items()})  # fmt: skip
        return "created"
    old = _values_of(existing)
    if old == dict(values):
        return "unchanged"
    for name, value in values.items():
        setattr(existing, name, value)
    existing.source = source
    existing.save(update_fields=[*VALUE_FIELDS, "source"])
    audit_record(
        body=period.body,
        actor=actor,
        action="sipas_result_updated",
        obj=existing,
        unit=unit,
        old={k: str(v) if v is not None else None for k, v in old.items()},
        new={k: str(v) if v is not None else None for k, v in values.items()},
    )
    return "updated"


@transaction.atomic
def sipas_results_import(*, period: Period, content: bytes, filename: str, actor: User) -> SipasImportSummary:
    """Return how many units were created, updated or unchanged; SipasError (nothing written) when any row is wrong."""
    units = {u.code: u for u in Unit.objects.filter(body_id=period.body_id)}
    try:
        rows = parse_sipas(content=content, filename=filename, unit_codes=units.keys())
    except SipasFileError as exc:
        raise SipasError(exc.errors) from exc
    published = published_unit_ids(period_id=period.pk)
    frozen = [
        RowError(row.row, "unit_code", _frozen_text(period, units[row.unit_code]))
        for row in rows
        if units[row.unit_code].pk in published
    ]
    if frozen:
        raise SipasError(frozen)
    counts: dict[str, int] = defaultdict(int)
    source = _("Tệp %(name)s") % {"name": filename}
    for row in rows:
        counts[_upsert(period=period, unit=units[row.unit_code], values=row.values(), source=source,
                       actor=actor)] += 1  # fmt: skip
    if counts["created"] or counts["updated"]:
        results_changed_notify(period_id=period.pk)
    return SipasImportSummary(
        created=counts["created"], updated=counts["updated"], unchanged=counts["unchanged"]
    )


@transaction.atomic
def sipas_result_save(
    *, period: Period, unit: Unit, values: Mapping[str, str | Decimal | None], actor: User
) -> SipasResult:
    """Return the unit's SIPAS result entered by hand; SipasError naming each wrong field (nothing written)."""
    if unit.body_id != period.body_id:
        raise SipasError([RowError(None, "unit_code", _("Đơn vị không thuộc cơ quan đánh giá của kỳ."))])
    if unit.pk in published_unit_ids(period_id=period.pk):
        raise SipasError([RowError(None, "unit_code", _frozen_text(period, unit))])
    parsed: dict[str, Decimal | None] = {}
    errors: list[RowError] = []
    for name in VALUE_FIELDS:
        raw = values.get(name)
        try:
            parsed[name] = parse_pct(raw)
        except ValueError as exc:
            errors.append(RowError(None, name, str(exc)))
            continue
        if name == OVERALL_COLUMN and parsed[name] is None:
            errors.append(RowError(None, name, _("thiếu chỉ số hài lòng chung.")))
    if errors:
        raise SipasError(errors)
    if _upsert(period=period, unit=unit, values=parsed, source=_("Nhập tay"), actor=actor) != "unchanged":
        results_changed_notify(period_id=period.pk)
    return SipasResult.objects.get(period=period, unit=unit)


def _frozen_text(period: Period, unit: Unit) -> str:
    return _("Kết quả năm %(year)s của %(unit)s đã được công bố nên không thể thay đổi SIPAS.") % {
        "year": period.year,
        "unit": unit.name,
    }


def sipas_item_points(
    *, period: Period, unit_ids: Collection[int] | None = None
) -> dict[int, dict[int, Decimal]]:
    """Return {unit_id: {item_id: points}} of the items the period converts from SIPAS (of the units given, or
    all). Two queries.

    A conversion applies to the units of its item's criteria-set group; a unit without a SIPAS result gets no
    points on the item (it stays unscored rather than zero).
    """
    conversions = list(SipasConversion.objects.filter(period=period).select_related("item__criteria_set"))
    if not conversions:
        return {}
    by_group: dict[int, list[SipasConversion]] = defaultdict(list)
    for conversion in conversions:
        by_group[conversion.item.criteria_set.unit_group_id].append(conversion)
    points: dict[int, dict[int, Decimal]] = {}
    results = SipasResult.objects.filter(period=period)
    if unit_ids is not None:
        results = results.filter(unit_id__in=list(unit_ids))
    for unit_id, group_id, pct in results.values_list("unit_id", "unit__group_id", "overall_pct"):
        for conversion in by_group.get(group_id, ()):
            points.setdefault(unit_id, {})[conversion.item_id] = sipas_points(
                pct=pct, max_points=conversion.item.max_points, method=conversion.method
            )
    return points
