"""The setup pages over HTTP: only the body's administrator gets them, bad input is refused and shown again,
a double submit creates once, and the checklist page's queries do not grow with the units."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scoring.models import AuditEvent, Period, PeriodStatus
from scoring.periods import services

from .conftest import LAST_YEAR, YEAR, make_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(body, last_year, body_admin):
    return services.period_create(body=body, year=YEAR, actor=body_admin).period


def _pages(period):
    return [
        ("get", reverse("periods:create", args=[period.body.code])),
        ("get", reverse("periods:checklist", args=[period.pk])),
        ("get", reverse("periods:deadlines", args=[period.pk])),
        ("post", reverse("periods:deadlines", args=[period.pk])),
        ("get", reverse("periods:bands", args=[period.pk])),
        ("post", reverse("periods:bands", args=[period.pk])),
        ("post", reverse("periods:open", args=[period.pk])),
        ("post", reverse("periods:create", args=[period.body.code])),
    ]


@pytest.mark.parametrize("persona", ["outsider", "unit_officer", "appraiser", "viewer"])
def test_anyone_but_the_bodys_administrator_gets_404(client, period, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for method, url in _pages(period):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    period.refresh_from_db()
    assert period.status == PeriodStatus.SETUP


def test_the_list_shows_only_the_administrators_bodies(client, period, outsider):
    client.force_login(outsider)
    response = client.get(reverse("periods:list"))
    assert response.status_code == 200
    assert b"2026" not in response.content and "dien-bien" in response.content.decode()


def test_create_from_last_year_shows_the_counts_and_a_double_submit_creates_once(
    client, body, last_year, body_admin
):
    client.force_login(body_admin)
    url = reverse("periods:create", args=[body.code])
    data = {"year": YEAR, "copy_previous": "on", "submission_key": "k" * 32}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 200
    assert Period.objects.filter(body=body, year=YEAR).count() == 1
    assert AuditEvent.objects.filter(action="period_create").count() == 1
    page = second.content.decode()
    assert "Phân công thẩm định" in page and "Bộ tiêu chí" in page and "Đã sao chép từ năm 2025" in page


def test_create_of_an_existing_year_is_refused_and_shows_what_was_typed(client, body, last_year, body_admin):
    client.force_login(body_admin)
    response = client.post(
        reverse("periods:create", args=[body.code]), {"year": LAST_YEAR, "submission_key": "x1"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Đã có kỳ đánh giá năm 2025" in page and 'value="2025"' in page
    assert Period.objects.filter(body=body).count() == 1


def test_bad_deadlines_are_refused_shown_again_and_nothing_changes(client, period, body_admin):
    client.force_login(body_admin)
    data = {"starts_on": "01/03/2026", "self_assessment": "01/02/2026 17:00", "explanation": "32/13/2026"}
    response = client.post(reverse("periods:deadlines", args=[period.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hãy nhập dạng dd/mm/yyyy HH:MM" in page
    assert 'value="01/02/2026 17:00"' in page and 'value="32/13/2026"' in page
    data["explanation"] = ""
    page = client.post(reverse("periods:deadlines", args=[period.pk]), data).content.decode()
    assert "Hạn tự đánh giá không được trước ngày bắt đầu kỳ (01/03/2026)." in page
    period.refresh_from_db()
    assert period.starts_on is None and period.self_assessment_deadline is None


def test_good_deadlines_are_saved_and_audited(client, period, body_admin):
    client.force_login(body_admin)
    data = {"starts_on": "02/01/2026", "self_assessment": "01/02/2026 17:00"}
    response = client.post(reverse("periods:deadlines", args=[period.pk]), data)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="period_deadline", actor=body_admin).count() == 2


def _bands_post(rows):
    data = {"bands-TOTAL_FORMS": len(rows), "bands-INITIAL_FORMS": 0}
    for i, (code, label, minimum) in enumerate(rows):
        data.update({f"bands-{i}-code": code, f"bands-{i}-label": label, f"bands-{i}-min_index": minimum})
    return data


def test_overlapping_bands_are_refused_and_shown_again(client, period, body_admin):
    client.force_login(body_admin)
    rows = [("tot", "Tốt", "70"), ("kha", "Khá", "70,0"), ("yeu", "Yếu", "0")]
    response = client.post(reverse("periods:bands", args=[period.pk]), _bands_post(rows))
    page = response.content.decode()
    assert "Hai mức xếp loại trùng ngưỡng 70" in page and 'value="70,0"' in page
    assert list(period.bands.values_list("code", flat=True)) == ["xuat_sac", "tot", "yeu"]


def test_bands_are_saved_with_a_decimal_comma(client, period, body_admin):
    client.force_login(body_admin)
    rows = [("tot", "Tốt", "80,5"), ("yeu", "Yếu", "0")]
    assert client.post(reverse("periods:bands", args=[period.pk]), _bands_post(rows)).status_code == 302
    assert [str(b.min_index) for b in period.bands.all()] == ["80.50", "0.00"]
    assert AuditEvent.objects.filter(action="period_bands").exists()


def test_open_is_refused_with_the_list_then_opens_when_complete(client, period, unit, appraiser, body_admin):
    client.force_login(body_admin)
    checklist = reverse("periods:checklist", args=[period.pk])
    page = client.get(checklist).content.decode()
    assert "Chưa đặt: Ngày bắt đầu" in page and reverse("periods:deadlines", args=[period.pk]) in page
    response = client.post(reverse("periods:open", args=[period.pk]), follow=True)
    assert "Chưa thể mở kỳ đánh giá" in response.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.SETUP
    make_ready(period, units=[unit], appraiser=appraiser)
    response = client.post(reverse("periods:open", args=[period.pk]), follow=True)
    assert "Đã mở kỳ đánh giá năm 2026" in response.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN


def test_missing_people_and_appraisers_are_listed_per_unit(client, period, more_units, body_admin):
    client.force_login(body_admin)
    extra = more_units(1)[0]
    page = client.get(reverse("periods:checklist", args=[period.pk])).content.decode()
    assert f"Đơn vị «{extra.name}» chưa được phân công người thẩm định." in page


def test_the_checklist_queries_do_not_grow_with_the_units(
    client, period, more_units, body_admin, django_assert_max_num_queries
):
    client.force_login(body_admin)
    url = reverse("periods:checklist", args=[period.pk])
    more_units(2)
    client.get(url)
    # 13 of the setup itself, and two of the lines the survey adds (scoring.periods.hooks.setup_lines).
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    more_units(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_list_queries_do_not_grow_with_the_periods(
    client, period, body, body_admin, django_assert_max_num_queries
):
    client.force_login(body_admin)
    url = reverse("periods:list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for year in range(2010, 2020):
        Period.objects.create(body=body, year=year)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_audit_log_names_the_setup_changes(client, period, body_admin):
    client.force_login(body_admin)
    client.post(reverse("periods:deadlines", args=[period.pk]), {"starts_on": "02/01/2026"})
    page = client.get(reverse("audit:log")).content.decode()
    assert "Tạo kỳ đánh giá" in page and "Đặt thời hạn kỳ đánh giá" in page and "Ngày bắt đầu" in page


def test_a_deadlines_form_read_before_another_save_is_refused_and_keeps_the_other_save(
    client, period, body_admin
):
    client.force_login(body_admin)
    url = reverse("periods:deadlines", args=[period.pk])
    seen = client.get(url).context["form"]["seen"].value()
    assert client.post(url, {"starts_on": "02/01/2026", "seen": seen}).status_code == 302
    response = client.post(url, {"starts_on": "05/01/2026", "seen": seen})
    page = response.content.decode()
    assert "Người khác vừa sửa thời hạn của kỳ này" in page and 'value="05/01/2026"' in page
    period.refresh_from_db()
    assert period.starts_on.day == 2


def test_a_bands_form_read_before_another_save_is_refused(client, period, body_admin):
    client.force_login(body_admin)
    url = reverse("periods:bands", args=[period.pk])
    seen = client.get(url).context["seen"]
    first = {**_bands_post([("dat", "Đạt", "50"), ("chua", "Chưa đạt", "0")]), "seen": seen}
    assert client.post(url, first).status_code == 302
    second = {**_bands_post([("tot", "Tốt", "80"), ("yeu", "Yếu", "0")]), "seen": seen}
    assert "Người khác vừa sửa mức xếp loại của kỳ này" in client.post(url, second).content.decode()
    assert list(period.bands.values_list("code", flat=True)) == ["dat", "chua"]
