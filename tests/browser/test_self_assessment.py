"""A unit's self-assessment in a real browser: score, upload, reload, submit; another unit stays out of reach."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from scoring.assessment.services import evidence_upload, self_score_save
from scoring.models import CriteriaItem, Evidence, Method, SelfScore
from scoring.workflow import Status
from tests.browser.conftest import ARTIFACTS
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import (
    assessment_for,
    build_criteria_set,
    leaf_items,
    mark_not_applicable,
)
from tests.scoring.factories import PeriodFactory

pytestmark = pytest.mark.browser

PDF_NAME = "Kế hoạch CCHC 2026.pdf"


@pytest.fixture
def dossiers(unit, other_unit, unit_officer, unit_head):
    """Return Sở Nội vụ's half-done dossier and Sở Tư pháp's, each on a small real-looking tree."""
    period = PeriodFactory(body=unit.body, year=2026)
    period.self_assessment_deadline = timezone.now() + timedelta(days=12)
    period.save()
    criteria_set = build_criteria_set(period=period, unit_group=unit.group, survey_every=4)
    leaves = leaf_items(criteria_set)
    mark_not_applicable(item=leaves[4], unit=unit, reason="Đơn vị không có đơn vị sự nghiệp công lập")
    ours = assessment_for(unit=unit, criteria_set=criteria_set)
    theirs = assessment_for(unit=other_unit, criteria_set=criteria_set)
    # Everything but the first two items is already scored, so that the officer's two saves complete it.
    for leaf in leaves[2:]:
        if leaf.method == Method.APPRAISAL and leaf != leaves[4]:
            SelfScore.objects.create(
                assessment=ours,
                item=leaf,
                points=leaf.max_points,
                justification="Đã thực hiện đầy đủ",
                no_evidence_reason="Không phát sinh văn bản trong năm",
                version=1,
                updated_by=unit_officer,
            )
    their_evidence = evidence_upload(
        assessment=theirs,
        uploaded_file=SimpleUploadedFile("Báo cáo Sở Tư pháp.pdf", samples.PDF),
        item_ids=[leaves[0].pk],
        actor=_head_of(other_unit),
    )
    return ours, theirs, their_evidence


def _head_of(unit):
    from scoring.models import Role
    from tests.scoring.factories import RoleAssignmentFactory, UserFactory

    head = UserFactory(username=f"thutruong-{unit.code}")
    RoleAssignmentFactory(user=head, body=unit.body, role=Role.UNIT_HEAD, unit=unit)
    return head


def save_path(assessment, code: str) -> str:
    item = CriteriaItem.objects.get(criteria_set=assessment.criteria_set, code=code)
    return reverse("assessment:item_save", args=[assessment.pk, item.pk])


def _item(page, code: str):
    return page.locator(f'[id="item-{code}"]')


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"self-assessment-{name}.png", full_page=True)


def test_officer_scores_uploads_and_the_head_submits(
    logged_in_page, dossiers, unit_officer, unit_head, tmp_path
):
    ours, theirs, their_evidence = dossiers
    page = logged_in_page(unit_officer)

    page.get_by_role("navigation").get_by_role("link", name="Tự đánh giá").click()
    page.get_by_role("link", name="Sở Nội vụ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Nội vụ")
    progress = page.get_by_test_id("progress-text")
    expect(progress).to_have_text("Đã chấm 3/5 tiêu chí")

    # A score above the maximum is refused next to the field, and what was typed stays.
    first = _item(page, "1.1.1")
    first.get_by_label("Điểm tự chấm").fill("1,5")
    first.get_by_label("Điểm tự chấm").press("Tab")
    expect(first.get_by_role("alert")).to_contain_text("Điểm tối đa của tiêu chí 1.1.1 là 1,00")
    expect(first.get_by_label("Điểm tự chấm")).to_have_value("1,5")
    expect(progress).to_have_text("Đã chấm 3/5 tiêu chí")
    _shot(page, "refused")

    first.get_by_label("Điểm tự chấm").fill("0,75")
    first.get_by_label("Giải thích, căn cứ chấm điểm").fill("Kế hoạch số 12/KH-SNV ngày 10/01/2026")
    first.get_by_label("Giải thích, căn cứ chấm điểm").press("Tab")
    expect(progress).to_have_text("Đã chấm 4/5 tiêu chí")
    expect(first.locator(".item-state")).to_contain_text("Đã chấm: 0,75")

    # A second save of the same item carries the new version that came back with the first one.
    with page.expect_response(lambda r: save_path(ours, "1.1.1") in r.url) as saved:
        first.get_by_label("Giải thích, căn cứ chấm điểm").fill(
            "Kế hoạch số 12/KH-SNV ngày 10/01/2026 (bản ký)"
        )
        first.get_by_label("Giải thích, căn cứ chấm điểm").press("Tab")
    assert saved.value.status == 200
    first.get_by_label("Giải thích, căn cứ chấm điểm").fill("Kế hoạch số 12/KH-SNV ngày 10/01/2026")
    with page.expect_response(lambda r: save_path(ours, "1.1.1") in r.url) as saved:
        first.get_by_label("Giải thích, căn cứ chấm điểm").press("Tab")
    assert saved.value.status == 200

    pdf = tmp_path / PDF_NAME
    pdf.write_bytes(samples.PDF)
    first.locator("input[type=file]").set_input_files(pdf)
    expect(_item(page, "1.1.1").get_by_role("link", name=PDF_NAME)).to_be_visible()

    # Meanwhile the head saves 1.1.2 from another computer: the officer's save must not overwrite it silently.
    self_score_save(
        assessment=ours,
        item=CriteriaItem.objects.get(criteria_set=ours.criteria_set, code="1.1.2"),
        points=Decimal("0.5"),
        justification="",
        no_evidence_reason="",
        expected_version=0,
        actor=unit_head,
    )
    second = _item(page, "1.1.2")
    second.get_by_label("Điểm tự chấm").fill("1")
    second.get_by_label("Lý do không có tài liệu kiểm chứng").fill("Nhiệm vụ không phát sinh văn bản")
    second.get_by_label("Lý do không có tài liệu kiểm chứng").press("Tab")
    expect(second.get_by_role("alert").filter(has_text="Giá trị bạn nhập")).to_contain_text(
        f"Giá trị bạn nhập: 1,00 — giá trị đã lưu bởi {unit_head}"
    )
    expect(second.get_by_role("alert").filter(has_text="Giá trị bạn nhập")).to_contain_text(": 0,50")
    _shot(page, "conflict")
    second.get_by_role("button", name="Giữ giá trị của tôi").click()
    expect(progress).to_have_text("Đã chấm 5/5 tiêu chí")
    expect(_item(page, "1.1.2").locator(".item-state")).to_contain_text("Đã chấm: 1,00")
    expect(_item(page, "1.1.2").get_by_text("Giá trị bạn nhập")).to_have_count(0)

    # The plan uploaded for 1.1.1 also backs 1.1.2: picked from the dossier, not uploaded twice.
    _item(page, "1.1.2").get_by_text("Dùng tài liệu đã tải lên").click()
    _item(page, "1.1.2").get_by_label(PDF_NAME).check()
    _item(page, "1.1.2").get_by_role("button", name="Dùng cho tiêu chí 1.1.2").click()
    expect(_item(page, "1.1.2").get_by_role("link", name=PDF_NAME)).to_be_visible()
    expect(page.get_by_test_id("progress-text")).to_have_text("Đã chấm 5/5 tiêu chí")
    expect(page.get_by_test_id("provisional-total")).to_contain_text("4,75")
    _shot(page, "scored")

    page.reload()
    expect(_item(page, "1.1.1").get_by_label("Điểm tự chấm")).to_have_value("0,75")
    expect(_item(page, "1.1.1").get_by_label("Giải thích, căn cứ chấm điểm")).to_have_value(
        "Kế hoạch số 12/KH-SNV ngày 10/01/2026"
    )
    expect(_item(page, "1.1.1").get_by_role("link", name=PDF_NAME)).to_be_visible()
    expect(_item(page, "1.1.2").get_by_label("Điểm tự chấm")).to_have_value("1")
    expect(_item(page, "1.1.2").get_by_role("link", name=PDF_NAME)).to_be_visible()
    assert Evidence.objects.get(assessment=ours).items.count() == 2
    expect(page.get_by_test_id("progress-text")).to_have_text("Đã chấm 5/5 tiêu chí")
    assert SelfScore.objects.get(assessment=ours, item__code="1.1.1").version == 3
    assert SelfScore.objects.get(assessment=ours, item__code="1.1.2").version == 2

    # Another unit's dossier and evidence do not exist for this officer.
    response = page.goto(reverse("assessment:sheet", args=[theirs.pk]))
    assert response.status == 404
    response = page.request.get(reverse("assessment:evidence_download", args=[their_evidence.pk]))
    assert response.status == 404
    page.go_back()

    page = logged_in_page(unit_head)
    page.goto(reverse("assessment:sheet", args=[ours.pk]))
    page.get_by_test_id("submit-link").click()
    expect(page.get_by_text("Mọi tiêu chí đã được chấm điểm")).to_be_visible()
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã gửi")
    expect(page.locator("input[name=points]")).to_have_count(0)
    expect(page.get_by_text(re.compile("Rút lại"))).to_be_visible()
    _shot(page, "submitted")
    ours.refresh_from_db()
    assert ours.status == Status.SUBMITTED and ours.submitted_by == unit_head
