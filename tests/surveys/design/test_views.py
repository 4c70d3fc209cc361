"""Survey design pages over HTTP: the forms list with Excel export / import (errors table) / copy, the sample plan."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from surveys.models import BallotForm, SamplePlan
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory
from tests.surveys.helpers import survey_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=3)


@pytest.fixture
def admin_client(client, body_admin):
    client.force_login(body_admin)
    return client


def test_forms_list_shows_questions_options_and_shares(admin_client, survey, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("surveys:form_list", args=[survey.period.pk]))
    text = response.content.decode()
    assert "M1. Phiếu M1: đánh giá Sở, ban, ngành" in text
    assert "Đánh giá về Tiêu chí thành phần 1.1.2" in text
    assert "A 100 %" in text and "B 60 %" in text and "D 0 %" in text and "không tính" in text


def test_forms_export_downloads_a_workbook(admin_client, survey):
    response = admin_client.get(reverse("surveys:forms_export", args=[survey.period.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["Mẫu phiếu"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]] == ["M1", "M2"]


def test_forms_import_refuses_a_bad_workbook_with_an_errors_table(admin_client, survey):
    content = admin_client.get(reverse("surveys:forms_export", args=[survey.period.pk])).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Mẫu phiếu"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Mã nhóm đơn vị được đánh giá") + 1, value="khong-co-nhom")
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("mau-phieu.xlsx", buffer.getvalue())

    response = admin_client.post(
        reverse("surveys:forms_import", args=[survey.period.pk]), {"workbook": upload}
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-testid="import-errors"' in text and "Mã nhóm đơn vị được đánh giá" in text
    assert BallotForm.objects.get(code="M1").target_group.code == "so-ban-nganh"


def test_forms_clone_copies_last_years_forms(admin_client, survey, body, departments):
    target = PeriodFactory(body=body, year=2027)
    build_criteria_set(period=target, unit_group=departments, survey_every=2)

    response = admin_client.post(
        reverse("surveys:forms_clone", args=[target.pk]), {"source_period": survey.period.pk}, follow=True
    )

    assert "Đã sao chép 2 mẫu phiếu từ năm 2026." in response.content.decode()
    assert BallotForm.objects.filter(period=target).count() == 2


def test_sample_plan_grid_saves_changed_cells_and_refuses_bad_numbers(admin_client, survey, unit, other_unit):
    m1 = survey.form("M1")
    url = reverse("surveys:sample_plan", args=[survey.period.pk])
    data = {f"plan-{f.pk}-{u.pk}": "3" for f in survey.forms for u in (unit, other_unit)}

    data[f"plan-{m1.pk}-{unit.pk}"] = "12"
    response = admin_client.post(url, data, follow=True)
    assert "Đã lưu kế hoạch mẫu (1 ô thay đổi)." in response.content.decode()
    assert SamplePlan.objects.get(form=m1, unit=unit).issued == 12

    data[f"plan-{m1.pk}-{unit.pk}"] = "mười"
    response = admin_client.post(url, data)
    assert response.status_code == 400
    assert "“mười” không phải số phiếu hợp lệ." in response.content.decode()
    assert 'value="mười"' in response.content.decode()


@pytest.mark.parametrize("name", ["surveys:form_list", "surveys:sample_plan", "surveys:forms_export"])
def test_design_pages_are_404_for_another_body(client, survey, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[survey.period.pk])).status_code == 404
