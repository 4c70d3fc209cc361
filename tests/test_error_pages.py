"""Vietnamese error pages (400, 403, 404, 500) with DEBUG on and off; JSON under /api/."""

from __future__ import annotations

import copy

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]

TITLES = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy trang",
    500: "Lỗi hệ thống",
}
ENGLISH = ("Not Found", "Bad Request", "Forbidden", "Server Error", "Page not found", "Using the URLconf")


def _get(path: str):
    return Client(raise_request_exception=False).get(path)


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("status", [400, 403, 404])
def test_error_pages_are_vietnamese_with_debug_on_and_off(settings, debug, status):
    settings.DEBUG = debug
    response = _get(f"/loi/{status}/")
    assert response.status_code == status
    text = response.content.decode()
    assert TITLES[status] in text and 'lang="vi"' in text
    assert not any(word in text for word in ENGLISH)


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_address_gets_the_vietnamese_404(settings, debug):
    settings.DEBUG = debug
    response = _get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert TITLES[404] in response.content.decode()
    assert "Not Found" not in response.content.decode()


def test_a_missing_slash_is_still_redirected_with_debug_on(settings):
    settings.DEBUG = True
    response = _get("/tu-danh-gia")
    assert response.status_code == 301 and response["Location"].endswith("/tu-danh-gia/")


def test_server_error_page_is_vietnamese_and_needs_no_request_context(settings):
    settings.DEBUG = False
    # The context processors query the database; the 500 page must not depend on them.
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"] = ["scoring.nonexistent.processor"]
    settings.TEMPLATES = templates  # assigned, not mutated: the fixture puts the old value back
    response = _get("/loi/500/")
    assert response.status_code == 500
    assert TITLES[500] in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_api_errors_stay_json(settings, debug):
    settings.DEBUG = debug
    missing = _get("/api/v1/khong-co/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert "detail" in missing.json()
    forbidden = _get("/api/loi/403/")
    assert forbidden.status_code == 403 and forbidden.json()["detail"]


def test_api_server_error_is_json(settings):
    settings.DEBUG = False
    response = _get("/api/loi/500/")
    assert response.status_code == 500 and response.json()["detail"]


def test_server_error_with_debug_on_is_the_vietnamese_page_and_the_traceback_is_logged(settings, caplog):
    settings.DEBUG = True
    with caplog.at_level("ERROR", logger="django.request"):
        response = _get("/loi/500/")
    assert response.status_code == 500
    text = response.content.decode()
    assert TITLES[500] in text and not any(word in text for word in ENGLISH) and "Traceback" not in text
    assert any(record.exc_info for record in caplog.records)


def test_a_developer_may_ask_for_the_technical_page(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_500 = True
    response = _get("/loi/500/")
    assert response.status_code == 500 and TITLES[500] not in response.content.decode()
