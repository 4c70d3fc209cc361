"""Recovery plan pages: the province's plan, each unit's plan, their actions, and the list of plans.

Who sees what: the province's plan is read by anyone with a role in the body and kept by its administrator;
a unit's plan is read by the body's staff and the unit's own people (404 for everyone else) and kept by the
administrator and the unit's officers and head. Figures of a year not yet published are for staff only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reports.access import (
    bodies_readable,
    may_read_body_reports,
    may_read_drafts,
    may_read_plan,
    may_read_unit_reports,
    units_readable,
)
from reports.models import RecoveryAction
from reports.results.selectors import DEFAULT_FIELD_NAMES
from scoring.accounts.switcher import chosen_body_id
from scoring.evaluation.selectors import body_get_for_user
from scoring.formatting import numbered
from scoring.idempotency.http import request_once
from scoring.models import EvaluatingBody, Unit, unit_order

from . import selectors as plan_selectors
from . import services as plan_services
from .forms import RecoveryActionForm

YEARS = range(2000, 2101)
STATUS_FILTERS = [*RecoveryAction.Status.choices]


def _year(year: int) -> int:
    if year not in YEARS:
        raise Http404(_("Năm không hợp lệ."))
    return year


def _body(request: HttpRequest) -> EvaluatingBody:
    body = body_get_for_user(
        user=request.user, code=request.GET.get("body") or None, chosen_id=chosen_body_id(request)
    )
    if body is None:
        raise Http404(_("Không tìm thấy cơ quan đánh giá."))
    return body


def _unit(request: HttpRequest, unit_code: str) -> Unit:
    """Return the unit if the user may read its plan; 404 otherwise, so its existence is not revealed."""
    units = Unit.objects.filter(code=unit_code, body__in=bodies_readable(request.user)).select_related("body")
    if request.GET.get("body"):
        units = units.filter(body__code=request.GET["body"])
    unit = units.first()
    if unit is None or not may_read_unit_reports(request.user, unit):
        raise Http404(_("Không tìm thấy kế hoạch."))
    return unit


def _job_url() -> str | None:
    # The report jobs page comes with another change; until then the pages work without the buttons.
    try:
        return reverse("reports:report_job_create")
    except NoReverseMatch:
        return None


def _field_choices(plan: plan_selectors.Plan) -> list[tuple[str, str]]:
    names = {code: name for code, name in DEFAULT_FIELD_NAMES.items()}
    names.update({f.code: f.name for f in plan.fields if f.name})
    return [
        (code, numbered(code, name))
        for code, name in sorted(names.items(), key=lambda p: plan_selectors.code_key(p[0]))
    ]


def _page(
    request: HttpRequest, plan: plan_selectors.Plan, *, can_edit: bool, kind: str, can_export: bool = True
) -> HttpResponse:
    field = request.GET.get("field", "")
    status = request.GET.get("status", "")
    context = {
        "plan": plan,
        "kind": kind,
        "can_edit": can_edit,
        "rows": plan.filtered(field=field, status=status),
        "selected_field": field,
        "selected_status": status,
        "field_choices": _field_choices(plan),
        "status_choices": STATUS_FILTERS,
        "job_url": _job_url(),
        "can_export": can_export,
        "has_targets": any(f.target is not None for f in plan.fields) or plan.total_target is not None,
    }
    return render(request, "reports/plans/plan.html", context)


@login_required
@require_http_methods(["GET"])
def province_plan(request: HttpRequest, year: int) -> HttpResponse:
    body = _body(request)
    plan = plan_selectors.province_plan_get(body=body, year=_year(year))
    return _page(
        request,
        plan,
        can_edit=plan_services.may_edit_plan(request.user, body, None),
        kind="province_plan",
        # The report jobs give the body's reports to its staff only.
        can_export=may_read_body_reports(request.user, body),
    )


@login_required
@require_http_methods(["GET"])
def unit_plan(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    unit = _unit(request, unit_code)
    plan = plan_selectors.unit_plan_get(
        unit=unit, year=_year(year), draft=may_read_drafts(request.user, unit.body)
    )
    return _page(
        request, plan, can_edit=plan_services.may_edit_plan(request.user, unit.body, unit), kind="unit_plan"
    )


@login_required
@require_POST
def unit_plan_build(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    unit = _unit(request, unit_code)
    try:
        added = plan_services.unit_plan_build(unit=unit, year=_year(year), actor=request.user)
    except plan_services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        if added:
            messages.success(
                request, _("Đã thêm %(count)s tiêu chí bị mất điểm vào kế hoạch.") % {"count": added}
            )
        else:
            messages.info(request, _("Không có tiêu chí mới nào cần thêm vào kế hoạch."))
    return redirect(_plan_url(unit.body, year, unit))


def _plan_url(body: EvaluatingBody, year: int, unit: Unit | None) -> str:
    if unit is None:
        return f"{reverse('reports:province_plan', args=[year])}?body={body.code}"
    return f"{reverse('reports:unit_plan', args=[unit.code, year])}?body={body.code}"


def _form(request: HttpRequest, body: EvaluatingBody, plan_fields, **kwargs) -> RecoveryActionForm:
    names = dict(DEFAULT_FIELD_NAMES)
    names.update(plan_fields)
    choices = [
        (c, numbered(c, n)) for c, n in sorted(names.items(), key=lambda p: plan_selectors.code_key(p[0]))
    ]
    return RecoveryActionForm(
        request.POST or None,
        field_choices=choices,
        units=Unit.objects.filter(body=body).in_official_order(),
        **kwargs,
    )


def _save(request: HttpRequest, form: RecoveryActionForm, write) -> bool:
    """Call the service with the form's values; put its errors on the form. Return whether it saved."""
    if not form.is_valid():
        return False
    try:
        write(**form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def _action_page(request, *, body, year, unit, form, action=None) -> HttpResponse:
    context = {
        "body": body,
        "year": year,
        "unit": unit,
        "form": form,
        "action": action,
        "back_url": _plan_url(body, year, unit),
    }
    return render(request, "reports/plans/action_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def province_plan_action_add(request: HttpRequest, year: int) -> HttpResponse:
    body = _body(request)
    return _add(request, body=body, year=_year(year), unit=None)


@login_required
@require_http_methods(["GET", "POST"])
def unit_plan_action_add(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    unit = _unit(request, unit_code)
    return _add(request, body=unit.body, year=_year(year), unit=unit)


def _add(request: HttpRequest, *, body: EvaluatingBody, year: int, unit: Unit | None) -> HttpResponse:
    if not plan_services.may_edit_plan(request.user, body, unit):
        raise PermissionDenied(_("Bạn không có quyền sửa kế hoạch này."))
    form = _form(request, body, {}, initial={"recoverable": True, "status": RecoveryAction.Status.PLANNED})

    def write(**values):
        def create() -> dict:
            added = plan_services.recovery_action_create(
                actor=request.user, body=body, year=year, unit=unit, **values
            )
            return {"id": added.pk}

        # A double click posts the form's key twice: the second POST adds nothing and goes to the plan too.
        return request_once(request, scope="plan_action", action=create)

    if request.method == "POST" and _save(request, form, write):
        messages.success(request, _("Đã thêm vào kế hoạch."))
        return redirect(_plan_url(body, year, unit))
    return _action_page(request, body=body, year=year, unit=unit, form=form)


def _action_for(request: HttpRequest, pk: int) -> RecoveryAction:
    """Return the action if the user may read its plan (404 otherwise) and may edit it (403 otherwise)."""
    action = get_object_or_404(RecoveryAction.objects.select_related("body", "unit"), pk=pk)
    if not may_read_plan(request.user, action.body, action.unit):
        raise Http404(_("Không tìm thấy kế hoạch."))
    if not plan_services.may_edit_plan(request.user, action.body, action.unit):
        raise PermissionDenied(_("Bạn không có quyền sửa kế hoạch này."))
    return action


@login_required
@require_http_methods(["GET", "POST"])
def plan_action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk)
    form = _form(
        request,
        action.body,
        {action.field_code: DEFAULT_FIELD_NAMES.get(action.field_code, action.field_code)},
        initial=RecoveryActionForm.initial_from(action),
    )

    def write(**values):
        plan_services.recovery_action_update(actor=request.user, recovery_action=action, **values)

    if request.method == "POST" and _save(request, form, write):
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(_plan_url(action.body, action.year, action.unit))
    return _action_page(
        request, body=action.body, year=action.year, unit=action.unit, form=form, action=action
    )


@login_required
@require_POST
def plan_action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk)
    plan_services.recovery_action_delete(actor=request.user, recovery_action=action)
    messages.success(request, _("Đã xoá khỏi kế hoạch."))
    return redirect(_plan_url(action.body, action.year, action.unit))


@login_required
@require_http_methods(["GET"])
def plans(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    open_code, open_year = request.GET.get("unit", ""), request.GET.get("year", "")
    if open_code and open_year.isdecimal() and len(open_year) == 4:
        # The "open a unit's plan" form; the plan page itself checks who may read it.
        try:
            url = reverse("reports:unit_plan", args=[open_code, int(open_year)])
        except NoReverseMatch as exc:
            raise Http404(_("Không tìm thấy kế hoạch.")) from exc
        return redirect(f"{url}?body={body.code}")
    staff = may_read_body_reports(request.user, body)
    own_units = list(units_readable(request.user, body).order_by(*unit_order())) if not staff else []
    units = list(Unit.objects.filter(body=body).in_official_order()) if staff else own_units
    province, unit_plans = plan_selectors.plan_list(body=body, units=units)
    context = {
        "body": body,
        "staff": staff,
        "province_plans": province,
        "unit_plans": unit_plans,
        "units": units,
        "own_units": own_units,
        "this_year": timezone.localdate().year,
        "can_edit_province": plan_services.may_edit_plan(request.user, body, None),
    }
    return render(request, "reports/plans/index.html", context)
