"""/api/v1/periods/: create a year (from last year), deadlines, bands, the checklist and opening, over the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scoring.models import AuditEvent, ClassificationBand, Period, PeriodStatus
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory
from tests.scoring.periods.conftest import make_ready, staff_unit

from .helpers import bearer, refusal

PERIODS = reverse("period-list-api")
DEADLINES = {
    "starts_on": "2026-01-02",
    "self_assessment": "2026-02-01T17:00:00+07:00",
    "explanation": "2026-03-01T17:00:00+07:00",
    "round2": "2026-04-01T17:00:00+07:00",
    "council": "2026-05-01T17:00:00+07:00",
}


def url(name: str, period: Period) -> str:
    return reverse(name, args=[period.pk])


@pytest.fixture
def last_year(body, departments, unit):
    period = PeriodFactory(
        body=body, year=2025, status=PeriodStatus.OPEN, bands=[("tot", "Tốt", "80"), ("yeu", "Yếu", "0")]
    )
    build_criteria_set(period=period, unit_group=departments)
    staff_unit(body, unit)
    return period


@pytest.fixture
def period(body):
    return PeriodFactory(body=body, year=2026, status=PeriodStatus.SETUP)


def test_the_admin_creates_a_year_from_last_year(body, body_admin, last_year):
    client = bearer(body_admin)

    response = client.post(PERIODS, {"body": body.code, "year": 2026}, format="json")

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["source_year"] == 2025 and answer["period"]["status"] == "setup"
    assert answer["copied"]["Mức xếp loại"] == 2 and answer["copied"]["Bộ tiêu chí"] == 1
    created = Period.objects.get(body=body, year=2026)
    assert list(created.bands.values_list("code", flat=True)) == ["tot", "yeu"]
    assert AuditEvent.objects.get(action="period_create").actor == body_admin
    listed = client.get(PERIODS, {"body": body.code}).json()
    assert [p["year"] for p in listed["results"]] == [2026, 2025]


def test_a_year_that_exists_or_out_of_range_is_refused(body, body_admin, last_year):
    client = bearer(body_admin)

    again = client.post(PERIODS, {"body": body.code, "year": 2025}, format="json")
    too_early = client.post(PERIODS, {"body": body.code, "year": 1999}, format="json")

    assert refusal(again, "year") == "Đã có kỳ đánh giá năm 2025."
    assert refusal(too_early, "year") == "Giá trị nhỏ nhất là 2000."
    assert Period.objects.filter(body=body).count() == 1


def test_deadlines_are_saved_in_part_and_audited(body_admin, period):
    client = bearer(body_admin)

    first = client.patch(url("period-deadlines-api", period), DEADLINES, format="json")
    second = client.patch(
        url("period-deadlines-api", period), {"council": "2026-05-15T17:00:00+07:00"}, format="json"
    )

    assert first.status_code == 200, first.content
    assert second.status_code == 200
    period.refresh_from_db()
    assert period.self_assessment_deadline.isoformat() == "2026-02-01T10:00:00+00:00"
    assert period.council_deadline.day == 15
    assert AuditEvent.objects.filter(action="period_deadline", actor=body_admin).count() == 6


def test_deadlines_out_of_order_are_refused_and_nothing_saved(body_admin, period):
    payload = {**DEADLINES, "explanation": "2026-01-15T17:00:00+07:00"}

    response = bearer(body_admin).patch(url("period-deadlines-api", period), payload, format="json")

    assert refusal(response, "explanation") == "Hạn giải trình phải sau hạn tự đánh giá."
    period.refresh_from_db()
    assert period.self_assessment_deadline is None
    assert not AuditEvent.objects.filter(action="period_deadline").exists()


def test_a_malformed_deadline_is_refused_in_vietnamese(body_admin, period):
    response = bearer(body_admin).patch(
        url("period-deadlines-api", period), {"round2": "15/01"}, format="json"
    )

    assert refusal(response, "round2").startswith("Hãy nhập thời điểm dạng")


def test_bands_are_read_and_replaced(body_admin, period):
    client = bearer(body_admin)
    bands = [
        {"code": "tot", "label": "Tốt", "min_index": "85"},
        {"code": "kha", "label": "Khá", "min_index": "65.5"},
        {"code": "yeu", "label": "Yếu", "min_index": "0"},
    ]

    response = client.put(url("period-bands-api", period), bands, format="json")

    assert response.status_code == 200, response.content
    assert client.get(url("period-bands-api", period)).json() == [
        {"code": "tot", "label": "Tốt", "min_index": "85.00"},
        {"code": "kha", "label": "Khá", "min_index": "65.50"},
        {"code": "yeu", "label": "Yếu", "min_index": "0.00"},
    ]
    assert AuditEvent.objects.filter(action="period_bands", actor=body_admin).count() == 1


def test_overlapping_bands_are_refused_and_the_old_ones_kept(body_admin, period):
    bands = [
        {"code": "tot", "label": "Tốt", "min_index": "50"},
        {"code": "kha", "label": "Khá", "min_index": "50"},
        {"code": "yeu", "label": "Yếu", "min_index": "0"},
    ]

    response = bearer(body_admin).put(url("period-bands-api", period), bands, format="json")

    assert "chồng lên nhau" in refusal(response, None)
    assert ClassificationBand.objects.filter(period=period).count() == 4
    assert not AuditEvent.objects.filter(action="period_bands").exists()


def test_a_band_with_a_bad_threshold_is_refused_on_its_row(body_admin, period):
    bands = [{"code": "tot", "label": "Tốt", "min_index": "nhiều"}]

    response = bearer(body_admin).put(url("period-bands-api", period), bands, format="json")

    assert refusal(response, "0.min_index") == "Hãy nhập một số, ví dụ 70 hoặc 72.5."


def test_open_is_refused_with_the_checklist_until_it_holds(body, body_admin, departments, unit, appraiser):
    period = PeriodFactory(body=body, year=2026, status=PeriodStatus.SETUP)
    build_criteria_set(period=period, unit_group=departments)
    staff_unit(body, unit)
    client = bearer(body_admin)

    checklist = client.get(url("period-checklist-api", period)).json()
    refused = client.post(url("period-open-api", period))

    assert checklist["ready"] is False
    assert {p["reason"] for p in checklist["problems"]} == {"unset", "no_appraiser"}
    assert refused.status_code == 400
    assert {p["reason"] for p in refused.json()["problems"]} == {"unset", "no_appraiser"}
    assert refused.json()["detail"] == "Chưa thể mở kỳ đánh giá: còn 2 việc chưa xong."
    period.refresh_from_db()
    assert period.status == PeriodStatus.SETUP

    make_ready(period, units=[unit], appraiser=appraiser)
    assert client.get(url("period-checklist-api", period)).json() == {"ready": True, "problems": []}
    opened = client.post(url("period-open-api", period))

    assert opened.status_code == 200 and opened.json()["status"] == "open"
    assert AuditEvent.objects.get(action="period_open").actor == body_admin
    again = client.post(url("period-open-api", period))
    assert "đã mở" in refusal(again, None)


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "period-detail-api", None),
        ("get", "period-checklist-api", None),
        ("get", "period-bands-api", None),
        ("put", "period-bands-api", [{"code": "a", "label": "A", "min_index": "0"}]),
        ("patch", "period-deadlines-api", {"starts_on": "2026-01-01"}),
        ("post", "period-open-api", None),
    ],
)
def test_another_bodys_admin_gets_404_and_changes_nothing(period, outsider, method, name, data):
    response = getattr(bearer(outsider), method)(url(name, period), data, format="json")

    assert response.status_code == 404
    period.refresh_from_db()
    assert (period.starts_on, period.status, period.bands.count()) == (None, PeriodStatus.SETUP, 4)


def test_a_year_cannot_be_created_in_another_body(body, outsider):
    response = bearer(outsider).post(PERIODS, {"body": body.code, "year": 2030}, format="json")

    assert response.status_code == 404
    assert not Period.objects.filter(year=2030).exists()


def test_the_period_list_takes_a_fixed_number_of_queries(body, body_admin, django_assert_max_num_queries):
    client = bearer(body_admin)
    client.get(PERIODS)
    for year in range(2000, 2030):
        PeriodFactory(body=body, year=year)

    with django_assert_max_num_queries(6):
        response = client.get(PERIODS)

    assert response.json()["count"] == 30
