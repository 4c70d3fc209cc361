"""Writes to the province's national results and its targets per field; each one named operation, one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import FieldTarget, NationalFieldResult, NationalResult
from scoring.audit.services import audit_record
from scoring.formatting import format_number
from scoring.models import EvaluatingBody, Unit, User
from scoring.spreadsheets.io import RowError

from .data import (
    FieldRow,
    NationalImport,
    NationalResultsImportError,
    NationalResultsReplaceRefused,
    ResultRow,
)
from .io import default_national_total, fields_label

__all__ = [
    "FieldTargetInput",
    "NationalImportSummary",
    "NationalResultsImportError",
    "field_target_save",
    "field_targets_save",
    "national_results_import",
]

RESULT_VALUES = (
    "appraisal_points",
    "survey_points",
    "index",
    "national_rank",
    "national_total",
    "region_rank",
    "region_total",
    "region_name",
    "sipas_index",
    "sipas_rank",
)
FIELD_VALUES = ("name", "points", "max_points", "index", "rank")


@dataclass(frozen=True, slots=True)
class NationalImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    fields_created: int = 0
    fields_updated: int = 0
    fields_unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        return (
            _(
                "%(created)s năm mới, %(updated)s năm cập nhật, %(unchanged)s năm không đổi; "
                "kết quả lĩnh vực: %(fields_created)s mới, %(fields_updated)s cập nhật, %(fields_unchanged)s không đổi."
            )
            % self.as_dict()
        )


def _result_values(
    row: ResultRow, *, national_total: int | None, region_total: int | None
) -> dict[str, object]:
    """Return the values a row stores: the optional columns the file lacks keep what is stored."""
    values: dict[str, object] = {
        "appraisal_points": row.appraisal_points,
        "survey_points": row.survey_points,
        "index": row.index,
        "national_rank": row.national_rank,
        "region_rank": row.region_rank,
        # A blank total means "the usual one": the form's, else the number of provinces that year.
        "national_total": row.national_total or national_total or default_national_total(row.year),
        "region_total": row.region_total or region_total,
    }
    for column in ("region_name", "sipas_index", "sipas_rank"):
        if column in row.given:
            values[column] = getattr(row, column)
    return values


def _check_ranks(row: ResultRow, values: dict[str, object]) -> list[RowError]:
    errors = []
    checks = (
        ("national_rank", row.national_rank, values["national_total"], "national_total"),
        ("region_rank", row.region_rank, values["region_total"], "region_total"),
        ("sipas_rank", values.get("sipas_rank"), values["national_total"], "national_total"),
    )
    for column, rank, total, total_column in checks:
        if rank is not None and total is not None and rank > total:  # type: ignore[operator]
            errors.append(
                RowError(
                    row.line,
                    column,
                    _(
                        "hạng %(rank)s lớn hơn số được xếp hạng (%(total)s, cột %(total_column)s hoặc số chọn khi nhập)."
                    )
                    % {"rank": rank, "total": total, "total_column": total_column},
                )
            )
    return errors


def _changed(obj: object, values: dict[str, object]) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


@transaction.atomic
def national_results_import(
    *,
    body: EvaluatingBody,
    rows: NationalImport,
    actor: User | None = None,
    national_total: int | None = None,
    region_total: int | None = None,
    replace: bool = False,
) -> NationalImportSummary:
    """Save the province's national results, all or nothing, updating each (body, year); return what changed.

    national_total / region_total fill the rows that leave those cells blank (national_total None: 63 before
    2025, 34 from 2025). Columns the file lacks keep their stored values. A `sipas` field row also fills
    the year's SIPAS index and rank when the results table does not give them. Raises
    NationalResultsImportError, having saved nothing, when a row cannot be imported, and
    NationalResultsReplaceRefused, listing them, when rows would replace stored figures with other ones and
    `replace` (the person's explicit choice) is not given.
    """
    # Two imports into one body at once would both create the same year.
    EvaluatingBody.objects.select_for_update().get(pk=body.pk)
    existing = {r.year: r for r in NationalResult.objects.filter(body=body, year__in=rows.years)}
    errors: list[RowError] = []
    planned: dict[int, dict[str, object]] = {}
    for row in rows.results:
        values = _result_values(row, national_total=national_total, region_total=region_total)
        errors.extend(_check_ranks(row, values))
        planned[row.year] = values
    label = fields_label()
    totals = {year: values["national_total"] for year, values in planned.items()}
    for year, result in existing.items():
        totals.setdefault(year, result.national_total)
    for field in rows.fields:
        if field.year not in planned and field.year not in existing:
            errors.append(
                RowError(
                    field.line,
                    "year" + label,
                    _("năm %(year)s chưa có kết quả chung: thêm dòng năm này vào bảng kết quả.")
                    % {"year": field.year},
                )
            )
            continue
        total = totals.get(field.year)
        if field.rank is not None and total is not None and field.rank > total:  # type: ignore[operator]
            errors.append(
                RowError(
                    field.line,
                    "rank" + label,
                    _("hạng %(rank)s lớn hơn số tỉnh, thành phố được xếp hạng năm %(year)s (%(total)s).")
                    % {"rank": field.rank, "year": field.year, "total": total},
                )
            )
    if errors:
        raise NationalResultsImportError(sorted(errors, key=lambda e: (e.column.endswith(label), e.row or 0)))

    if not replace:
        refused = _replacements(existing=existing, planned=planned, rows=rows)
        if refused:
            raise NationalResultsReplaceRefused(refused)

    counts = dict.fromkeys(NationalImportSummary.__dataclass_fields__, 0)
    results: dict[int, NationalResult] = dict(existing)
    for year, values in planned.items():
        result = existing.get(year)
        if result is None:
            results[year] = NationalResult.objects.create(body=body, year=year, updated_by=actor, **values)
            counts["created"] += 1
        elif _changed(result, values):
            for name, value in values.items():
                setattr(result, name, value)
            result.updated_by = actor
            result.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    _write_fields(results=results, fields=rows.fields, actor=actor, counts=counts)
    summary = NationalImportSummary(**counts)
    audit_record(body=body, actor=actor, action="national_results_imported", note=str(summary))
    return summary


def _vn(value: object) -> str:
    return "—" if value is None else format_number(Decimal(str(value)), 2)


def _replacements(
    *, existing: dict[int, NationalResult], planned: dict[int, dict[str, object]], rows: NationalImport
) -> list[RowError]:
    """Return one error per row that would replace stored figures with other ones (unchanged rows are fine)."""
    errors = []
    line = {row.year: row.line for row in rows.results}
    for year, values in sorted(planned.items()):
        result = existing.get(year)
        if result is not None and _changed(result, values):
            errors.append(
                RowError(
                    line[year],
                    "year",
                    _(
                        "kết quả năm %(year)s đã có (chỉ số %(old)s) và sẽ bị thay bằng số trong tệp (chỉ số "
                        "%(new)s)."
                    )
                    % {"year": year, "old": _vn(result.index), "new": _vn(values["index"])},
                )
            )
    stored = {
        (f.result.year, f.field_code): f
        for f in NationalFieldResult.objects.filter(result__in=list(existing.values())).select_related(
            "result"
        )
    }
    label = fields_label()
    for field in rows.fields:
        current = stored.get((field.year, field.field_code))
        if current is not None and _changed(current, {name: getattr(field, name) for name in FIELD_VALUES}):
            errors.append(
                RowError(
                    field.line,
                    "field_code" + label,
                    _("kết quả lĩnh vực %(code)s năm %(year)s đã có và sẽ bị thay bằng số trong tệp.")
                    % {"code": field.field_code, "year": field.year},
                )
            )
    return errors


def _write_fields(
    *,
    results: dict[int, NationalResult],
    fields: Sequence[FieldRow],
    actor: User | None,
    counts: dict[str, int],
) -> None:
    stored = {
        (f.result_id, f.field_code): f
        for f in NationalFieldResult.objects.filter(result__in=[results[y] for y in {f.year for f in fields}])
    }
    for row in fields:
        result = results[row.year]
        values = {name: getattr(row, name) for name in FIELD_VALUES}
        current = stored.get((result.pk, row.field_code))
        if current is None:
            NationalFieldResult.objects.create(result=result, field_code=row.field_code, **values)
            counts["fields_created"] += 1
        elif _changed(current, values):
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
            counts["fields_updated"] += 1
        else:
            counts["fields_unchanged"] += 1
        if row.field_code == "sipas":
            _sipas_fill(result, row, actor)


def _sipas_fill(result: NationalResult, row: FieldRow, actor: User | None) -> None:
    """Copy SIPAS from its field row to the year's result where the result has none."""
    update = {}
    if result.sipas_index is None and row.index is not None:
        update["sipas_index"] = row.index
    if result.sipas_rank is None and row.rank is not None:
        update["sipas_rank"] = row.rank
    if update:
        NationalResult.objects.filter(pk=result.pk).update(updated_by=actor, **update)
        for name, value in update.items():
            setattr(result, name, value)


# --- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldTargetInput:
    """What the edit form gives for one field; target_index None removes the field's target."""

    field_code: str
    name: str
    comparison: str
    target_index: Decimal | None
    rank_best: int | None = None
    rank_worst: int | None = None
    responsible: str = ""
    responsible_unit_ids: tuple[int, ...] = ()
    basis: str = ""


@transaction.atomic
def field_target_save(
    *, body: EvaluatingBody, year: int, target: FieldTargetInput, actor: User | None = None
) -> FieldTarget | None:
    """Create, update or (target_index None) delete one field's target for the year; return it."""
    if (
        target.rank_best is not None
        and target.rank_worst is not None
        and target.rank_best > target.rank_worst
    ):
        raise ValueError(_("Thứ hạng cao nhất phải nhỏ hơn hoặc bằng thứ hạng thấp nhất."))
    current = FieldTarget.objects.filter(body=body, year=year, field_code=target.field_code).first()
    if target.target_index is None:
        if current is not None:
            audit_record(
                body=body, actor=actor, action="field_target_deleted", obj=current, field=target.field_code
            )
            current.delete()
        return None
    units = list(Unit.objects.filter(body=body, pk__in=target.responsible_unit_ids))
    if len(units) != len(set(target.responsible_unit_ids)):
        raise ValueError(_("Đơn vị chủ trì không thuộc cơ quan đánh giá này."))
    values = {
        "name": target.name,
        "comparison": target.comparison,
        "target_index": target.target_index,
        "rank_best": target.rank_best,
        "rank_worst": target.rank_worst,
        "responsible": target.responsible,
        "basis": target.basis,
        "updated_by": actor,
    }
    if (
        current is not None
        and not _changed(current, {k: v for k, v in values.items() if k != "updated_by"})
        and {u.pk for u in current.responsible_units.all()} == {u.pk for u in units}
    ):
        return current
    old = current.target_index if current is not None else None
    saved, _created = FieldTarget.objects.update_or_create(
        body=body, year=year, field_code=target.field_code, defaults=values
    )
    saved.responsible_units.set(units)
    audit_record(
        body=body,
        actor=actor,
        action="field_target_saved",
        obj=saved,
        field=target.field_code,
        old=old,
        new=saved.target_index,
    )
    return saved


@transaction.atomic
def field_targets_save(
    *, body: EvaluatingBody, year: int, targets: Iterable[FieldTargetInput], actor: User | None = None
) -> int:
    """Save the targets of every field of a year at once, all or nothing; return how many targets remain."""
    return sum(
        1
        for target in targets
        if field_target_save(body=body, year=year, target=target, actor=actor) is not None
    )
