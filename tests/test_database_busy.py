"""The last resort: a SQLite lock that outlasts the busy timeout answers 409 with a Vietnamese message."""

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import path

from parindex.middleware import DatabaseBusyMiddleware, is_database_locked

MESSAGE = "Hệ thống đang bận lưu một thay đổi khác cùng lúc; chưa có gì được lưu. Vui lòng thử lại."


@pytest.fixture(name="middleware")
def middleware_fixture():
    return DatabaseBusyMiddleware(lambda request: None)


def test_only_the_lock_error_is_recognised():
    assert is_database_locked(OperationalError("database is locked"))
    assert is_database_locked(OperationalError("database table is locked"))
    assert not is_database_locked(OperationalError("no such table: scoring_unit"))
    assert not is_database_locked(ValueError("database is locked"))


def test_an_api_call_gets_json_409(middleware):
    request = RequestFactory().post("/api/v1/jobs/")
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 409
    assert json.loads(response.content) == {"detail": MESSAGE, "retry": True}


def test_an_htmx_request_gets_json_409(middleware):
    request = RequestFactory().post("/tu-danh-gia/1/tieu-chi/2/", HTTP_HX_REQUEST="true")
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 409
    assert json.loads(response.content)["detail"] == MESSAGE


@pytest.mark.django_db
def test_a_page_gets_an_html_409(middleware):
    request = RequestFactory().post("/tu-danh-gia/1/tieu-chi/2/")
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert MESSAGE in response.content.decode()


def test_other_database_errors_stay_500(middleware):
    request = RequestFactory().post("/api/v1/jobs/")
    assert middleware.process_exception(request, OperationalError("disk I/O error")) is None


def _locked_view(request):
    raise OperationalError("database is locked")


# The module is its own URLconf for the test below (pytest.mark.urls).
urlpatterns = [path("api/locked/", _locked_view), path("locked/", _locked_view)]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_database_busy")
def test_the_installed_middleware_turns_a_view_lock_into_409(client):
    assert client.post("/api/locked/").status_code == 409
    page = client.post("/locked/")
    assert page.status_code == 409
    assert MESSAGE in page.content.decode()
