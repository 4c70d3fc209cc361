"""The admin's "import users from Excel/CSV" pages, hooked into UserAdmin through get_urls.

The temporary passwords of new accounts are kept in the importing admin's session only until they
are downloaded (once), then deleted; several imports before a download add up, so none is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.accounts import io as users_io
from scoring.accounts import services as users_services
from scoring.accounts import views as account_views
from scoring.accounts.forms import UsersUploadForm
from scoring.accounts.views import credentials_keep, credentials_pending

if TYPE_CHECKING:
    from django.contrib.auth.admin import UserAdmin

TEMPLATE = "admin/scoring/user/import_users.html"


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
            credentials_keep(request, summary.credentials)
            messages.success(request, summary.as_text())
            return redirect("admin:" + _url_name(model_admin, "import"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Nhập người dùng từ Excel/CSV"),
        "form": form,
        "errors": errors,
        "columns": users_io.COLUMN_HELP,
        "pending_count": credentials_pending(request),
    }
    return TemplateResponse(request, TEMPLATE, context)


@require_GET
def users_sample(request: HttpRequest, model_admin: UserAdmin) -> HttpResponse:
    return account_views.users_sample(request)


@require_POST
def credentials_download(request: HttpRequest, model_admin: UserAdmin) -> HttpResponse:
    # POST, not GET: a download that deletes what it serves must not be triggered by a link prefetch.
    response = account_views.credentials_download(request)
    if response is None:
        messages.warning(request, _("Danh sách mật khẩu tạm đã được tải về trước đó hoặc không còn nữa."))
        return redirect("admin:" + _url_name(model_admin, "import"))
    return response
