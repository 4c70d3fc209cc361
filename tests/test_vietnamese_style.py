"""Vietnamese without slips: people's names and Vietnamese numbers in the history, no doubled "năm năm",
no "sipas." numbering, the chart axis titles translated."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.assessment.services import self_score_save
from scoring.formatting import numbered
from scoring.models import Job
from tests.scoring.assessment_helpers import appraisal_items, assessment_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(unit):
    return assessment_for(unit=unit)


def test_history_shows_full_names_and_vietnamese_numbers(client, assessment, unit_officer):
    unit_officer.full_name = "Nguyễn Thị Lan"
    unit_officer.save(update_fields=["full_name"])
    item = appraisal_items(assessment.criteria_set)[0]
    self_score_save(
        assessment=assessment,
        item=item,
        points=Decimal("0.5"),
        justification="Căn cứ",
        no_evidence_reason="",
        expected_version=0,
        actor=unit_officer,
    )
    client.force_login(unit_officer)
    html = client.get(reverse("assessment:history", args=[assessment.pk])).content.decode()
    assert "Nguyễn Thị Lan" in html
    assert ">canbo-snv<" not in html
    assert "0,50" in html and ">0.5<" not in html


def test_job_pages_say_the_year_once(client, body, body_admin):
    body_admin.full_name = "Trần Văn Hùng"
    body_admin.save(update_fields=["full_name"])
    job = Job.objects.create(body=body, kind="annual", year=2026, requested_by=body_admin, format="pdf")
    client.force_login(body_admin)
    detail = client.get(reverse("reports:report_job_detail", args=[job.pk])).content.decode()
    listing = client.get(reverse("reports:report_jobs"), {"body": body.code}).content.decode()
    for html in (detail, listing):
        assert "năm năm" not in html
        assert "Trần Văn Hùng" in html
    assert "Báo cáo kết quả Chỉ số CCHC năm 2026" in detail


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("3", "Cải cách thủ tục hành chính", "3. Cải cách thủ tục hành chính"),
        (
            "sipas",
            "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
            "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
        ),
        ("", "Tổng", "Tổng"),
        ("4", "", "4"),
    ],
)
def test_numbered_names_never_read_sipas_dot(code, name, expected):
    assert numbered(code, name) == expected


def test_people_sample_has_vietnamese_headers_the_bodys_codes_and_example_accounts(
    client, body, body_admin, unit
):
    import csv
    import io

    from scoring.accounts import io as users_io
    from scoring.accounts.services import users_role_vocabulary
    from scoring.models import User

    client.force_login(body_admin)
    response = client.get(reverse("people:import_sample", args=[body.code]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Tên đăng nhập", "Họ và tên", "Email", "Vai trò", "Mã đơn vị", "Mã cơ quan"]
    assert {r[5] for r in rows[1:]} == {body.code}
    assert unit.code in {r[4] for r in rows[1:]}
    usernames = {r[0] for r in rows[1:]}
    assert all(name.startswith("vidu-") for name in usernames)
    assert not User.objects.filter(username__in=usernames).exists()
    parsed = users_io.parse_users(content=response.content, filename="mau.csv", roles=users_role_vocabulary())
    assert parsed.errors == ()


def test_import_samples_have_vietnamese_headers():
    from reports.province import io as province_io
    from reports.published import io as published_io

    def header_of(text: str) -> str:
        return next(line for line in text.splitlines() if not line.startswith("#"))

    assert header_of(published_io.sample_csv()).startswith("Năm,Nhóm,Mã đơn vị,Tên đơn vị,Điểm thẩm định")
    assert header_of(province_io.template_results_csv()).startswith("Năm,Điểm thẩm định,Điểm điều tra XHH")
    assert header_of(province_io.template_fields_csv()).startswith("Năm,Mã lĩnh vực,Tên lĩnh vực")
    for text in (published_io.sample_csv(), province_io.template_results_csv()):
        assert "year" not in header_of(text) and "appraisal_points" not in header_of(text)


@pytest.mark.parametrize("typed", ["Điểm thẩm định", "điểm  thẩm định", "Diem tham dinh", "appraisal_points"])
def test_headers_read_in_vietnamese_unaccented_or_english(typed):
    from scoring.spreadsheets.headers import canonical_header

    assert canonical_header(typed, {"Điểm thẩm định": "appraisal_points"}) == "appraisal_points"
