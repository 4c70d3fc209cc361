"""The rankings page and its Excel download: parse the query, call the selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reports.access import bodies_readable
from reports.render.xlsx import XLSX_CONTENT_TYPE, rankings_workbook
from scoring.accounts.switcher import chosen_body_id
from scoring.evaluation.selectors import body_get_for_user
from scoring.models import EvaluatingBody

from . import selectors


def _resolve(request: HttpRequest) -> tuple[EvaluatingBody, list[int], selectors.RankingTable | None]:
    """Return the body, its years with results and the asked (or latest) year's table."""
    # Published results are public decisions: any role in the body may read them. A body the
    # user has no role in is reported as missing, so its existence is not revealed.
    body = body_get_for_user(
        user=request.user, code=request.GET.get("body") or None, chosen_id=chosen_body_id(request)
    )
    if body is None:
        raise selectors.RankingNotFound(_("Không tìm thấy cơ quan đánh giá."))
    years = selectors.ranking_year_list(body=body)
    raw_year = request.GET.get("year", "").strip()
    if raw_year:
        # Four digits at most: a longer number would overflow the database's year column.
        if not (raw_year.isdecimal() and len(raw_year) <= 4):
            raise selectors.RankingNotFound(_("Năm “%(year)s” không hợp lệ.") % {"year": raw_year})
        year = int(raw_year)
    elif years:
        year = years[0]
    else:
        return body, years, None
    table = selectors.ranking_table(body=body, year=year, group=request.GET.get("group") or None)
    return body, years, table


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/rankings/rankings_not_found.html", {"message": message}, status=404)


def _query(table: selectors.RankingTable) -> str:
    params = {"body": table.body_code, "year": table.year}
    if table.selected_group:
        params["group"] = table.selected_group
    return urlencode(params)


@login_required
@require_GET
def rankings(request: HttpRequest) -> HttpResponse:
    try:
        body, years, table = _resolve(request)
    except selectors.RankingNotFound as exc:
        return _not_found(request, str(exc))
    context = {
        "body": body,
        "bodies": list(bodies_readable(request.user).order_by("name")),
        "years": years,
        "table": table,
        "query": _query(table) if table else "",
    }
    return render(request, "reports/rankings/rankings.html", context)


@login_required
@require_GET
def rankings_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        body, _years, table = _resolve(request)
    except selectors.RankingNotFound as exc:
        return _not_found(request, str(exc))
    if table is None:
        return _not_found(request, _("Chưa có kết quả đã công bố."))
    response = HttpResponse(rankings_workbook(table=table), content_type=XLSX_CONTENT_TYPE)
    suffix = f"-{table.selected_group}" if table.selected_group else ""
    filename = f"xep-hang-{body.code}-{table.year}{suffix}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
