"""The survey settings of a period (/dieu-tra/ky/<id>/cai-dat/): everything the survey needs configured, on one
page with a link to the page that edits each piece, and the SIPAS conversions of the survey items.

Body administrators of the period's body only (surveys.access.admin_period); anyone else gets 404. GET reads; each
POST calls one service, whose refusal is shown over the form with what was typed (status 400), nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from scoring.formatting import format_input

from ..access import admin_period
from ..sipas.io import parse_pct
from . import calc, selectors, services
from .forms import METHOD_CHOICES, METHOD_PREFIX, SurveySettingsForm, conversion_choices
from .links import problem_url
from .texts import preview_text, problem_text


@login_required
@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest, period_id: int) -> HttpResponse:
    """Show every survey setting of the period; POST saves the averaging, the note and the forms' weights."""
    period = admin_period(request, period_id)
    ballot_forms = selectors.ballot_forms(period=period)
    saved = selectors.survey_settings_get(period=period)
    initial = {"aggregation": saved.aggregation, "note": saved.note}
    initial.update({f"weight-{f.pk}": format_input(f.group_weight) for f in ballot_forms})
    form = SurveySettingsForm(request.POST or None, ballot_forms=ballot_forms, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_settings_set(
                period=period,
                aggregation=form.cleaned_data["aggregation"],
                note=form.cleaned_data["note"],
                weights=form.cleaned_data["weights"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Đã lưu cài đặt điều tra xã hội học."))
            return redirect("surveys:settings", period_id=period.pk)
    items = selectors.survey_items(period=period)
    problems = calc.settings_problems(
        selectors.settings_inputs(period=period, items=items, forms=ballot_forms)
    )
    refs = selectors.question_refs(period=period)
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item.criteria_set.unit_group.name, []).append(
            {"item": item, "questions": refs.get(item.pk, []), "sipas": bool(item.sipas_method)}
        )
    context = {
        "period": period,
        "form": form,
        "weight_fields": [form[f"weight-{f.pk}"] for f in ballot_forms],
        "ballot_forms": ballot_forms,
        "groups": groups,
        "problems": [{"text": problem_text(p), "url": problem_url(p, period)} for p in problems],
        "ballots": selectors.ballot_counts(period=period),
        "sipas": selectors.sipas_count(period=period),
    }
    return render(request, "surveys/settings/settings.html", context, status=400 if form.errors else 200)


def _sample(request: HttpRequest, period) -> tuple[calc.SampleInput, str]:
    """Return the SIPAS % to try the conversions on (typed in ?thu=, else the period's mean) and what was typed."""
    typed = (request.GET.get("thu") or "").strip()
    if typed:
        try:
            pct = parse_pct(typed)
        except ValueError:
            pct = None
        if pct is not None:
            return calc.SampleInput(pct=pct), typed
    return selectors.sample_pct(period=period), typed


@login_required
@require_http_methods(["GET", "POST"])
def sipas_conversions(request: HttpRequest, period_id: int) -> HttpResponse:
    """List the period's survey items with how each takes its points (ballots or SIPAS) and an example; POST
    saves the choices of every item shown."""
    period = admin_period(request, period_id)
    errors: list[str] = []
    typed: dict[int, str] = {}
    if request.method == "POST":
        choices, bad = conversion_choices(request.POST)
        typed = choices
        if bad:
            errors.append(_("Dữ liệu gửi lên không hợp lệ."))
        else:
            try:
                changed = services.sipas_conversions_set(period=period, choices=choices, actor=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Đã lưu quy đổi SIPAS (%(n)s thay đổi).") % {"n": changed})
                return redirect("surveys:sipas_conversions", period_id=period.pk)
    sample, sample_typed = _sample(request, period)
    rows = []
    for item in selectors.survey_items(period=period):
        method = typed.get(item.pk, item.sipas_method or "")
        preview = calc.conversion_preview(pct=sample.pct, max_points=item.max_points)
        rows.append(
            {
                "item": item,
                "group": item.criteria_set.unit_group.name,
                "name": f"{METHOD_PREFIX}{item.pk}",
                "method": method,
                "has_question": item.has_question,
                "preview": preview_text(preview),
            }
        )
    context = {
        "period": period,
        "rows": rows,
        "choices": METHOD_CHOICES,
        "errors": errors,
        "sample": sample,
        "sample_typed": sample_typed,
    }
    return render(request, "surveys/settings/sipas_conversions.html", context, status=400 if errors else 200)
