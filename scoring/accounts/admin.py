"""The admin's "import users from Excel/CSV" pages, hooked into UserAdmin through get_urls.

The temporary passwords of new accounts are kept in the importing admin's session only until they
are downloaded (once), then deleted; several imports before a download add up, so none is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.accounts import io as users_io
from scoring.accounts import services as users_services

if TYPE_CHECKING:
    from django.contrib.auth.admin import UserAdmin

SESSION_KEY = "users_import_credentials"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
TEMPLATE = "admin/scoring/user/import_users.html"


class UsersUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp danh sách người dùng (.xlsx hoặc .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 2 MB."))
        return upload


def _url_name(model_admin: UserAdmin, suffix: str) -> str:
    return f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_{suffix}"


def users_import_urls(model_admin: UserAdmin) -> list[URLPattern]:
    """Return the import pages' URLs, wrapped by the admin site (staff login, CSRF, no caching)."""
    site = model_admin.admin_site

    def view(function):
        def wrapped(request: HttpRequest) -> HttpResponse:
            # Creating accounts is adding users: superusers, and staff given scoring.add_user.
            if not model_admin.has_add_permission(request):
                raise PermissionDenied
            return function(request, model_admin)

        return site.admin_view(wrapped)

    return [
        path("nhap/", view(users_import), name=_url_name(model_admin, "import")),
        path("nhap/users_sample.csv", view(users_sample), name=_url_name(model_admin, "import_sample")),
        path(
            "nhap/mat-khau-tam.csv",
            view(credentials_download),
            name=_url_name(model_admin, "import_credentials"),
        ),
    ]


@require_http_methods(["GET", "POST"])
def users_import(request: HttpRequest, model_admin: UserAdmin) -> HttpResponse:
    form = UsersUploadForm(request.POST or None, request.FILES or None)
    errors: tuple[users_io.RowError, ...] = ()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = users_services.users_import_file(
                content=upload.read(), filename=upload.name, actor=request.user
            )
        except users_io.UsersImportError as exc:
            errors = exc.errors
        else:
            if summary.credentials:
                pending = request.session.get(SESSION_KEY, [])
                pending.extend([c.username, c.full_name, c.email, c.password] for c in summary.credentials)
                request.session[SESSION_KEY] = pending
            messages.success(request, summary.as_text())
            return redirect("admin:" + _url_name(model_admin, "import"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Nhập người dùng từ Excel/CSV"),
        "form": form,
        "errors": errors,
        "columns": users_io.COLUMN_HELP,
        "pending_count": len(request.session.get(SESSION_KEY, [])),
    }
    return TemplateResponse(request, TEMPLATE, context)


@require_GET
def users_sample(request: HttpRequest, model_admin: UserAdmin) -> HttpResponse:
    # The BOM makes Excel open the file as UTF-8, so the diacritics survive.
    response = HttpResponse("\ufeff" + users_io.sample_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="users_sample.csv"'
    return response


@require_POST
def credentials_download(request: HttpRequest, model_admin: UserAdmin) -> HttpResponse:
    # POST, not GET: a download that deletes what it serves must not be triggered by a link prefetch.
    pending = request.session.pop(SESSION_KEY, None)
    if not pending:
        messages.warning(request, _("Danh sách mật khẩu tạm đã được tải về trước đó hoặc không còn nữa."))
        return redirect("admin:" + _url_name(model_admin, "import"))
    credentials = [
        users_io.Credential(username=u, full_name=n, email=e, password=p) for u, n, e, p in pending
    ]
    response = HttpResponse(
        "\ufeff" + users_io.credentials_csv(credentials), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mat-khau-tam.csv"'
    response["Cache-Control"] = "no-store"
    return response
