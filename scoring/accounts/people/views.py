"""The people pages of a body's administrator; every URL names the body, and anyone else gets 404.

The body last opened is remembered in the session, so that "Người dùng" in the menu returns to it; an
administrator of several bodies switches with the list's body selector.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.access import bodies_administered, may_manage_people, may_take_over_account
from scoring.accounts import io as users_io
from scoring.accounts import views as account_views
from scoring.accounts.forms import UsersUploadForm
from scoring.accounts.switcher import body_pick, chosen_body_id
from scoring.idempotency.http import request_once
from scoring.models import EvaluatingBody, Unit, User

from . import selectors, services
from .forms import InviteForm, PasswordResetForm, PeopleFilterForm, RoleForm

SESSION_BODY = "people_body"


def _body(request: HttpRequest, code: str) -> EvaluatingBody:
    body = EvaluatingBody.objects.filter(code=code).first()
    if body is None or not may_manage_people(request.user, body):
        raise Http404(_("Không tìm thấy cơ quan đánh giá."))
    request.session[SESSION_BODY] = body.code
    return body


def _person(body: EvaluatingBody, pk: int) -> User:
    person = selectors.person_get(body=body, pk=pk)
    if person is None:
        raise Http404(_("Không tìm thấy người dùng."))
    return person


def _body_person(request: HttpRequest, code: str, pk: int) -> tuple[EvaluatingBody, User]:
    body = _body(request, code)
    return body, _person(body, pk)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_GET
def people_home(request: HttpRequest) -> HttpResponse:
    """Open the people of the chosen body (?body=), else of the one opened last, else of the first administered."""
    bodies = bodies_administered(request.user).order_by("name")
    wanted = request.GET.get("body") or request.session.get(SESSION_BODY)
    body = bodies.filter(code=wanted).first() if wanted else None
    body = body or body_pick(bodies, chosen_id=chosen_body_id(request))
    if body is None:
        raise Http404
    return redirect("people:list", code=body.code)


@login_required
@require_GET
def people_list(request: HttpRequest, code: str) -> HttpResponse:
    body = _body(request, code)
    form = PeopleFilterForm(request.GET or None, body=body)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit")
    rows = selectors.people_list(
        body=body,
        role=filters.get("role", ""),
        unit_id=unit.pk if unit else None,
        state=filters.get("state", ""),
        text=filters.get("q", ""),
    )
    context = {
        "body": body,
        "bodies": bodies_administered(request.user).order_by("name"),
        "form": form,
        "rows": rows,
    }
    return render(request, "scoring/accounts/people/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest, code: str) -> HttpResponse:
    body = _body(request, code)
    form = InviteForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data

        def invite() -> dict:
            invited = services.person_invite(
                body=body, actor=request.user, base_url=_base_url(request), **values
            )
            return {"id": invited.user.pk, "created": invited.created}

        try:
            # A double click posts the key twice: the second POST invites nobody and sends no second e-mail.
            once = request_once(request, scope="people_invite", action=invite)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if once.result["created"]:
                messages.success(
                    request, _("Đã tạo tài khoản và gửi thư mời đặt mật khẩu tới %(email)s.") % values
                )
            else:
                messages.success(request, _("Email này đã có tài khoản; đã thêm vai trò cho tài khoản đó."))
            return redirect("people:detail", code=body.code, pk=once.result["id"])
    return render(request, "scoring/accounts/people/invite.html", {"body": body, "form": form})


def _detail(request, body, person, *, role_form=None, status=200) -> HttpResponse:
    context = {
        "body": body,
        "person": person,
        "roles": selectors.person_roles(body=body, user=person),
        "role_form": role_form or RoleForm(body=body),
        "password_form": PasswordResetForm(),
        "own_account": may_take_over_account(body, person),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "scoring/accounts/people/detail.html", context, status=status)


@login_required
@require_GET
def person_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    body = _body(request, code)
    return _detail(request, body, _person(body, pk))


@login_required
@require_POST
def person_role_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    body, person = _body_person(request, code, pk)
    form = RoleForm(request.POST, body=body)
    if form.is_valid():
        values = form.cleaned_data

        def grant() -> dict:
            added = services.role_grant(body=body, actor=request.user, user=person, **values)
            return {"id": added.pk}

        try:
            request_once(request, scope="people_role", action=grant)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm vai trò."))
            return redirect("people:detail", code=body.code, pk=person.pk)
    return _detail(request, body, person, role_form=form, status=400)


def _act(request: HttpRequest, body: EvaluatingBody, person: User, action, success: str) -> HttpResponse:
    """Run one POST action; its refusal becomes an error message, and the person's page is shown again."""
    try:
        result = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success if not callable(success) else success(result))
    if selectors.person_get(body=body, pk=person.pk) is None:
        return redirect("people:list", code=body.code)  # no role left here: the person has left the body
    return redirect("people:detail", code=body.code, pk=person.pk)


