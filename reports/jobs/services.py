"""Report jobs: ask for a report file (or a recompute), run it in the background, read and retry it.

- `report_job_request` / `report_job_create` check the request and the requester's rights, store a queued
  job (`scoring.models.Job`) and enqueue `scoring.tasks.job_run_task` once the job is committed;
- `report_job_run` claims a queued job, renders its file through the renderer of its kind with progress,
  and records the file or the error on the job;
- `report_job_retry` puts a failed job back in the queue;
- the selectors below answer which jobs, bodies, units and years a user may see or ask for.

Every page, API endpoint and download asks here; none decides on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.access import (
    bodies_readable,
    may_read_body_reports,
    may_read_drafts,
    may_read_unit_reports,
    may_recompute,
    may_see_all_jobs,
    units_readable,
)
from reports.rankings.selectors import RankingNotFound, published_results
from reports.render.files import CONTENT_TYPES, RenderedFile
from scoring.jobs import services as jobs
from scoring.jobs.registry import JobKind, job_kind_register
from scoring.models import EvaluatingBody, Job, Period, Unit, User, unit_order

from .kinds import REPORT_KINDS, ReportFormat, ReportKind

__all__ = [
    "FORMATS_BY_KIND",
    "ReportJobNotFound",
    "RequestOptions",
    "recompute_job_list",
    "report_body_list_for_user",
    "report_job_create",
    "report_job_get_for_user",
    "report_job_list_for_user",
    "report_job_may_read",
    "report_job_request",
    "report_job_retry",
    "report_job_run",
    "report_kinds_register",
    "report_request_options",
]

logger = logging.getLogger(__name__)

Kind = ReportKind
Format = ReportFormat
Status = Job.Status

# Which file each kind can be made as; a recompute makes no file.
FORMATS_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.ANNUAL: (Format.PDF, Format.DOCX, Format.XLSX),
    Kind.UNIT: (Format.PDF, Format.XLSX),
    Kind.PROVINCE_PLAN: (Format.PDF, Format.XLSX),
    Kind.UNIT_PLAN: (Format.PDF, Format.XLSX),
    Kind.RANKINGS: (Format.XLSX,),
    Kind.RECOMPUTE: (Format.NONE,),
}
UNIT_KINDS = frozenset({Kind.UNIT, Kind.UNIT_PLAN})
BODY_KINDS = frozenset({Kind.ANNUAL, Kind.RANKINGS, Kind.PROVINCE_PLAN})
# Kinds that read the results of the year's period, which must therefore exist.
PERIOD_KINDS = frozenset({Kind.ANNUAL, Kind.UNIT, Kind.RANKINGS, Kind.RECOMPUTE})


class ReportJobNotFound(LookupError):
    """The body, unit or job is not visible to the user: answered as 404, so its existence is not revealed."""


# --- asking for a report --------------------------------------------------------------------------------


def _body_for(*, actor: User, code: str) -> EvaluatingBody:
    bodies = bodies_readable(actor).order_by("name")
    if code:
        body = bodies.filter(code=code).first()
        if body is None:
            raise ReportJobNotFound(_("Không tìm thấy cơ quan đánh giá “%(code)s”.") % {"code": code})
        return body
    candidates = list(bodies[:2])
    if not candidates:
        raise ReportJobNotFound(_("Bạn chưa được phân quyền ở cơ quan đánh giá nào."))
    if len(candidates) > 1:
        raise ValidationError({"body": [_("Bạn thuộc nhiều cơ quan đánh giá; hãy chọn cơ quan.")]})
    return candidates[0]


def _year(value: object) -> int | None:
    text = str(value if value is not None else "").strip()
    # Four digits at most: a longer number would overflow the database's year column.
    if text.isdecimal() and len(text) == 4:
        return int(text)
    return None


def report_job_request(
    *,
    actor: User,
    kind: str,
    year: object,
    format: str = "",
    unit_code: str = "",
    body_code: str = "",
) -> Job:
    """Create a job from what a form or the API sent (codes and text), as `report_job_create` does.

    Raises ReportJobNotFound (body or unit not visible), ValidationError (per field: kind, year,
    unit_code, format, body) or PermissionDenied (visible but not allowed), with Vietnamese messages.
    """
    body = _body_for(actor=actor, code=(body_code or "").strip())
    errors: dict[str, list[str]] = {}
    parsed_year = _year(year)
    if parsed_year is None:
        errors["year"] = [_("Năm phải là số có bốn chữ số, ví dụ 2020.")]
    unit = None
    unit_code = (unit_code or "").strip()
    if kind in UNIT_KINDS:
        if not unit_code:
            errors["unit_code"] = [_("Hãy chọn đơn vị.")]
        else:
            unit = units_readable(actor, body).filter(code=unit_code).select_related("body").first()
            if unit is None:
                if not may_read_body_reports(actor, body):
                    # A unit's people must not learn which other units exist.
                    raise ReportJobNotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": unit_code})
                errors["unit_code"] = [_("Không có đơn vị mã “%(code)s”.") % {"code": unit_code}]
    if errors:
        # The remaining fields are checked too, so that one answer lists every mistake.
        try:
            _check(body=body, kind=kind, format=format, year=parsed_year, unit=unit)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, messages)
        raise ValidationError(errors)
    return report_job_create(actor=actor, body=body, kind=kind, format=format, year=parsed_year, unit=unit)


def _check(
    *, body: EvaluatingBody, kind: str, format: str, year: int | None, unit: Unit | None
) -> Period | None:
    """Return the year's period (None if it has none); ValidationError per field for a request that cannot be made."""
    errors: dict[str, list[str]] = {}
    if kind not in FORMATS_BY_KIND:
        errors["kind"] = [_("Loại báo cáo không hợp lệ.")]
    elif format not in FORMATS_BY_KIND[kind]:
        if kind == Kind.RECOMPUTE:
            errors["format"] = [_("Tính lại kết quả không tạo tệp; hãy bỏ trống định dạng.")]
        else:
            allowed = ", ".join(Format(f).label for f in FORMATS_BY_KIND[kind])
            errors["format"] = [
                _("%(kind)s chỉ tạo được dạng %(allowed)s.") % {"kind": Kind(kind).label, "allowed": allowed}
            ]
    period = None
    if year is not None:
        period = Period.objects.filter(body=body, year=year).first()
        if period is None and kind in PERIOD_KINDS:
            errors["year"] = [_("Không có kỳ đánh giá năm %(year)s.") % {"year": year}]
    if kind in UNIT_KINDS and unit is None:
        errors.setdefault("unit_code", [_("Hãy chọn đơn vị.")])
    if unit is not None and unit.body_id != body.pk:
        errors["unit_code"] = [_("Đơn vị không thuộc cơ quan đánh giá này.")]
    if errors:
        raise ValidationError(errors)
    return period


