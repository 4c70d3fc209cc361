"""Pages of criteria-set editing, for the body's administrators (other bodies 404, everyone else 403).

Each page builds the would-be tree and calls one service; the services check it with the workbook's rules and
answer every problem, which the page shows on the line and column it concerns, with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.access import may_manage_criteria
from scoring.evaluation import selectors as evaluation_selectors
from scoring.evaluation.editing import selectors, services
from scoring.evaluation.editing.forms import ItemAddForm, ItemForm, SetNameForm, TreeFormSet, VersionForm
from scoring.evaluation.editing.rules import RowError
from scoring.evaluation.editing.texts import in_use_refusal
from scoring.evaluation.summary import summarize
from scoring.models import CriteriaItem, CriteriaSet


def _readable_set(request: HttpRequest, pk: int) -> CriteriaSet:
    criteria_set = evaluation_selectors.criteria_set_get_for_user(user=request.user, pk=pk)
    if criteria_set is None:
        raise Http404
    return criteria_set


def _managed_set(request: HttpRequest, pk: int) -> CriteriaSet:
    criteria_set = _readable_set(request, pk)
    if not may_manage_criteria(request.user, criteria_set.period.body):
        raise PermissionDenied
    return criteria_set


def _item(criteria_set: CriteriaSet, item_pk: int) -> CriteriaItem:
    return get_object_or_404(
        CriteriaItem.objects.select_related("criteria_set"), pk=item_pk, criteria_set=criteria_set
    )


def _page(request: HttpRequest, template: str, criteria_set: CriteriaSet, **context: object) -> HttpResponse:
    use = selectors.criteria_set_use(criteria_set=criteria_set)
    refusal = in_use_refusal(criteria_set) if use.in_use and criteria_set.version <= 1 else ""
    return render(
        request,
        f"scoring/evaluation/editing/{template}",
        {"criteria_set": criteria_set, "use": use, "refusal": refusal, **context},
    )


def _show_on_form(form, errors: list[RowError], *, key: int | None) -> None:
    """Put each error on its field when it concerns this form's item, else on the form as a whole."""
    for error in errors:
        mine = error.key == key if key is not None else error.index is not None and error.key is None
        field = error.column if mine and error.column in form.fields else None
        form.add_error(field, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def criteria_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    criteria_set = _managed_set(request, pk)
    item = _item(criteria_set, item_pk)
    initial = {
        "name": item.name, "max_points": format(item.max_points, "f"), "step": item.step, "method": item.method,
        "guidance": item.guidance, "order": item.order, "seen": services.tree_seen(criteria_set=criteria_set),
    }  # fmt: skip
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criteria_item_update(item=item, actor=request.user, **form.cleaned_data)
        except services.CriteriaEditError as exc:
            _show_on_form(form, exc.errors, key=item.pk)
        else:
            messages.success(request, _("Đã lưu mục %(code)s.") % {"code": item.code})
            return redirect("scoring:criteria_set_detail", pk=criteria_set.pk)
    return _page(request, "item_form.html", criteria_set, form=form, item=item)


@login_required
@require_http_methods(["GET", "POST"])
def criteria_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _managed_set(request, pk)
    parent_pk = request.GET.get("parent", "")
    parent = _item(criteria_set, int(parent_pk)) if parent_pk.isdigit() else None
    if parent is not None and parent.code.count(".") >= 2:
        raise Http404  # a sub-criterion has no children
    initial = {
        "code": services.new_child_code(criteria_set=criteria_set, parent=parent),
        "step": parent.step if parent else "0.25",
        "method": parent.method if parent else "",
        "seen": services.tree_seen(criteria_set=criteria_set),
    }
    form = ItemAddForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criteria_item_add(
                criteria_set=criteria_set, parent=parent, actor=request.user, **form.cleaned_data
            )
        except services.CriteriaEditError as exc:
            _show_on_form(form, exc.errors, key=None)
        else:
            messages.success(request, _("Đã thêm mục %(code)s.") % {"code": form.cleaned_data["code"]})
            return redirect("scoring:criteria_set_detail", pk=criteria_set.pk)
    return _page(request, "item_form.html", criteria_set, form=form, parent=parent, adding=True)


@login_required
@require_POST
def criteria_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    criteria_set = _managed_set(request, pk)
    item = _item(criteria_set, item_pk)
    try:
        services.criteria_item_delete(item=item, actor=request.user)
    except services.CriteriaEditError as exc:
        for error in exc.errors:
            messages.error(request, error.message)
    else:
        messages.success(request, _("Đã xóa mục %(code)s.") % {"code": item.code})
    return redirect("scoring:criteria_set_detail", pk=criteria_set.pk)


@login_required
@require_http_methods(["GET", "POST"])
def criteria_tree_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole tree in one form, saved all or nothing."""
    criteria_set = _managed_set(request, pk)
    current = services.current_lines(criteria_set=criteria_set)
    initial = [
        {
            "item": line.key, "order": int(line.order), "code": line.code, "name": line.name,
            "max_points": line.max_points, "step": line.step, "method": line.method, "guidance": line.guidance,
        }
        for line in current
    ]  # fmt: skip
    post = request.POST if request.method == "POST" else None
    formset = TreeFormSet(post, initial=initial, prefix="rows")
    name_form = SetNameForm(
        post,
        initial={
            "name": criteria_set.name,
            "seen": services.tree_seen(criteria_set=criteria_set, lines=current),
        },
    )
    general: list[str] = []
    if post is not None and formset.is_valid() and name_form.is_valid():
        reasons = {line.key: line.not_applicable_reason for line in current}
        lines, form_of = [], []
        for index, form in enumerate(formset.forms):
            if form.cleaned_data.get("DELETE") or formset.is_blank(form):
                continue
            key = form.cleaned_data.get("item")
            lines.append(form.line(position=index + 1, not_applicable_reason=reasons.get(key, "")))
            form_of.append(form)
        try:
            services.criteria_tree_save(
                criteria_set=criteria_set,
                lines=lines,
                actor=request.user,
                name=name_form.cleaned_data["name"],
            )
        except services.CriteriaEditError as exc:
            for error in exc.errors:
                if error.index is not None:
                    form = form_of[error.index]
                    form.add_error(error.column if error.column in form.fields else None, error.message)
                elif error.column == "name":
                    name_form.add_error("name", error.message)
                else:
                    general.append(error.message)
        else:
            messages.success(
                request, _("Đã lưu bộ tiêu chí “%(name)s”.") % {"name": name_form.cleaned_data["name"]}
            )
            return redirect("scoring:criteria_set_detail", pk=criteria_set.pk)
    return _page(
        request, "tree_form.html", criteria_set, formset=formset, name_form=name_form, general_errors=general
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_version_create(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _managed_set(request, pk)
    form = VersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.criteria_set_version_create(
                criteria_set=criteria_set, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.CriteriaEditError as exc:
            _show_on_form(form, exc.errors, key=None)
        else:
            messages.success(
                request,
                _("Đã lưu phiên bản %(old)s; bộ tiêu chí đang ở phiên bản %(new)s và có thể sửa.")
                % {"old": version.number, "new": version.number + 1},
            )
            return redirect("scoring:criteria_set_detail", pk=criteria_set.pk)
    return _page(request, "version_form.html", criteria_set, form=form)


@login_required
@require_GET
def criteria_set_version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    criteria_set = _readable_set(request, pk)
    version = get_object_or_404(criteria_set.versions.select_related("created_by"), number=number)
    rows = selectors.version_rows(version)
    context = {"criteria_set": criteria_set, "version": version, "rows": rows, "summary": summarize(rows)}
    return render(request, "scoring/evaluation/editing/version_detail.html", context)
