"""Pages of the province's own index: the history of its national results, their import, and targets per field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reports.access import may_manage_province
from reports.render.series_charts import line_chart
from reports.render.xlsx import XLSX_CONTENT_TYPE
from scoring.accounts.switcher import chosen_body_id
from scoring.evaluation.selectors import body_get_for_user
from scoring.models import EvaluatingBody

from . import io as province_io
from . import selectors as province_selectors
from . import services as province_services
from .data import NationalResultsImportError, NationalResultsReplaceRefused
from .forms import FieldTargetFormSet, NationalResultsUploadForm
from .io import YEAR_MAX, YEAR_MIN


def _body(request: HttpRequest) -> EvaluatingBody:
    """Return the body asked for (or the user's first); 404 for a body the user has no role in."""
    code = request.POST.get("body") or request.GET.get("body") or None
    body = body_get_for_user(user=request.user, code=code, chosen_id=chosen_body_id(request))
    if body is None:
        raise Http404
    return body


def _admin_body(request: HttpRequest) -> EvaluatingBody:
    """Return the body if the user administers it: 404 outside the body, 403 for its other people."""
    body = _body(request)
    if not may_manage_province(request.user, body):
        raise PermissionDenied
    return body


def _year(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    return year


def _charts(history: province_selectors.History) -> dict[str, str]:
    years = [str(r.result.year) for r in history.rows]
    charts = {}
    if history.rows:
        charts["index"] = line_chart(
            years,
            [(_("Chỉ số CCHC (%)"), [r.result.index for r in history.rows])],
            title=_("Chỉ số CCHC của tỉnh qua các năm"),
        )
        charts["rank"] = line_chart(
            years,
            [(_("Xếp hạng cả nước"), [r.result.national_rank for r in history.rows])],
            invert_y=True,
            y_min=1,
            title=_("Xếp hạng của tỉnh trong cả nước qua các năm (hạng 1 ở trên cùng)"),
        )
    if history.field_lines and len(history.field_years) > 0:
        charts["fields"] = line_chart(
            [str(y) for y in history.field_years],
            [
                (f"{line.code}" if line.code != "sipas" else "SIPAS", line.ranks)
                for line in history.field_lines
            ],
            invert_y=True,
            y_min=1,
            width=960,
            height=360,
            title=_("Xếp hạng theo lĩnh vực qua các năm (hạng 1 ở trên cùng)"),
        )
    return charts


@login_required
@require_GET
def province_history(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    history = province_selectors.province_history(body=body)
    latest = history.latest
    context = {
        "body": body,
        "history": history,
        "charts": _charts(history),
        "is_admin": may_manage_province(request.user, body),
        "next_year": (latest.year + 1) if latest else None,
    }
    return render(request, "reports/province/history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def province_import(request: HttpRequest) -> HttpResponse:
    body = _admin_body(request)
    form = NationalResultsUploadForm(request.POST or None, request.FILES or None)
    errors: list = []
    would_replace = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload, fields_upload = data["file"], data.get("fields_file")
        try:
            rows = province_io.parse_national_results(
                content=upload.read(),
                filename=upload.name,
                fields_content=fields_upload.read() if fields_upload else None,
                fields_filename=fields_upload.name if fields_upload else "",
            )
            summary = province_services.national_results_import(
                body=body,
                rows=rows,
                actor=request.user,
                national_total=data.get("national_total"),
                region_total=data.get("region_total"),
                replace=data.get("replace", False),
            )
        except NationalResultsImportError as exc:
            errors = list(exc.errors)
            would_replace = isinstance(exc, NationalResultsReplaceRefused)
        else:
            messages.success(request, _("Đã nhập kết quả: %(summary)s") % {"summary": summary})
            return redirect(f"{reverse('reports:province_history')}?body={body.code}")
    context = {
        "body": body,
        "form": form,
        "errors": errors,
        "would_replace": would_replace,
        "result_columns": province_io.RESULT_COLUMN_HELP,
        "field_columns": province_io.FIELD_COLUMN_HELP,
        "fields_sheet": province_io.FIELDS_SHEET,
    }
    return render(request, "reports/province/import.html", context, status=400 if errors else 200)


@login_required
@require_GET
def province_import_template(request: HttpRequest) -> HttpResponse:
    _admin_body(request)
    table = request.GET.get("table", "")
    if request.GET.get("format") == "csv":
        if table == "fields":
            content, filename = province_io.template_fields_csv(), "mau-ket-qua-linh-vuc.csv"
        else:
            content, filename = province_io.template_results_csv(), "mau-ket-qua-chi-so-tinh.csv"
        # The BOM makes Excel open the file as UTF-8, so the diacritics survive.
        response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(province_io.template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        filename = "mau-ket-qua-chi-so-tinh.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def province_targets(request: HttpRequest, year: int) -> HttpResponse:
    body = _body(request)
    page = province_selectors.province_targets(body=body, year=_year(year))
    context = {"body": body, "page": page, "is_admin": may_manage_province(request.user, body)}
    return render(request, "reports/province/targets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def province_targets_edit(request: HttpRequest, year: int) -> HttpResponse:
    body = _admin_body(request)
    year = _year(year)
    initial, figures, units = province_selectors.target_edit_initial(body=body, year=year)
    unit_choices = [(pk, name) for pk, name in units]
    formset = FieldTargetFormSet(
        request.POST or None, initial=initial, unit_choices=unit_choices, prefix="targets"
    )
    if request.method == "POST" and formset.is_valid():
        try:
            province_services.field_targets_save(
                body=body, year=year, targets=[f.as_input() for f in formset.forms], actor=request.user
            )
        except ValueError as exc:
            formset._non_form_errors = formset.error_class([str(exc)])
        else:
            messages.success(request, _("Đã lưu mục tiêu năm %(year)s.") % {"year": year})
            return redirect(f"{reverse('reports:province_targets', args=[year])}?body={body.code}")
    rows = list(zip(formset.forms, figures, strict=False))
    context = {"body": body, "year": year, "formset": formset, "rows": rows}
    return render(request, "reports/province/targets_edit.html", context)