def _check_permission(
    *, actor: User, body: EvaluatingBody, kind: str, year: int, unit: Unit | None, period: Period | None
) -> bool:
    """Return whether the job may show drafts; raise ReportJobNotFound or PermissionDenied when refused."""
    drafts = may_read_drafts(actor, body)
    if kind == Kind.RECOMPUTE:
        if not may_recompute(actor, body):
            raise PermissionDenied(_("Chỉ quản trị của cơ quan đánh giá được tính lại kết quả."))
        return drafts
    if kind in BODY_KINDS:
        if not may_read_body_reports(actor, body):
            raise PermissionDenied(_("Bạn không có quyền xem báo cáo chung của cơ quan đánh giá này."))
        return drafts
    if unit is None or not may_read_unit_reports(actor, unit):
        raise ReportJobNotFound(_("Không tìm thấy đơn vị."))
    # A unit plan reads published figures only (of the year before); the analysis of an unpublished year
    # would show draft figures, which are for the body's staff.
    if kind == Kind.UNIT and not drafts:
        published = period is not None and published_results().filter(period=period, unit=unit).exists()
        if not published:
            raise PermissionDenied(
                _("Kết quả năm %(year)s của %(unit)s chưa được công bố; chưa thể tạo báo cáo.")
                % {"year": year, "unit": unit.name}
            )
    return drafts


@transaction.atomic
def report_job_create(
    *,
    actor: User,
    body: EvaluatingBody,
    kind: str,
    format: str,
    year: int,
    unit: Unit | None = None,
) -> Job:
    """Store a queued job for the report asked for and enqueue it once committed.

    Raises ValidationError (per field), ReportJobNotFound (body or unit not visible: 404) or
    PermissionDenied (403), each with a Vietnamese message.
    """
    format = format or ""
    if not bodies_readable(actor).filter(pk=body.pk).exists():
        # Checked before the request itself, so that no answer tells an outsider anything about the body.
        raise ReportJobNotFound(_("Không tìm thấy cơ quan đánh giá."))
    if kind not in UNIT_KINDS:
        unit = None
    period = _check(body=body, kind=kind, format=format, year=year, unit=unit)
    drafts = _check_permission(actor=actor, body=body, kind=kind, year=year, unit=unit, period=period)
    job = Job.objects.create(
        body=body,
        kind=kind,
        format=format,
        period=period,
        year=year,
        unit=unit,
        params={"draft": drafts},
        requested_by=actor,
    )
    jobs.job_enqueue(job)
    return job


