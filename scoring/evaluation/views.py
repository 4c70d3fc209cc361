"""Pages of the evaluation model: the home page (the caller's periods) and the criteria sets (list, tree,
Excel import/export, template, clone into another year).

Readers (any role in the set's body) see list, tree and export; body administrators also import
and clone. A body the user has no role in answers 404, as if it did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.access import bodies_for_user, exemption_periods, may_manage_criteria
from scoring.evaluation import selectors, services
from scoring.evaluation.editing import selectors as editing_selectors
from scoring.evaluation.forms import CriteriaCloneForm, CriteriaImportForm, ExemptionForm
from scoring.evaluation.not_applicable import NotApplicableError, not_applicable_delete, not_applicable_save
from scoring.evaluation.summary import summarize
from scoring.evaluation.workbook_write import (
    XLSX_CONTENT_TYPE,
    criteria_set_to_workbook,
    template_workbook,
    workbook_bytes,
)
from scoring.idempotency.http import request_once
from scoring.models import CriteriaSet, EvaluatingBody, NotApplicableItem, Period, Unit
from scoring.results.state import ResultsFrozen


def _body_for_admin(request: HttpRequest, body_code: str) -> EvaluatingBody:
    body = bodies_for_user(request.user).filter(code=body_code).first()
    if body is None:
        raise Http404
    if not may_manage_criteria(request.user, body):
        raise PermissionDenied
    return body


def _criteria_set_or_404(request: HttpRequest, pk: int) -> CriteriaSet:
    criteria_set = selectors.criteria_set_get_for_user(user=request.user, pk=pk)
    if criteria_set is None:
        raise Http404
    return criteria_set


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def criteria_set_list(request: HttpRequest) -> HttpResponse:
    admin_bodies = list(selectors.bodies_administered_by(user=request.user))
    periods = selectors.criteria_set_list_by_period(
        user=request.user, admin_body_ids={b.pk for b in admin_bodies}
    )
    return render(
        request,
        "scoring/evaluation/criteria_set_list.html",
        {"periods": periods, "admin_bodies": admin_bodies},
    )


@login_required
@require_GET
def criteria_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _criteria_set_or_404(request, pk)
    items = selectors.criteria_set_tree(criteria_set=criteria_set)
    can_manage = may_manage_criteria(request.user, criteria_set.period.body)
    context = {
        "criteria_set": criteria_set,
        "rows": items,  # items carry the row's attributes, and their id for the editing links
        "summary": summarize(selectors.criteria_rows_of(items)),
        "can_manage": can_manage,
        "parent_codes": {item.code.rpartition(".")[0] for item in items},
        # A set still at version 1 has no frozen version: no query for the (usual) case.
        "versions": editing_selectors.criteria_set_versions(criteria_set=criteria_set)
        if criteria_set.version > 1
        else [],
        "use": editing_selectors.criteria_set_use(criteria_set=criteria_set) if can_manage else None,
    }
    return render(request, "scoring/evaluation/criteria_set_detail.html", context)


@login_required
@require_GET
def criteria_set_export(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _criteria_set_or_404(request, pk)
    period = criteria_set.period
    info = [
        (_("Bộ tiêu chí"), criteria_set.name),
        (_("Cơ quan đánh giá"), period.body.name),
        (_("Năm đánh giá"), str(period.year)),
        (_("Nhóm đơn vị"), criteria_set.unit_group.name),
        (_("Ngày xuất"), timezone.localdate().strftime("%d/%m/%Y")),
    ]
    if criteria_set.is_illustrative:
        info.append((_("Lưu ý"), _("Bộ tiêu chí minh họa — không phải văn bản chính thức")))
    workbook = criteria_set_to_workbook(
        rows=selectors.criteria_set_rows(criteria_set=criteria_set), info=info
    )
    filename = f"bo-tieu-chi-{period.year}-{criteria_set.unit_group.code}.xlsx"
    return _xlsx_response(workbook_bytes(workbook), filename)


@login_required
@require_GET
def criteria_template_download(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(workbook_bytes(template_workbook()), "mau-bo-tieu-chi.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_import(request: HttpRequest, body_code: str) -> HttpResponse:
    body = _body_for_admin(request, body_code)
    # "Nhập lại" on a set's page pre-fills year and group through the query string.
    initial = {"year": timezone.localdate().year, **request.GET.dict()}
    form = CriteriaImportForm(request.POST or None, request.FILES or None, body=body, initial=initial)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            criteria_set = services.criteria_set_import_for_year(
                body=body,
                year=data["year"],
                unit_group=data["unit_group"],
                workbook_file=data["workbook"],
                name=data["name"],
                is_illustrative=data["is_illustrative"],
                replace=data["replace"],
                actor=request.user,
            )
        except services.CriteriaImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Đã nhập bộ tiêu chí “%(name)s”.") % {"name": criteria_set.name})
            return redirect("scoring:criteria_set_detail", pk=criteria_set.pk)
    return render(
        request, "scoring/evaluation/criteria_set_import.html", {"form": form, "body": body, "errors": errors}
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_clone(request: HttpRequest, body_code: str) -> HttpResponse:
    body = _body_for_admin(request, body_code)
    form = CriteriaCloneForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        source_year, target_year = form.cleaned_data["source_year"], form.cleaned_data["target_year"]
        try:
            result = services.criteria_set_clone_for_years(
                body=body, source_year=source_year, target_year=target_year
            )
        except services.CriteriaCloneError as exc:
            form.add_error(None, str(exc))
        else:
            message = _(
                "Đã sao chép %(sets)s bộ tiêu chí (%(items)s mục) từ năm %(source)s sang năm %(target)s."
            ) % {
                "sets": len(result.criteria_sets),
                "items": result.item_count,
                "source": source_year,
                "target": target_year,
            }
            if result.exemption_count:
                message += " " + _(
                    "Đã chép kèm %(n)s tiêu chí không đánh giá trong cả kỳ: hãy xem lại các quyết định này cho "
                    "năm %(target)s."
                ) % {"n": result.exemption_count, "target": target_year}
            messages.success(request, message)
            return redirect("scoring:criteria_set_list")
    return render(request, "scoring/evaluation/criteria_set_clone.html", {"form": form, "body": body})


# --- items not applicable to one unit (body administrators) ----------------------------------------------


@login_required
@require_GET
def exemptions_index(request: HttpRequest) -> HttpResponse:
    """Choose a period and a unit; 404 for anyone who administers no body."""
    periods = list(exemption_periods(request.user).select_related("body").order_by("body__name", "-year"))
    if not periods:
        raise Http404
    units = list(Unit.objects.filter(body__in={p.body_id for p in periods}).in_official_order())
    period_id, unit_id = request.GET.get("period", ""), request.GET.get("unit", "")
    if period_id.isdigit() and unit_id.isdigit():
        return redirect("scoring:unit_exemptions", period_pk=int(period_id), unit_pk=int(unit_id))
    return render(request, "scoring/evaluation/exemptions_index.html", {"periods": periods, "units": units})


def _period_and_unit(request: HttpRequest, period_pk: int, unit_pk: int) -> tuple[Period, Unit]:
    period = get_object_or_404(exemption_periods(request.user).select_related("body"), pk=period_pk)
    return period, get_object_or_404(Unit.objects.select_related("group"), pk=unit_pk, body_id=period.body_id)


@login_required
@require_http_methods(["GET", "POST"])
def unit_exemptions(request: HttpRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    """The unit's scored items in the period; POST marks one not applicable (with a reason) or changes its reason."""
    period, unit = _period_and_unit(request, period_pk, unit_pk)
    typed: dict[str, object] = {}
    if request.method == "POST":
        form = ExemptionForm(request.POST)
        if form.is_valid():
            item = selectors.unit_exemption_item(period=period, unit=unit, item_id=form.cleaned_data["item"])
            if item is None:
                raise Http404  # an item of another set or body

            def save() -> dict[str, int]:
                row = not_applicable_save(
                    row=selectors.unit_exemption_row(item=item, unit=unit),
                    item=item,
                    unit=unit,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
                return {"id": row.pk}

            try:
                # A double click sends the form's key twice: the second POST changes nothing.
                request_once(request, scope="not_applicable", action=save)
            except (NotApplicableError, ResultsFrozen) as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã đánh dấu %(code)s không đánh giá.") % {"code": item.code})
                return redirect("scoring:unit_exemptions", period_pk=period.pk, unit_pk=unit.pk)
        typed = {
            "item_id": request.POST.get("item", ""),
            "reason": request.POST.get("reason", ""),
            "errors": [e for errors in form.errors.values() for e in errors],
        }
    context = {
        "period": period,
        "unit": unit,
        "data": selectors.unit_exemptions(period=period, unit=unit),
        "typed": typed,
    }
    return render(request, "scoring/evaluation/unit_exemptions.html", context)


@login_required
@require_POST
def unit_exemption_delete(request: HttpRequest, period_pk: int, unit_pk: int, pk: int) -> HttpResponse:
    """The item counts for the unit again (refused, with the reason, once the unit's result is published)."""
    period, unit = _period_and_unit(request, period_pk, unit_pk)
    row = get_object_or_404(
        NotApplicableItem.objects.select_related("item"), pk=pk, unit=unit, item__criteria_set__period=period
    )
    try:
        not_applicable_delete(row=row, actor=request.user)
    except ResultsFrozen as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Đã bỏ đánh dấu %(code)s: tiêu chí được đánh giá lại.") % {"code": row.item.code}
        )
    return redirect("scoring:unit_exemptions", period_pk=period.pk, unit_pk=unit.pk)
