"""The project's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.urls import path

from parindex.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def _raise(exc):
    def view(request):
        raise exc

    return view


urlpatterns = [
    path("loi/400/", _raise(BadRequest("bad"))),
    path("loi/403/", _raise(PermissionDenied())),
    path("loi/404/", _raise(Http404("nothing"))),
    path("loi/500/", _raise(RuntimeError("boom"))),
    path("api/loi/403/", _raise(PermissionDenied())),
    path("api/loi/500/", _raise(RuntimeError("boom"))),
    *urlpatterns,
]
