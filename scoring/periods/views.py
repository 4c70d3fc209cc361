"""The year's setup pages of the body administrator: one page per step, and the checklist that opens the year.

Every page answers 404 to anyone who does not administer the period's body (scoring.access), as if it did not
exist. GET reads; each POST calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from scoring.access import bodies_administered
from scoring.idempotency.http import request_once
from scoring.models import EvaluatingBody, Period

from . import calc, selectors, services
from .forms import BandFormSet, DeadlinesForm, PeriodCreateForm, bands_from
from .hooks import setup_lines
from .texts import DEADLINE_LABELS, problem_text

# The pages that fix each kind of checklist problem: the first name that exists is linked. The units, people and
# appraiser pages come with other parts of issue #14; until they are merged those problems link to nothing.


def _period(request: HttpRequest, pk: int) -> Period:
    period = selectors.period_get_for_admin(user=request.user, pk=pk)
    if period is None:
        raise Http404(_("Không tìm thấy kỳ đánh giá."))
    return period


def _body(request: HttpRequest, code: str) -> EvaluatingBody:
    body = bodies_administered(request.user).filter(code=code).first()
    if body is None:
        raise Http404(_("Không tìm thấy cơ quan đánh giá."))
    return body


def _fix_url(problem: calc.Problem, period: Period) -> str | None:
    if problem.kind == calc.DEADLINES:
        return reverse("periods:deadlines", args=[period.pk])
    if problem.kind == calc.BANDS:
        return reverse("periods:bands", args=[period.pk])
    if problem.kind == calc.CRITERIA and problem.object_id:
        return reverse("scoring:criteria_set_detail", args=[problem.object_id])
    if problem.kind == calc.CRITERIA:
        return reverse("scoring:criteria_set_list")
    if problem.kind == calc.PEOPLE:
        return reverse("people:list", args=[period.body.code])
    if problem.kind == calc.APPRAISERS:
        return reverse("appraisal:assignments", args=[period.pk])
    return None


@login_required
@require_http_methods(["GET"])
def period_list(request: HttpRequest) -> HttpResponse:
    bodies = list(bodies_administered(request.user).order_by("name"))
    if not bodies:
        raise Http404(_("Không tìm thấy cơ quan đánh giá."))
    periods = selectors.period_list_for_admin(user=request.user)
    return render(request, "scoring/periods/list.html", {"bodies": bodies, "periods": periods})


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest, body_code: str) -> HttpResponse:
    body = _body(request, body_code)
    form = PeriodCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> dict:
            created = services.period_create(
                body=body,
                year=form.cleaned_data["year"],
                actor=request.user,
                copy_previous=form.cleaned_data["copy_previous"],
            )
            return {
                "period_id": created.period.pk,
                "source_year": created.source_year,
                "counts": list(created.counts.items()),
            }

        try:
            once = request_once(request, scope="period_create", action=create)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            period = _period(request, once.result["period_id"])
            return render(request, "scoring/periods/created.html", {"period": period, **once.result})
    return render(request, "scoring/periods/create.html", {"form": form, "body": body})


@login_required
@require_http_methods(["GET"])
def period_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    problems = calc.checklist(selectors.checklist_inputs(period=period))
    rows = [{"text": problem_text(p), "url": _fix_url(p, period)} for p in problems]
    extra = setup_lines(period)
    context = {
        "period": period,
        "rows": rows,
        "bands": period.bands.all(),
        "labels": DEADLINE_LABELS,
        "links": [line for line in extra if not line.todo],
        "todos": [line for line in extra if line.todo],
    }
    return render(request, "scoring/periods/checklist.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def period_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    initial = {name: getattr(period, model_field) for name, model_field in services.DEADLINE_FIELDS.items()}
    initial["seen"] = services.deadlines_seen(period)
    form = DeadlinesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_deadlines_set(
                period=period, deadlines=form.deadlines(), actor=request.user, seen=form.seen_token()
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(name, message)
        else:
            messages.success(request, _("Đã lưu thời hạn."))
            return redirect("periods:checklist", pk=period.pk)
    return render(request, "scoring/periods/deadlines.html", {"period": period, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def period_bands(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    initial = [{"code": b.code, "label": b.label, "min_index": b.min_index} for b in period.bands.all()]
    formset = BandFormSet(request.POST or None, initial=initial, prefix="bands")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.period_bands_set(
                period=period,
                bands=bands_from(formset),
                actor=request.user,
                seen=request.POST.get("seen") or None,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Đã lưu mức xếp loại."))
            return redirect("periods:checklist", pk=period.pk)
    return render(
        request,
        "scoring/periods/bands.html",
        {
            "period": period,
            "formset": formset,
            "errors": errors,
            # Kept from the first reading across a refused save, so a stale form stays stale.
            "seen": request.POST.get("seen") or services.bands_seen(period),
        },
    )


@login_required
@require_POST
def period_open(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    try:
        services.period_open(period=period, actor=request.user)
    except services.PeriodOpenRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã mở kỳ đánh giá năm %(year)s.") % {"year": period.year})
    return redirect("periods:checklist", pk=period.pk)