@login_required
@require_POST
def person_role_remove(request: HttpRequest, code: str, pk: int, role_pk: int) -> HttpResponse:
    body, person = _body_person(request, code, pk)
    assignment = get_object_or_404(
        body.role_assignments.select_related("unit", "user"), pk=role_pk, user=person
    )

    def revoke():
        services.role_revoke(body=body, actor=request.user, assignment=assignment)

    return _act(request, body, person, revoke, _("Đã thu hồi vai trò."))


@login_required
@require_POST
def person_deactivate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    body, person = _body_person(request, code, pk)

    def told(whole: bool) -> str:
        if whole:
            return _("Đã ngừng hoạt động tài khoản.")
        return _("Tài khoản còn thuộc cơ quan khác: chỉ thu hồi các vai trò tại cơ quan này.")

    return _act(
        request,
        body,
        person,
        lambda: services.person_deactivate(body=body, actor=request.user, user=person),
        told,
    )


@login_required
@require_POST
def person_reactivate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    body, person = _body_person(request, code, pk)

    return _act(
        request,
        body,
        person,
        lambda: services.person_reactivate(body=body, actor=request.user, user=person),
        _("Đã kích hoạt lại tài khoản."),
    )


@login_required
@require_POST
def person_password_reset(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    body, person = _body_person(request, code, pk)
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cách đặt lại mật khẩu."))
        return redirect("people:detail", code=body.code, pk=person.pk)
    if form.cleaned_data["mode"] == PasswordResetForm.LINK:

        def send():
            services.password_link_send(
                body=body, actor=request.user, user=person, base_url=_base_url(request)
            )

        return _act(
            request,
            body,
            person,
            send,
            _("Đã gửi đường dẫn đặt mật khẩu tới %(email)s.") % {"email": person.email},
        )
    try:
        password = services.password_temporary_set(body=body, actor=request.user, user=person)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("people:detail", code=body.code, pk=person.pk)
    # Shown once, in this response only (never stored in clear, never redirected through a URL).
    response = render(
        request,
        "scoring/accounts/people/temporary_password.html",
        {"body": body, "person": person, "password": password},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- bulk import of the body's people from a spreadsheet ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest, code: str) -> HttpResponse:
    body = _body(request, code)
    form = UsersUploadForm(request.POST or None, request.FILES or None)
    errors: tuple = ()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = services.people_import_file(
                body=body, content=upload.read(), filename=upload.name, actor=request.user
            )
        except users_io.UsersImportError as exc:
            errors = exc.errors
        else:
            account_views.credentials_keep(request, summary.credentials)
            messages.success(request, summary.as_text())
            return redirect("people:import", code=body.code)
    context = {
        "body": body,
        "form": form,
        "errors": errors,
        "columns": users_io.COLUMN_HELP,
        "pending_count": account_views.credentials_pending(request),
    }
    return render(request, "scoring/accounts/people/import.html", context, status=400 if errors else 200)


@login_required
@require_GET
def people_import_sample(request: HttpRequest, code: str) -> HttpResponse:
    body = _body(request, code)
    # The body's own codes, so that the example shows what this body's file looks like.
    first_unit = Unit.objects.filter(body=body).in_official_order().values_list("code", flat=True).first()
    return account_views.users_sample(request, body_code=body.code, unit_code=first_unit or "ma-don-vi")


@login_required
@require_POST
def people_import_credentials(request: HttpRequest, code: str) -> HttpResponse:
    # POST, not GET: a download that deletes what it serves must not be triggered by a link prefetch.
    body = _body(request, code)
    response = account_views.credentials_download(request)
    if response is None:
        messages.warning(request, _("Danh sách mật khẩu tạm đã được tải về trước đó hoặc không còn nữa."))
        return redirect("people:import", code=body.code)
    return response
