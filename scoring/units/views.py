"""Units and groups pages of the body administrator (/quan-ly/don-vi/): everything 404s outside their own body.

Each POST calls one service; its ValidationError goes back onto the form, which is shown again with what was
typed (status 400) and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from scoring.accounts.switcher import chosen_body_id
from scoring.idempotency.http import request_once
from scoring.models import EvaluatingBody, Unit

from . import selectors, services
from .forms import (
    GroupEditForm,
    GroupForm,
    LineageForm,
    UnitActiveForm,
    UnitCreateForm,
    UnitEditForm,
    UnitKindEditForm,
    UnitKindForm,
    UnitRenameForm,
)


def _body(request: HttpRequest) -> EvaluatingBody:
    return selectors.managed_body_get(
        user=request.user, code=request.GET.get("body") or None, chosen_id=chosen_body_id(request)
    )


def _list_url(body: EvaluatingBody) -> str:
    return f"{reverse('units:list')}?body={body.code}"


def _save(form: forms.Form, write: Callable[..., object]) -> bool:
    """Call the service with the form's values; put its errors on the form. Return whether it saved."""
    if not form.is_valid():
        return False
    try:
        write(**form.cleaned_data)
    except ValidationError as exc:
        # Errors named after a field of the form go under it; the others (or unnamed ones) above the form.
        if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
            form.add_error(None, exc)
        else:
            form.add_error(None, exc.messages)
        return False
    return True


