"""Writes to published results; each function is one named operation in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from reports.models import PublicationDecision, PublishedFieldResult, PublishedResult
from scoring import calc
from scoring.evaluation.services import code_from_name, period_get_or_create, unit_group_get_or_create
from scoring.formatting import format_number, format_percent
from scoring.jobs import services as jobs
from scoring.jobs.registry import JobKind, job_kind_register
from scoring.models import EvaluatingBody, Job, Period, Unit, UnitGroup, User

from . import io as published_io
from .data import PublishedResultsImportError, PublishedResultsReplaceRefused, PublishedRow
from .io import RowError, name_key
from .selectors import IMPORT_KIND, import_body_list_for_user

__all__ = [
    "ImportSummary",
    "PublishedResultsImportError",
    "import_job_create",
    "import_job_run",
    "import_kind_register",
    "published_results_import",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    groups_created: int = 0
    units_created: int = 0
    periods_created: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        return (
            _(
                "%(created)s kết quả mới, %(updated)s kết quả cập nhật, %(unchanged)s kết quả không đổi; "
                "tạo mới %(groups_created)s nhóm đơn vị, %(units_created)s đơn vị, %(periods_created)s kỳ đánh giá."
            )
            % self.as_dict()
        )


# --- planning: decide what each row refers to, before writing anything ---------------------------


@dataclass(slots=True)
class _NewUnit:
    code: str
    name: str
    group_key: str
    unit: Unit | None = None  # set once written


@dataclass(slots=True)
class _Plan:
    # Group value of the file (name key) -> existing group, or the code of the group to create.
    groups: dict[str, UnitGroup | str] = field(default_factory=dict)
    new_group_names: dict[str, str] = field(default_factory=dict)  # code -> name as first written
    # Row line -> existing unit or unit to create.
    units: dict[int, Unit | _NewUnit] = field(default_factory=dict)
    new_units: list[_NewUnit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _plan_groups(*, body: EvaluatingBody, rows: Sequence[PublishedRow], plan: _Plan) -> None:
    existing = list(UnitGroup.objects.filter(body=body))
    by_code = {g.code: g for g in existing}
    by_name = {name_key(g.name): g for g in existing}
    for row in rows:
        key = name_key(row.group)
        if key in plan.groups:
            continue
        code = code_from_name(row.group)
        # The same order as unit_group_get_or_create: the value as a code, as a name, then its slug.
        match = by_code.get(row.group) or by_name.get(key) or by_code.get(code)
        if match:
            plan.groups[key] = match
        else:
            plan.groups[key] = code
            plan.new_group_names.setdefault(code, row.group)


def _unique_code(base: str, taken: set[str]) -> str:
    code, n = base, 1
    while code in taken:
        n += 1
        suffix = f"-{n}"
        code = base[: 80 - len(suffix)] + suffix
    taken.add(code)
    return code


def _plan_units(*, body: EvaluatingBody, rows: Sequence[PublishedRow], plan: _Plan) -> None:
    existing = list(Unit.objects.filter(body=body).order_by("code"))
    by_code = {u.code: u for u in existing}
    by_name: dict[str, list[Unit]] = {}
    for unit in existing:
        by_name.setdefault(name_key(unit.name), []).append(unit)
    taken = set(by_code)
    new_by_code: dict[str, _NewUnit] = {}
    new_by_name: dict[str, _NewUnit] = {}

    def new_unit(code: str, row: PublishedRow) -> _NewUnit:
        unit = _NewUnit(code=code, name=row.unit_name, group_key=name_key(row.group))
        plan.new_units.append(unit)
        new_by_name.setdefault(name_key(row.unit_name), unit)
        return unit

    # Rows with a code first, so that a row naming the same unit by name alone finds it.
    for row in (r for r in rows if r.unit_code):
        if row.unit_code in by_code:
            plan.units[row.line] = by_code[row.unit_code]
        elif row.unit_code in new_by_code:
            plan.units[row.line] = new_by_code[row.unit_code]
        else:
            taken.add(row.unit_code)
            new_by_code[row.unit_code] = plan.units[row.line] = new_unit(row.unit_code, row)
    for row in (r for r in rows if not r.unit_code):
        key = name_key(row.unit_name)
        matches = by_name.get(key, [])
        if len(matches) > 1:
            plan.errors.append(
                RowError(
                    row.line,
                    "unit_name",
                    _("có %(n)s đơn vị cùng tên «%(name)s» (mã %(codes)s); hãy thêm cột unit_code để chỉ rõ.")
                    % {"n": len(matches), "name": row.unit_name, "codes": ", ".join(u.code for u in matches)},
                )
            )
        elif matches:
            plan.units[row.line] = matches[0]
        elif key in new_by_name:
            plan.units[row.line] = new_by_name[key]
        else:
            plan.units[row.line] = new_unit(_unique_code(code_from_name(row.unit_name), taken), row)


def _plan(*, body: EvaluatingBody, rows: Sequence[PublishedRow]) -> _Plan:
    plan = _Plan()
    _plan_groups(body=body, rows=rows, plan=plan)
    _plan_units(body=body, rows=rows, plan=plan)
    # A row by code and a row by name may turn out to be one unit; the file check cannot see that.
    first: dict[tuple[int, int], int] = {}
    for row in sorted(rows, key=lambda r: r.line):
        unit = plan.units.get(row.line)
        if unit is None:
            continue
        key = (row.year, id(unit))
        if key in first:
            plan.errors.append(
                RowError(
                    row.line,
                    "unit_name",
                    _("đơn vị «%(unit)s» năm %(year)s đã có ở dòng %(first)s.")
                    % {"unit": row.unit_name, "year": row.year, "first": first[key]},
                )
            )
        else:
            first[key] = row.line
    return plan


def _check_classification(*, row: PublishedRow, bands: Sequence[calc.Band]) -> RowError | None:
    if not row.classification:
        return None
    band = calc.classify(row.index, bands)
    if name_key(row.classification) in {name_key(band.label), name_key(band.code)}:
        return None
    return RowError(
        row.line,
        "classification",
        _(
            "xếp loại đã công bố «%(published)s» khác xếp loại «%(computed)s» tính theo các mức xếp loại "
            "của năm %(year)s (chỉ số %(index)s); hãy kiểm tra các mức xếp loại của kỳ đánh giá."
        )
        % {
            "published": row.classification,
            "computed": band.label,
            "year": row.year,
            "index": format_percent(row.index),
        },
    )


def _fields_differ(result: PublishedResult, row: PublishedRow) -> bool:
    stored = {(f.field_code, f.points, f.max_points) for f in result.fields.all()}
    return stored != {(f.code, f.points, f.max_points) for f in row.fields}


def _write_fields(*, result: PublishedResult, row: PublishedRow) -> None:
    result.fields.all().delete()
    PublishedFieldResult.objects.bulk_create(
        PublishedFieldResult(result=result, field_code=f.code, points=f.points, max_points=f.max_points)
        for f in row.fields
    )


def _vn(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value, 2)


def _replacements(
    *, rows: Sequence[PublishedRow], plan: _Plan, existing: dict[tuple[int, int], PublishedResult]
) -> list[RowError]:
    """Return one error per row that would change a result imported before (unchanged rows are fine)."""
    errors = []
    for row in rows:
        unit = plan.units.get(row.line)
        result = existing.get((row.year, unit.pk)) if isinstance(unit, Unit) else None
        if result is None:
            continue
        group = plan.groups.get(name_key(row.group))
        figures = {
            "appraisal_points": row.appraisal_points,
            "survey_points": row.survey_points,
            "max_points": row.max_points,
            "published_index": row.published_index,
        }
        changed = (
            any(getattr(result, name) != value for name, value in figures.items())
            or not isinstance(group, UnitGroup)
            or group.pk != result.unit_group_id
            or (bool(row.fields) and _fields_differ(result, row))
        )
        if changed:
            errors.append(
                RowError(
                    row.line,
                    "unit_name",
                    _(
                        "kết quả năm %(year)s của «%(unit)s» đã nhập trước đó (chỉ số %(old)s) sẽ bị thay bằng "
                        "số trong tệp (chỉ số %(new)s)."
                    )
                    % {
                        "year": row.year,
                        "unit": row.unit_name,
                        "old": _vn(result.published_index),
                        "new": _vn(row.published_index),
                    },
                )
            )
    return errors


@transaction.atomic
def published_results_import(
    *, body: EvaluatingBody, rows: Sequence[PublishedRow], actor: User | None = None, replace: bool = False
) -> ImportSummary:
    """Save published results of earlier years, all or nothing; return what changed.

    Raises PublishedResultsImportError, having saved nothing, when a row cannot be imported, and
    PublishedResultsReplaceRefused, listing them, when rows would replace results imported before with other
    figures and `replace` (the person's explicit choice) is not given. A row without per-field columns keeps
    the fields already stored; a row with them replaces them.
    """
    # Two imports into one body at once would both create the same new units.
    EvaluatingBody.objects.select_for_update().get(pk=body.pk)
    plan = _plan(body=body, rows=rows)

    years = sorted({r.year for r in rows})
    existing = {
        (r.period.year, r.unit_id): r
        for r in PublishedResult.objects.filter(period__body=body, period__year__in=years)
        .select_related("period")
        .prefetch_related("fields")
    }
    errors = list(plan.errors)
    # A year published by a decision in the system is final: a file may not publish over it, not even for a unit
    # the decision left out (a correction is a reopening and an amending decision).
    decided = dict(
        PublicationDecision.objects.filter(
            period__body=body, period__year__in=years, amends__isnull=True
        ).values_list("period__year", "number")
    )
    for row in rows:
        if row.year in decided:
            errors.append(
                RowError(
                    row.line,
                    "year",
                    _(
                        "kết quả năm %(year)s đã được công bố theo %(number)s trong hệ thống; không nhập kết quả "
                        "từ tệp cho năm này. Muốn sửa, Hội đồng thẩm định mở lại hồ sơ rồi ban hành quyết định "
                        "sửa đổi."
                    )
                    % {"year": row.year, "number": decided[row.year]},
                )
            )
    for row in rows:
        unit = plan.units.get(row.line)
        result = existing.get((row.year, unit.pk)) if isinstance(unit, Unit) else None
        if result is not None and result.source != PublishedResult.Source.IMPORT:
            errors.append(
                RowError(
                    row.line,
                    "unit_name",
                    _(
                        "kết quả năm %(year)s của «%(unit)s» đã có từ thẩm định trong hệ thống; không ghi đè bằng tệp."
                    )
                    % {"year": row.year, "unit": row.unit_name},
                )
            )
    if errors:
        raise PublishedResultsImportError(sorted(errors, key=lambda e: e.row or 0))
    if not replace:
        refused = _replacements(rows=rows, plan=plan, existing=existing)
        if refused:
            raise PublishedResultsReplaceRefused(refused)

    # The classification check needs the bands a new period starts with, so the periods come first;
    # a wrong classification then rolls them back with the rest of this transaction.
    periods: dict[int, Period] = {}
    periods_created = 0
    for year in years:
        periods[year], created = period_get_or_create(body=body, year=year, opened=True)
        periods_created += created
    bands = {year: [b.as_band() for b in period.bands.all()] for year, period in periods.items()}
    errors = [e for row in rows if (e := _check_classification(row=row, bands=bands[row.year]))]
    if errors:
        raise PublishedResultsImportError(errors)

    groups: dict[str, UnitGroup] = {}
    groups_created = 0
    for key, target in plan.groups.items():
        if isinstance(target, UnitGroup):
            groups[key] = target
            continue
        group, created = unit_group_get_or_create(body=body, name=plan.new_group_names[target], code=target)
        groups[key] = group
        groups_created += created
    last_place: dict[int, int] = {}
    for new in plan.new_units:
        group = groups[new.group_key]
        if group.pk not in last_place:
            last_place[group.pk] = Unit.objects.filter(group=group).aggregate(last=Max("order"))["last"] or 0
        last_place[group.pk] += 1
        new.unit = Unit.objects.create(
            body=body, code=new.code, name=new.name, group=group, order=last_place[group.pk]
        )

    created = updated = unchanged = 0
    for row in rows:
        target = plan.units[row.line]
        unit = target if isinstance(target, Unit) else target.unit
        period, group = periods[row.year], groups[name_key(row.group)]
        values = {
            "unit_group_id": group.pk,
            "appraisal_points": row.appraisal_points,
            "survey_points": row.survey_points,
            "max_points": row.max_points,
            "published_index": row.published_index,
        }
        result = existing.get((row.year, unit.pk))
        if result is None:
            result = PublishedResult.objects.create(
                period=period, unit=unit, source=PublishedResult.Source.IMPORT, created_by=actor, **values
            )
            _write_fields(result=result, row=row)
            created += 1
            continue
        # Decimal compares by value: 62.3 in the file equals 62.3000 in the database.
        changed = [name for name, value in values.items() if getattr(result, name) != value]
        fields_changed = bool(row.fields) and _fields_differ(result, row)
        if not changed and not fields_changed:
            unchanged += 1
            continue
        for name in changed:
            setattr(result, name, values[name])
        if changed:
            result.save(update_fields=changed)
        if fields_changed:
            _write_fields(result=result, row=row)
        updated += 1
    return ImportSummary(
        created=created,
        updated=updated,
        unchanged=unchanged,
        groups_created=groups_created,
        units_created=len(plan.new_units),
        periods_created=periods_created,
    )


# --- background import of an uploaded file ------------------------------------------------------


@transaction.atomic
def import_job_create(
    *,
    body: EvaluatingBody,
    upload: UploadedFile,
    year: int | None = None,
    actor: User | None = None,
    replace: bool = False,
) -> Job:
    """Store the uploaded file as a queued job and enqueue its import once the job is committed.

    `replace` is the person's explicit choice to replace results imported before; the job's params carry it.
    """
    job = Job(
        body=body,
        kind=IMPORT_KIND,
        original_filename=(upload.name or "")[:255],
        year=year,
        params={"replace": bool(replace)},
        requested_by=actor,
    )
    jobs.job_file_store(job, folder="imports", filename=upload.name or "tep", content=upload)
    job.save()
    jobs.job_enqueue(job)
    return job


def import_job_run(*, job: Job, replace: bool | None = None) -> None:
    """Claim a queued import job and run it; a job already taken does nothing.

    `replace` overrides the choice stored on the job (a message queued by the old task carried it).
    """
    if replace is not None and bool(job.params.get("replace")) != replace:
        job.params = job.params | {"replace": replace}
        Job.objects.filter(pk=job.pk).update(params=job.params)
    if jobs.job_claim(job, progress=10):
        import_job_execute(job)


def import_job_execute(job: Job) -> None:
    """Run a claimed import job: parse, import, and record the summary or the errors on the job.

    Not atomic as a whole: the job's own status must be visible while the import runs, and stay
    recorded when the import fails and is rolled back.
    """
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
        rows = published_io.parse_published_results(
            content=content, filename=job.original_filename, default_year=job.year
        )
        Job.objects.filter(pk=job.pk).update(progress=40)
        summary = published_results_import(
            body=job.body, rows=rows, actor=job.requested_by, replace=bool(job.params.get("replace"))
        )
    except PublishedResultsImportError as exc:
        # The page tells a refused replacement apart: it asks for the explicit choice, not a corrected file.
        flag = {"would_replace": True} if isinstance(exc, PublishedResultsReplaceRefused) else {}
        errors = [e.as_dict() | {"text": str(e)} | flag for e in exc.errors]
        jobs.job_fail(job, progress=100, errors=errors, summary={})
    except Exception:
        # Recorded on the job, so the page stops polling and says so, instead of waiting forever.
        logger.exception("import job %s failed", job.pk)
        message = _("Lỗi hệ thống khi nhập tệp; chưa lưu gì. Hãy thử lại hoặc báo quản trị hệ thống.")
        jobs.job_fail(
            job, progress=100, errors=[RowError(None, "", message).as_dict() | {"text": message}], summary={}
        )
    else:
        jobs.job_finish(job, summary=summary.as_dict(), errors=[])


def summary_text(summary: dict[str, int]) -> str:
    """Return a stored summary (ImportSummary.as_dict) as a Vietnamese sentence."""
    return str(ImportSummary(**{k: v for k, v in summary.items() if k in ImportSummary.__dataclass_fields__}))


def _may_read(user: User, job: Job) -> bool:
    return import_body_list_for_user(user=user).filter(pk=job.body_id).exists()


def import_kind_register() -> None:
    """Register the import of published results with the job runner (called from ReportsConfig.ready)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    job_kind_register(
        JobKind(
            kind=IMPORT_KIND,
            label=gettext_lazy("Nhập kết quả đã công bố"),
            run=import_job_execute,
            may_read=_may_read,
            page_url=lambda job: reverse("reports:import_job_detail", args=[job.pk]),
            start_progress=10,
            status_labels={Job.Status.FAILED: gettext_lazy("Có lỗi, chưa lưu gì")},
        )
    )