# --- running --------------------------------------------------------------------------------------------


def _rankings_render(*, job: Job, draft: bool, progress: Callable[[int, str], None]) -> RenderedFile:
    from reports.render.xlsx import rankings_workbook
    from reports.results.selectors import results_table

    progress(20, _("Đang đọc kết quả xếp hạng"))
    table = results_table(body=job.body, year=job.year, draft=draft)
    progress(60, _("Đang ghi tệp Excel"))
    content = rankings_workbook(table=table)
    draft_suffix = "" if table.published else "-du-thao"
    return RenderedFile(
        content=content,
        filename=f"xep-hang-{job.body.code}-{job.year}{draft_suffix}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
    )


def _render(job: Job, progress: Callable[[int, str], None]) -> RenderedFile | str:
    """Return the job's file, or for a recompute the sentence that sums it up."""
    draft = bool(job.params.get("draft"))
    if job.kind == Kind.ANNUAL:
        from reports.annual.render import annual_report_render

        return annual_report_render(
            body=job.body, year=job.year, format=job.format, draft=draft, progress=progress
        )
    if job.kind == Kind.UNIT:
        from reports.unit_analysis.render import unit_analysis_render

        return unit_analysis_render(
            unit=job.unit, year=job.year, format=job.format, draft=draft, progress=progress
        )
    if job.kind == Kind.PROVINCE_PLAN:
        from reports.plans.render import province_plan_render

        return province_plan_render(body=job.body, year=job.year, format=job.format, progress=progress)
    if job.kind == Kind.UNIT_PLAN:
        from reports.plans.render import unit_plan_render

        return unit_plan_render(unit=job.unit, year=job.year, format=job.format, progress=progress)
    if job.kind == Kind.RANKINGS:
        return _rankings_render(job=job, draft=draft, progress=progress)
    if job.kind == Kind.RECOMPUTE:
        from reports.results.services import period_results_recompute

        period = job.period or Period.objects.get(body=job.body, year=job.year)
        summary = period_results_recompute(period=period, progress=progress)
        return _("Đã tính lại kết quả của %(units)s đơn vị năm %(year)s.") % {
            "units": summary.units,
            "year": period.year,
        }
    raise ValueError(_("Loại báo cáo không hợp lệ."))


def report_job_run(job: Job) -> bool:
    """Claim a queued job and run it; return False when it was not queued (taken by another worker, or gone)."""
    if not jobs.job_claim(job, progress=0, note=_("Đang bắt đầu")):
        return False
    report_job_execute(job)
    return True


def report_job_execute(job: Job) -> None:
    """Render a claimed job's file (or recompute) with progress, and record the file or the error on the job."""
    try:
        result = _render(job, jobs.job_progress_writer(job))
    except (RankingNotFound, ValueError) as exc:
        # Nothing to report (no results, no period…): the renderer's own Vietnamese message says why.
        if type(exc) is ValueError:
            # A bare ValueError may as well be a bug (zip, int()…): keep its trace for the maintainers.
            logger.exception("report job %s (%s) failed", job.pk, job.kind)
        jobs.job_fail(job, error=str(exc) or _("Không tạo được báo cáo."))
        return
    except Exception:
        # Recorded on the job, so the page stops polling and says so, instead of waiting forever.
        logger.exception("report job %s (%s) failed", job.pk, job.kind)
        jobs.job_fail(job, error=_("Lỗi hệ thống khi tạo báo cáo; hãy thử lại hoặc báo quản trị hệ thống."))
        return
    if isinstance(result, RenderedFile):
        # The stored name is random; the reader gets `filename` on download.
        jobs.job_file_store(
            job, folder="reports", filename=result.filename, content=ContentFile(result.content)
        )
        jobs.job_finish(job, file=job.file.name, filename=result.filename, progress_note=_("Hoàn thành"))
    else:
        jobs.job_finish(job, progress_note=str(result)[:200])


