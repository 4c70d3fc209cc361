from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from parindex.health import healthz
from scoring.home import views as home_views


def docs_view(view_class, **directives):
    """The API docs page, whose UI (Swagger UI, Redoc) sets inline styles: only these pages allow them."""
    relaxed = {"style-src": ["'unsafe-inline'"], **directives}
    return csp_update(relaxed)(view_class.as_view(url_name="schema"))


# The admin's own titles (Django's read "Trang web admin Django" in Vietnamese).
admin.site.site_header = _("Quản trị hệ thống PAR INDEX")
admin.site.site_title = _("Quản trị PAR INDEX")
admin.site.index_title = _("Dữ liệu danh mục")


def _platform_operator(request) -> bool:
    # The Django admin is the platform operators' (superusers'): it is not scoped to a body, so a body's own staff,
    # even with is_staff set by mistake, use the product's setup pages instead.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _platform_operator

api_v1 = [
    path("", include("reports.api_urls")),
    path("", include("scoring.assessment.api_urls")),
    path("", include("scoring.jobs.api_urls")),
    path("", include("appraisal.assignments.api_urls")),
    path("", include("scoring.units.api_urls")),
    path("", include("scoring.periods.api_urls")),
    path("", include("scoring.accounts.people.api_urls")),
    path("", include("scoring.evaluation.api_urls")),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    # Before Django's auth URLs: the password change and reset views that keep must_change_password right,
    # the second factor and the login locks.
    path("", include("scoring.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("tieu-chi/", include("scoring.evaluation.urls")),
    path("nam-danh-gia/", include("scoring.periods.urls")),
    path("quan-ly/don-vi/", include("scoring.units.urls")),
    path("ket-qua/", include("reports.urls")),
    path("tu-danh-gia/", include("scoring.assessment.urls")),
    path("tham-dinh/", include("appraisal.urls")),
    path("dieu-tra/", include("surveys.urls")),
    path("cong-khai/", include("reports.public.urls")),
    path("", include("scoring.audit.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline <script> for the CSP to refuse.
    path("api/docs/", docs_view(SpectacularSwaggerSplitView), name="api-docs"),
    # Redoc parses the schema in a Web Worker it creates from a blob: URL.
    path(
        "api/redoc/", docs_view(SpectacularRedocView, **{"worker-src": ["'self'", "blob:"]}), name="api-redoc"
    ),
    path("healthz", healthz, name="healthz"),
]

# Vietnamese error pages (JSON under /api/); see parindex/errors.py for DEBUG on.
handler400 = "parindex.errors.bad_request"
handler403 = "parindex.errors.permission_denied"
handler404 = "parindex.errors.page_not_found"
handler500 = "parindex.errors.server_error"
