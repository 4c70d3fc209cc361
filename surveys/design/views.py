"""Survey design of a period: the ballot forms (questions, options, shares) with their Excel import, export and
copy from another year, and the sample plan (ballots issued per form × unit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.models import Period, Unit

from ..access import admin_period
from ..models import AnswerOption, BallotForm, Question, SamplePlan

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024


def _forms_with_questions(period: Period) -> list[BallotForm]:
    """Return the period's forms with questions, items and options; three queries."""
    questions = Question.objects.select_related("item").order_by("order", "number")
    questions = questions.prefetch_related(
        Prefetch("options", queryset=AnswerOption.objects.order_by("code"))
    )
    return list(
        BallotForm.objects.filter(period=period)
        .select_related("target_group")
        .prefetch_related(Prefetch("questions", queryset=questions))
        .order_by("order", "code")
    )


def _list_context(period: Period, **extra) -> dict:
    return {
        "period": period,
        "forms": _forms_with_questions(period),
        "other_periods": list(
            Period.objects.filter(body_id=period.body_id).exclude(pk=period.pk).order_by("-year")
        ),
        "import_errors": [],
        **extra,
    }


@login_required
@require_GET
def form_list(request: HttpRequest, period_id: int) -> HttpResponse:
    period = admin_period(request, period_id)
    return render(request, "surveys/design/form_list.html", _list_context(period))


@login_required
@require_GET
def forms_export(request: HttpRequest, period_id: int) -> HttpResponse:
    from .services import ballot_forms_export

    period = admin_period(request, period_id)
    response = HttpResponse(ballot_forms_export(period=period), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="mau-phieu-{period.body.code}-{period.year}.xlsx"'
    )
    return response


@login_required
@require_POST
def forms_import(request: HttpRequest, period_id: int) -> HttpResponse:
    from .services import FormsImportError, ballot_forms_import

    period = admin_period(request, period_id)
    upload = request.FILES.get("workbook")
    if upload is None or not upload.name.lower().endswith(".xlsx"):
        messages.error(request, _("Hãy chọn một tệp Excel (.xlsx) mẫu phiếu."))
        return redirect("surveys:form_list", period_id=period.pk)
    if upload.size > MAX_WORKBOOK_BYTES:
        messages.error(request, _("Tệp quá lớn (tối đa 5 MB)."))
        return redirect("surveys:form_list", period_id=period.pk)
    try:
        written = ballot_forms_import(period=period, workbook=upload.read(), actor=request.user)
    except FormsImportError as exc:
        context = _list_context(period, import_errors=exc.errors)
        return render(request, "surveys/design/form_list.html", context, status=400)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã nhập %(n)s mẫu phiếu từ tệp Excel.") % {"n": len(written)})
    return redirect("surveys:form_list", period_id=period.pk)


@login_required
@require_POST
def forms_clone(request: HttpRequest, period_id: int) -> HttpResponse:
    from .services import ballot_forms_clone

    period = admin_period(request, period_id)
    source = Period.objects.filter(pk=request.POST.get("source_period") or 0, body_id=period.body_id).first()
    if source is None or source.pk == period.pk:
        messages.error(request, _("Hãy chọn kỳ đánh giá để sao chép mẫu phiếu."))
        return redirect("surveys:form_list", period_id=period.pk)
    try:
        written = ballot_forms_clone(source_period=source, target_period=period, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã sao chép %(n)s mẫu phiếu từ năm %(year)s.") % {"n": len(written), "year": source.year},
        )
    return redirect("surveys:form_list", period_id=period.pk)


@login_required
@require_http_methods(["GET", "POST"])
def sample_plan(request: HttpRequest, period_id: int) -> HttpResponse:
    """A grid of ballots issued: one row per unit, one column per form; only the form's target units are open."""
    from .services import sample_plan_set

    period = admin_period(request, period_id)
    forms = list(BallotForm.objects.filter(period=period).order_by("order", "code"))
    group_ids = {f.target_group_id for f in forms}
    units = list(Unit.objects.filter(body_id=period.body_id, group_id__in=group_ids).in_official_order())
    plans = {(p.form_id, p.unit_id): p.issued for p in SamplePlan.objects.filter(form__period=period)}
    errors: list[str] = []
    typed: dict[str, str] = {}
    if request.method == "POST":
        changed = 0
        for form in forms:
            for unit in units:
                if unit.group_id != form.target_group_id:
                    continue
                key = f"plan-{form.pk}-{unit.pk}"
                raw = (request.POST.get(key) or "").strip()
                typed[key] = raw
                issued = int(raw) if raw.isdigit() else None
                if raw and issued is None:
                    errors.append(
                        _("%(form)s · %(unit)s: “%(raw)s” không phải số phiếu hợp lệ.")
                        % {"form": form.code, "unit": unit.name, "raw": raw}
                    )
                    continue
                issued = issued or 0
                if issued == plans.get((form.pk, unit.pk), 0):
                    continue
                try:
                    sample_plan_set(form=form, unit=unit, issued=issued, actor=request.user)
                except ValidationError as exc:
                    errors.append(f"{form.code} · {unit.name}: {' '.join(exc.messages)}")
                else:
                    changed += 1
        if not errors:
            messages.success(request, _("Đã lưu kế hoạch mẫu (%(n)s ô thay đổi).") % {"n": changed})
            return redirect("surveys:sample_plan", period_id=period.pk)
    rows = []
    for unit in units:
        cells = []
        for form in forms:
            key = f"plan-{form.pk}-{unit.pk}"
            open_cell = unit.group_id == form.target_group_id
            value = typed.get(key, str(plans.get((form.pk, unit.pk), "")) if open_cell else "")
            cells.append({"key": key, "open": open_cell, "value": value, "form": form})
        rows.append({"unit": unit, "cells": cells})
    totals = [sum(n for (f, _u), n in plans.items() if f == form.pk) for form in forms]
    context = {"period": period, "forms": forms, "rows": rows, "totals": totals, "errors": errors}
    return render(request, "surveys/design/sample_plan.html", context, status=400 if errors else 200)