@login_required
@require_http_methods(["GET"])
def unit_list(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    context = {
        "body": body,
        "groups": selectors.unit_groups_with_units(body=body),
        "kinds": selectors.unit_kinds(body=body),
    }
    return render(request, "scoring/units/list.html", context)


# --- groups ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    form = GroupForm(request.POST or None)

    def write(**values) -> None:
        def create() -> dict:
            return {"id": services.unit_group_create(actor=request.user, body=body, **values).pk}

        request_once(request, scope="unit_group", action=create)

    if request.method == "POST" and _save(form, write):
        messages.success(request, _("Đã tạo nhóm đơn vị."))
        return redirect(_list_url(body))
    return _form_page(request, form, body=body, title=_("Thêm nhóm đơn vị"), create=True)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.managed_group_get(user=request.user, pk=pk)
    form = GroupEditForm(request.POST or None, initial={"name": group.name, "order": group.order})

    def write(**values) -> None:
        services.unit_group_update(actor=request.user, group=group, **values)

    if request.method == "POST" and _save(form, write):
        messages.success(request, _("Đã lưu nhóm đơn vị."))
        return redirect(_list_url(group.body))
    return _form_page(request, form, body=group.body, title=_("Sửa nhóm “%(name)s”") % {"name": group.name})


def _form_page(
    request,
    form,
    *,
    body: EvaluatingBody,
    title: str,
    create: bool = False,
    template: str = "",
    back_url: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "body": body,
        "title": title,
        "create": create,
        "back_url": back_url or _list_url(body),
    }
    return render(
        request, template or "scoring/units/form.html", context, status=400 if form.is_bound else 200
    )


# --- unit kinds ------------------------------------------------------------------------------------------


def _kinds_url(body: EvaluatingBody) -> str:
    return f"{reverse('units:kind_list')}?body={body.code}"


@login_required
@require_http_methods(["GET"])
def kind_list(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    context = {
        "body": body,
        "kinds": selectors.unit_kinds_with_counts(body=body),
        "back_url": _list_url(body),
    }
    return render(request, "scoring/units/kinds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def kind_create(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    form = UnitKindForm(request.POST or None)

    def write(**values) -> None:
        def create() -> dict:
            return {"id": services.unit_kind_create(actor=request.user, body=body, **values).pk}

        request_once(request, scope="unit_kind", action=create)

    if request.method == "POST" and _save(form, write):
        messages.success(request, _("Đã thêm loại đơn vị."))
        return redirect(_kinds_url(body))
    return _form_page(
        request, form, body=body, title=_("Thêm loại đơn vị"), create=True, back_url=_kinds_url(body)
    )


@login_required
@require_http_methods(["GET", "POST"])
def kind_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kind = selectors.managed_kind_get(user=request.user, pk=pk)
    form = UnitKindEditForm(request.POST or None, initial={"name": kind.name})
    if request.method == "POST" and _save(
        form, lambda **values: services.unit_kind_rename(actor=request.user, kind=kind, **values)
    ):
        messages.success(request, _("Đã đổi tên loại đơn vị."))
        return redirect(_kinds_url(kind.body))
    title = _("Đổi tên loại “%(name)s” (mã %(code)s)") % {"name": kind.name, "code": kind.code}
    return _form_page(request, form, body=kind.body, title=title, back_url=_kinds_url(kind.body))


@login_required
@require_POST
def kind_delete(request: HttpRequest, pk: int) -> HttpResponse:
    kind = selectors.managed_kind_get(user=request.user, pk=pk)
    try:
        services.unit_kind_delete(actor=request.user, kind=kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xoá loại đơn vị “%(name)s”.") % {"name": kind.name})
    return redirect(_kinds_url(kind.body))


# --- units -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    form = UnitCreateForm(request.POST or None, body=body, initial={"group": request.GET.get("group")})
    created: dict = {}

    def write(**values) -> None:
        def create() -> dict:
            return {"id": services.unit_create(actor=request.user, body=body, **values).pk}

        created.update(request_once(request, scope="unit", action=create).result)

    if request.method == "POST" and _save(form, write):
        messages.success(request, _("Đã tạo đơn vị."))
        return redirect("units:detail", pk=created["id"])
    return _form_page(request, form, body=body, title=_("Thêm đơn vị"), create=True)


def _detail(request: HttpRequest, unit: Unit, *, status: int = 200, **bound: forms.Form) -> HttpResponse:
    forms_ = {
        "rename_form": UnitRenameForm(),
        "edit_form": UnitEditForm(
            body=unit.body, initial={"group": unit.group_id, "kind": unit.kind_id, "order": unit.order}
        ),
        "active_form": UnitActiveForm(),
    }
    forms_.update(bound)
    context = {
        "unit": unit,
        "body": unit.body,
        "active": selectors.is_active(unit),
        "names": selectors.name_history(unit),
        "lineage": selectors.unit_lineage(unit),
        "back_url": _list_url(unit.body),
        **forms_,
    }
    return render(request, "scoring/units/detail.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.managed_unit_get(user=request.user, pk=pk))


@login_required
@require_POST
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.managed_unit_get(user=request.user, pk=pk)
    form = UnitRenameForm(request.POST)
    if _save(form, lambda **values: services.unit_rename(actor=request.user, unit=unit, **values)):
        messages.success(request, _("Đã đổi tên đơn vị; tên cũ được giữ cho các năm trước."))
        return redirect("units:detail", pk=unit.pk)
    return _detail(request, unit, status=400, rename_form=form)


@login_required
@require_POST
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.managed_unit_get(user=request.user, pk=pk)
    form = UnitEditForm(request.POST, body=unit.body)
    if _save(form, lambda **values: services.unit_update(actor=request.user, unit=unit, **values)):
        messages.success(request, _("Đã lưu nhóm, loại và thứ tự của đơn vị."))
        return redirect("units:detail", pk=unit.pk)
    return _detail(request, unit, status=400, edit_form=form)


@login_required
@require_POST
def unit_active(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.managed_unit_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    form = UnitActiveForm(request.POST)
    if _save(form, lambda on: services.unit_set_active(actor=request.user, unit=unit, active=active, on=on)):
        messages.success(
            request, _("Đơn vị đã hoạt động trở lại.") if active else _("Đơn vị đã ngừng hoạt động.")
        )
        return redirect("units:detail", pk=unit.pk)
    return _detail(request, unit, status=400, active_form=form)


# --- mergers and splits ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lineage_create(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    form = LineageForm(request.POST or None, body=body)

    def write(**values) -> None:
        def create() -> dict:
            values["sources"], values["targets"] = list(values["sources"]), list(values["targets"])
            return {"id": services.unit_lineage_record(actor=request.user, body=body, **values).pk}

        request_once(request, scope="unit_lineage", action=create)

    if request.method == "POST" and _save(form, write):
        messages.success(request, _("Đã ghi nhận sáp nhập, chia tách."))
        return redirect(_list_url(body))
    return _form_page(
        request,
        form,
        body=body,
        title=_("Ghi nhận sáp nhập, chia tách"),
        create=True,
        template="scoring/units/lineage_form.html",
    )
