"""A unit's papers to sign: its self-assessment dossier and its appraisal result notice, as PDFs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.papers.services import report_particulars_update
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, assign, submitted_assessment
from tests.conftest_constants import PASSWORD
from tests.reports.papers.test_annual_papers import pdf_pages
from tests.scoring.assessment_helpers import appraisal_items, build_criteria_set
from tests.scoring.factories import RoleAssignmentFactory, UnitFactory, UnitGroupFactory

PAPER_MAX_QUERIES = 14  # session, user, roles, the dossier, its items, scores, evidence, rounds, particulars


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def dossier(unit):
    assessment = submitted_assessment(unit=unit, status=Status.EXPLANATION)
    items = appraisal_items(assessment.criteria_set)
    for item in items:
        lose = item == items[0]
        appraise(
            assessment=assessment,
            item=item,
            points=item.max_points - Decimal("0.5") if lose else item.max_points,
            comment="Chưa ban hành kế hoạch đúng hạn" if lose else "",
            needs_explanation=lose,
        )
    return assessment


@pytest.fixture
def other_unit_officer(body, departments):
    from tests.conftest import _person

    other = UnitFactory(body=body, group=departments, code="so-tu-phap", name="Sở Tư pháp")
    submitted_assessment(unit=other)
    return _person("canbo-stp", body, "unit_officer", other)


def test_dossier_pdf_lists_every_item_with_its_self_score(client, unit_officer, dossier, tmp_path):
    _login(client, unit_officer)

    response = client.get(reverse("reports:dossier_pdf", args=[dossier.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "tu-danh-gia-so-noi-vu-2026.pdf" in response["Content-Disposition"]
    pages = pdf_pages(response.content, tmp_path)
    text = "\n".join(pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0] and "SỞ NỘI VỤ" in pages[0]
    assert "/BC-SNV" in pages[0]
    for item in appraisal_items(dossier.criteria_set):
        assert item.code in text
    assert "Nơi nhận:" in pages[-1] and "THỦ TRƯỞNG ĐƠN VỊ" in pages[-1]
    assert "Tổng điểm tự đánh giá" in pages[-1]  # the last paragraph stands with the signature


def test_notice_pdf_carries_the_changed_items_and_the_periods_signer(
    client, body_admin, unit_officer, dossier, tmp_path
):
    report_particulars_update(
        actor=body_admin,
        period=dossier.period,
        number="9/BC-SNV",
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn An",
    )
    _login(client, unit_officer)
    sheet = client.get(reverse("assessment:sheet", args=[dossier.pk])).content.decode()
    notice_url = reverse("reports:appraisal_notice_pdf", args=[dossier.pk])
    assert notice_url in sheet and reverse("reports:dossier_pdf", args=[dossier.pk]) in sheet

    response = client.get(notice_url)

    assert response.status_code == 200
    pages = pdf_pages(response.content, tmp_path)
    text = "\n".join(pages)
    assert "THÔNG BÁO" in pages[0] and "/TB-SNV" in pages[0]
    assert "9/BC-SNV" not in text  # the annual report's number is not the notice's
    assert "Kính gửi: Sở Nội vụ" in text
    assert "Chưa ban hành kế hoạch đúng hạn" in text
    assert "Nguyễn Văn An" in pages[-1] and "KT. GIÁM ĐỐC" in pages[-1] and "- Sở Nội vụ;" in pages[-1]
    assert "giải trình" in pages[-1]


def test_notice_waits_for_round_one_to_be_sent(client, body_admin, unit, unit_officer):
    assessment = submitted_assessment(unit=unit, status=Status.ROUND_1)
    for user in (body_admin, unit_officer):
        _login(client, user)
        assert client.get(reverse("reports:appraisal_notice_pdf", args=[assessment.pk])).status_code == 404
    _login(client, unit_officer)
    assert (
        reverse("reports:appraisal_notice_pdf", args=[assessment.pk])
        not in client.get(reverse("assessment:sheet", args=[assessment.pk])).content.decode()
    )


@pytest.mark.parametrize("name", ["dossier_pdf", "appraisal_notice_pdf"])
def test_papers_are_for_the_unit_its_appraisers_and_the_admin_only(
    client, name, dossier, unit, body_admin, unit_officer, appraiser, outsider, other_unit_officer
):
    url = reverse(f"reports:{name}", args=[dossier.pk])
    assert client.get(url).status_code == 302  # to the login page
    _login(client, other_unit_officer)
    assert client.get(url).status_code == 404
    _login(client, outsider)
    assert client.get(url).status_code == 404
    _login(client, appraiser)  # not assigned to this unit
    assert client.get(url).status_code == 404
    assign(appraiser, unit)
    assert client.get(url).status_code == 200
    for user in (body_admin, unit_officer):
        _login(client, user)
        assert client.get(url).status_code == 200


def _appraised(unit, criteria_set=None):
    assessment = submitted_assessment(unit=unit, criteria_set=criteria_set, status=Status.EXPLANATION)
    for item in appraisal_items(assessment.criteria_set):
        appraise(assessment=assessment, item=item, points=item.max_points - Decimal("0.25"), comment="Thiếu")
    return assessment


@pytest.mark.parametrize("name", ["dossier_pdf", "appraisal_notice_pdf"])
def test_papers_read_a_fixed_number_of_queries(client, body, unit, unit_officer, name):
    """The dossier's items are read in flat queries: three times the items, the same queries."""
    small = _appraised(unit)
    communes = UnitGroupFactory(body=body, code="ubnd-xa", name="UBND cấp xã", order=2)
    other = UnitFactory(body=body, group=communes, code="xa-1", name="UBND xã Một")
    big_set = build_criteria_set(
        period=small.period, unit_group=communes, fields=3, criteria_per_field=3, items_per_criterion=3
    )
    big = _appraised(other, criteria_set=big_set)
    RoleAssignmentFactory(user=unit_officer, body=body, role="unit_officer", unit=other)
    _login(client, unit_officer)
    counts = []
    for assessment in (small, big):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"reports:{name}", args=[assessment.pk])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= PAPER_MAX_QUERIES
