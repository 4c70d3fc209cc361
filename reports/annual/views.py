"""The annual results report in the browser: the same report the PDF and Excel files print, with download forms."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports.access import bodies_readable, may_edit_particulars, may_read_body_reports, may_read_drafts
from reports.models import ComputedResult
from reports.papers.forms import ReportParticularsForm
from reports.papers.selectors import report_particulars_for
from reports.papers.services import EDITABLE, report_particulars_update
from reports.rankings.selectors import RankingNotFound, published_results
from scoring.accounts.switcher import chosen_body_id
from scoring.evaluation.selectors import body_get_for_user
from scoring.models import EvaluatingBody, Period

from .render import annual_report_context
from .selectors import annual_report_build


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/annual/not_found.html", {"message": message}, status=404)


def _years(body: EvaluatingBody, *, drafts: bool) -> list[int]:
    """Return the body's years with published results (and, for staff, with computed ones), newest first."""
    has_results = Q(pk__in=published_results().values("period_id"))
    if drafts:
        has_results |= Q(pk__in=ComputedResult.objects.values("period_id"))
    return list(
        Period.objects.filter(has_results, body=body).order_by("-year").values_list("year", flat=True)
    )


def _job_create_url() -> str | None:
    """Return the report job endpoint, or None while it is not wired (the page then shows no download forms)."""
    try:
        return reverse("reports:report_job_create")
    except NoReverseMatch:
        return None


def _body(request: HttpRequest, code: str) -> EvaluatingBody:
    body = body_get_for_user(user=request.user, code=code or None, chosen_id=chosen_body_id(request))
    # A body the user has no staff role in is reported as missing, so its existence is not revealed.
    if body is None or not may_read_body_reports(request.user, body):
        raise Http404(_("Không tìm thấy cơ quan đánh giá."))
    return body


def _particulars_form(body: EvaluatingBody, year: int) -> ReportParticularsForm:
    row = report_particulars_for(body=body, year=year)
    if row is None:
        return ReportParticularsForm()
    return ReportParticularsForm(initial={field: getattr(row, field) for field in EDITABLE})


@login_required
@require_GET
def annual_report(request: HttpRequest) -> HttpResponse:
    body = _body(request, request.GET.get("body", ""))
    return _report_page(request, body=body, raw_year=request.GET.get("year", "").strip())


@login_required
@require_POST
def annual_report_particulars(request: HttpRequest) -> HttpResponse:
    """Save the number, place, date, recipients and signer of the year's report (the body's admin)."""
    body = _body(request, request.POST.get("body", ""))
    raw_year = request.POST.get("year", "").strip()
    if not may_edit_particulars(request.user, body):
        raise PermissionDenied
    period = Period.objects.filter(body=body, year=int(raw_year)).first() if raw_year.isdecimal() else None
    if period is None:
        raise Http404(_("Không tìm thấy kỳ đánh giá."))
    form = ReportParticularsForm(request.POST)
    if form.is_valid():
        try:
            report_particulars_update(actor=request.user, period=period, **form.values())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field, error)
        else:
            messages.success(request, _("Đã lưu thông tin văn bản của báo cáo."))
            query = urlencode({"body": body.code, "year": period.year})
            return redirect(f"{reverse('reports:annual_report')}?{query}#thong-tin-van-ban")
    return _report_page(request, body=body, raw_year=raw_year, particulars_form=form, status=400)


def _report_page(
    request: HttpRequest,
    *,
    body: EvaluatingBody,
    raw_year: str,
    particulars_form: ReportParticularsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    drafts = may_read_drafts(request.user, body)
    years = _years(body, drafts=drafts)
    if raw_year:
        if not (raw_year.isdecimal() and len(raw_year) <= 4):
            return _not_found(request, _("Năm “%(year)s” không hợp lệ.") % {"year": raw_year})
        year = int(raw_year)
    elif years:
        year = years[0]
    else:
        return _not_found(request, _("Chưa có kết quả của cơ quan đánh giá này."))
    try:
        report = annual_report_build(body=body, year=year, draft=drafts)
    except RankingNotFound as exc:
        return _not_found(request, str(exc))
    if not report.published and not drafts:
        raise Http404(_("Kết quả năm %(year)s chưa được công bố.") % {"year": year})
    context = annual_report_context(report)
    if may_edit_particulars(request.user, body):
        context["particulars_form"] = particulars_form or _particulars_form(body, year)
    context.update(
        {
            "body": body,
            "bodies": [b for b in bodies_readable(request.user).order_by("name")],
            "years": years,
            "job_create_url": _job_create_url(),
            "formats": (("pdf", _("Tải PDF")), ("docx", _("Tải Word")), ("xlsx", _("Tải Excel"))),
        }
    )
    return render(request, "reports/annual/report.html", context, status=status)
