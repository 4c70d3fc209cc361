"""A unit's analysis page and the list of units whose analysis the reader may open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reports.access import may_read_body_reports, may_read_drafts, may_read_unit_reports, units_readable
from reports.rankings.selectors import RankingNotFound
from scoring.accounts.switcher import chosen_body_id
from scoring.evaluation.selectors import body_get_for_user
from scoring.models import EvaluatingBody, Unit

from .render import unit_analysis_context
from .selectors import unit_analysis_build, unit_year_list


def _body(request: HttpRequest) -> EvaluatingBody:
    # A body the user has no role in is reported as missing, so its existence is not revealed.
    body = body_get_for_user(
        user=request.user, code=request.GET.get("body") or None, chosen_id=chosen_body_id(request)
    )
    if body is None:
        raise Http404(_("Không tìm thấy cơ quan đánh giá."))
    return body


def _job_create_url() -> str | None:
    # The report jobs arrive in another change; until then the page shows no download buttons.
    try:
        return reverse("reports:report_job_create")
    except NoReverseMatch:
        return None


def _not_found(request: HttpRequest, message: str, context: dict | None = None) -> HttpResponse:
    return render(
        request, "reports/unit_analysis/not_found.html", {"message": message, **(context or {})}, status=404
    )


@login_required
@require_GET
def unit_analysis_index(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    units = list(units_readable(request.user, body).select_related("group").order_by("group__order", "name"))
    if len(units) == 1 and not may_read_body_reports(request.user, body):
        # A unit's own people have one analysis to read: theirs.
        url = reverse("reports:unit_analysis", kwargs={"unit_code": units[0].code})
        return redirect(f"{url}?body={body.code}")
    return render(request, "reports/unit_analysis/index.html", {"body": body, "units": units})


@login_required
@require_GET
def unit_analysis(request: HttpRequest, unit_code: str) -> HttpResponse:
    body = _body(request)
    unit = Unit.objects.filter(body=body, code=unit_code).select_related("body", "group").first()
    # Another unit's analysis is as missing as a unit that does not exist.
    if unit is None or not may_read_unit_reports(request.user, unit):
        raise Http404(_("Không tìm thấy đơn vị."))
    drafts = may_read_drafts(request.user, body)
    years = unit_year_list(unit=unit, drafts=drafts)
    context = {"body": body, "unit": unit, "years": years}
    raw_year = request.GET.get("year", "").strip()
    if raw_year:
        # Four digits at most: a longer number would overflow the database's year column.
        if not (raw_year.isdecimal() and len(raw_year) <= 4):
            return _not_found(request, _("Năm “%(year)s” không hợp lệ.") % {"year": raw_year}, context)
        year = int(raw_year)
    elif years:
        year = years[0]
    else:
        return _not_found(request, _("%(unit)s chưa có kết quả để phân tích.") % {"unit": unit.name}, context)
    try:
        analysis = unit_analysis_build(unit=unit, year=year, draft=drafts)
    except RankingNotFound as exc:
        return _not_found(request, str(exc), context)
    context.update(unit_analysis_context(analysis))
    context["job_create_url"] = _job_create_url()
    return render(request, "reports/unit_analysis/detail.html", context)
