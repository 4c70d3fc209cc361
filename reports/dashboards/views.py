"""The dashboards page: who may see what is decided here, the data comes from reports.dashboards."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reports.access import bodies_readable, may_read_body_reports, may_read_drafts, units_readable
from reports.rankings.selectors import RankingNotFound
from scoring.accounts.switcher import chosen_body_id
from scoring.evaluation.selectors import body_get_for_user

from .selectors import dashboard_get


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/rankings/rankings_not_found.html", {"message": message}, status=404)


@login_required
@require_GET
def dashboards(request: HttpRequest) -> HttpResponse:
    # A body the user has no role in is reported as missing, so its existence is not revealed.
    body = body_get_for_user(
        user=request.user, code=request.GET.get("body") or None, chosen_id=chosen_body_id(request)
    )
    if body is None:
        return _not_found(request, _("Không tìm thấy cơ quan đánh giá."))
    # The body's staff see every year (drafts too) and may chart any unit; a unit's own people see the
    # published years and chart only their own unit against its group.
    body_wide = may_read_body_reports(request.user, body)
    draft = body_wide and may_read_drafts(request.user, body)
    unit_ids = None if body_wide else set(units_readable(request.user, body).values_list("pk", flat=True))

    raw_year = request.GET.get("year", "").strip()
    year = None
    if raw_year:
        # Four digits at most: a longer number would overflow the database's year column.
        if not (raw_year.isdecimal() and len(raw_year) <= 4):
            return _not_found(request, _("Năm “%(year)s” không hợp lệ.") % {"year": raw_year})
        year = int(raw_year)
    try:
        dashboard = dashboard_get(
            body=body,
            year=year,
            group=request.GET.get("group") or None,
            unit=request.GET.get("unit") or None,
            draft=draft,
            unit_ids=unit_ids,
        )
    except RankingNotFound as exc:
        return _not_found(request, str(exc))

    query = ""
    if dashboard:
        params = {"body": dashboard.body_code, "year": dashboard.year}
        if dashboard.selected_group:
            params["group"] = dashboard.selected_group
        query = urlencode(params)
    context = {
        "body": body,
        "bodies": list(bodies_readable(request.user).order_by("name")),
        "dashboard": dashboard,
        "query": query,
    }
    return render(request, "reports/dashboards/index.html", context)
