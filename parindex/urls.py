from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from scoring.evaluation import views as scoring_views

api_v1 = [
    path("", include("reports.api_urls")),
    path("", include("scoring.assessment.api_urls")),
    path("", include("scoring.jobs.api_urls")),
]

urlpatterns = [
    path("", scoring_views.home, name="home"),
    # Before Django's auth URLs: the password change and reset views that keep must_change_password right,
    # the second factor and the login locks.
    path("", include("scoring.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("tieu-chi/", include("scoring.evaluation.urls")),
    path("ket-qua/", include("reports.urls")),
    path("tu-danh-gia/", include("scoring.assessment.urls")),
    path("tham-dinh/", include("appraisal.urls")),
    path("dieu-tra/", include("surveys.urls")),
    path("cong-khai/", include("reports.public.urls")),
    path("", include("scoring.audit.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
