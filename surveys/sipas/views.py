"""SIPAS pages: the period's results per unit with the file import, one unit's entry by hand, a sample file.

Body administrators of the period's body only (surveys.access.admin_period); anyone else gets 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from scoring.formatting import format_input
from scoring.models import Unit

from ..access import admin_period
from ..models import SipasResult
from . import io as sipas_io
from . import selectors as sipas_selectors
from . import services as sipas_services

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

FIELD_LABELS = {
    "overall_pct": gettext_lazy("Chỉ số hài lòng chung (%)"),
    "access_pct": gettext_lazy("Tiếp cận dịch vụ (%)"),
    "procedures_pct": gettext_lazy("Thủ tục hành chính (%)"),
    "civil_servants_pct": gettext_lazy("Công chức giải quyết công việc (%)"),
    "results_pct": gettext_lazy("Kết quả giải quyết công việc (%)"),
    "feedback_pct": gettext_lazy("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị (%)"),
}


class SipasUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp SIPAS (.xlsx hoặc .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB."))
        return upload


class SipasEntryForm(forms.Form):
    """Percentages as typed ("78,0"); the service parses and checks them, and says which one is wrong."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FIELD_LABELS.items():
            self.fields[name] = forms.CharField(
                label=label, required=name == "overall_pct", max_length=20, strip=True
            )


def _initial(result: SipasResult | None) -> dict[str, str]:
    if result is None:
        return {}
    return {
        name: format_input(getattr(result, name))
        for name in FIELD_LABELS
        if getattr(result, name) is not None
    }


@login_required
@require_http_methods(["GET", "POST"])
def sipas_results(request: HttpRequest, period_id: int) -> HttpResponse:
    """Show the period's SIPAS per unit; POST imports a file (all rows or none)."""
    period = admin_period(request, period_id)
    form = SipasUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = sipas_services.sipas_results_import(
                period=period, content=upload.read(), filename=upload.name, actor=request.user
            )
        except sipas_services.SipasError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Đã nhập kết quả SIPAS: %(summary)s") % {"summary": summary})
            return redirect("surveys:sipas_results", period_id=period.pk)
    context = {
        "period": period,
        "form": form,
        "errors": errors,
        "lines": sipas_selectors.sipas_lines(period=period),
        "conversions": sipas_selectors.sipas_conversion_list(period=period),
        "columns": sipas_io.COLUMNS,
    }
    return render(request, "surveys/sipas/sipas_results.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def sipas_result_edit(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    """Enter or correct one unit's SIPAS by hand."""
    period = admin_period(request, period_id)
    unit = Unit.objects.filter(pk=unit_id, body_id=period.body_id).first()
    if unit is None:
        raise Http404
    existing = SipasResult.objects.filter(period=period, unit=unit).first()
    form = SipasEntryForm(request.POST or None, initial=_initial(existing))
    if request.method == "POST" and form.is_valid():
        try:
            sipas_services.sipas_result_save(
                period=period, unit=unit, values=form.cleaned_data, actor=request.user
            )
        except sipas_services.SipasError as exc:
            for error in exc.errors:
                form.add_error(error.column if error.column in form.fields else None, error.message)
        else:
            messages.success(request, _("Đã lưu kết quả SIPAS của %(unit)s.") % {"unit": unit.name})
            return redirect("surveys:sipas_results", period_id=period.pk)
    context = {"period": period, "unit": unit, "form": form, "result": existing}
    return render(
        request, "surveys/sipas/sipas_result_edit.html", context, status=400 if form.errors else 200
    )


@login_required
@require_GET
def sipas_sample(request: HttpRequest, period_id: int) -> HttpResponse:
    """Return a CSV with the header and one empty line per evaluated unit, ready to fill in."""
    period = admin_period(request, period_id)
    content = sipas_io.sample_csv((u.code, u.name) for u in sipas_selectors.sipas_units(period=period))
    # The BOM makes Excel open the file as UTF-8.
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sipas-{period.year}.csv"'
    return response