@transaction.atomic
def report_job_retry(*, job: Job, actor: User) -> Job:
    """Put a failed job back in the queue, for its requester or an administrator of its body."""
    if not report_job_may_read(user=actor, job=job):
        raise ReportJobNotFound(_("Không tìm thấy yêu cầu báo cáo."))
    if job.requested_by_id != actor.pk and not may_see_all_jobs(actor, job.body):
        raise PermissionDenied(_("Chỉ người yêu cầu hoặc quản trị cơ quan đánh giá được chạy lại báo cáo."))
    if not jobs.job_retry_reset(job):
        raise ValidationError(_("Chỉ chạy lại được yêu cầu đã bị lỗi."))
    return job


# --- reading --------------------------------------------------------------------------------------------


def report_body_list_for_user(*, user: User) -> list[EvaluatingBody]:
    return list(bodies_readable(user).order_by("name"))


def report_job_list_for_user(*, user: User, body: EvaluatingBody, limit: int = 20) -> list[Job]:
    """Return the latest jobs of the body the user asked for; an administrator of the body sees all of them."""
    found = Job.objects.filter(body=body, kind__in=REPORT_KINDS).select_related("unit", "requested_by")
    if not may_see_all_jobs(user, body):
        found = found.filter(requested_by=user)
    return list(found[:limit])


def report_job_may_read(*, user: User, job: Job) -> bool:
    """Return whether the user may see the job and its file: asked again at every download.

    The requester, or an administrator of the body; and only while they may still read what it reports.
    """
    if not user.is_authenticated or job.kind not in REPORT_KINDS:
        return False
    admin = may_see_all_jobs(user, job.body)
    if job.requested_by_id != user.pk and not admin:
        return False
    if admin:
        return True
    if job.kind in UNIT_KINDS:
        allowed = job.unit is not None and may_read_unit_reports(user, job.unit)
    else:
        allowed = may_read_body_reports(user, job.body)
    if allowed and job.params.get("draft"):
        allowed = may_read_drafts(user, job.body)
    return allowed


def report_job_get_for_user(*, user: User, pk: int) -> Job:
    """Return the job if the user may read it; ReportJobNotFound otherwise (also for another body's job)."""
    if not user.is_authenticated:
        raise ReportJobNotFound(_("Không tìm thấy yêu cầu báo cáo."))
    job = (
        Job.objects.filter(pk=pk, kind__in=REPORT_KINDS, body__in=bodies_readable(user))
        .select_related("body", "unit__body", "requested_by")
        .first()
    )
    if job is None or not report_job_may_read(user=user, job=job):
        raise ReportJobNotFound(_("Không tìm thấy yêu cầu báo cáo."))
    return job


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """What the user may ask for in a body: the kinds, units and years the request form offers."""

    kinds: list[tuple[str, str]]
    units: list[Unit]
    years: list[int]
    may_recompute: bool


def report_request_options(*, user: User, body: EvaluatingBody) -> RequestOptions:
    body_wide = may_read_body_reports(user, body)
    units = list(units_readable(user, body).order_by(*unit_order()))
    kinds = []
    for value, label in Kind.choices:
        if value == Kind.RECOMPUTE:
            continue
        if (value in BODY_KINDS and body_wide) or (value in UNIT_KINDS and units):
            kinds.append((value, label))
    years = list(Period.objects.filter(body=body).order_by("-year").values_list("year", flat=True))
    return RequestOptions(kinds=kinds, units=units, years=years, may_recompute=may_recompute(user, body))


def recompute_job_list(*, body: EvaluatingBody) -> dict[int, Job]:
    """Return {year: the latest recompute job} of the body."""
    latest: dict[int, Job] = {}
    for job in Job.objects.filter(body=body, kind=Kind.RECOMPUTE).order_by("-created_at", "-id"):
        latest.setdefault(job.year, job)
    return latest


def _may_read(user: User, job: Job) -> bool:
    return bodies_readable(user).filter(pk=job.body_id).exists() and report_job_may_read(user=user, job=job)


def report_kinds_register() -> None:
    """Register every report kind with the job runner (called from ReportsConfig.ready)."""
    for value, label in Kind.choices:
        job_kind_register(
            JobKind(
                kind=value,
                label=label,
                run=report_job_execute,
                may_read=_may_read,
                page_url=lambda job: reverse("reports:report_job_detail", args=[job.pk]),
                download_url=lambda job: reverse("reports:report_job_download", args=[job.pk]),
                start_note=gettext_lazy("Đang bắt đầu"),
                retry_allowed=True,
            )
        )
