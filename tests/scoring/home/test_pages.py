"""The home page says each role's next step: the unit's dossier, the appraiser's list, the council, the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisal.models import ItemAppraisal, Round
from scoring.models import PeriodStatus, Role
from scoring.workflow import Status
from tests.appraisal.helpers import assign, set_status, submitted_assessment
from tests.scoring.assessment_helpers import appraisal_items, assessment_for, build_criteria_set, fill_scores
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(body, departments):
    period = PeriodFactory(
        body=body,
        year=2026,
        status=PeriodStatus.OPEN,
        self_assessment_deadline=timezone.now() + timedelta(days=2, hours=12),
        explanation_deadline=timezone.now() + timedelta(days=10),
    )
    build_criteria_set(period=period, unit_group=departments)
    return period


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_unit_officer_sees_items_left_deadline_and_the_submission_check(client, period, unit, unit_officer):
    assessment = assessment_for(unit=unit, period=period)
    fill_scores(assessment=assessment, count=3)  # 3 of 8 appraisal leaves

    page = home(client, unit_officer)

    assert "Đã chấm 3/8 tiêu chí." in page
    assert f"Hạn gửi hồ sơ: {timezone.localtime(period.self_assessment_deadline):%d/%m/%Y}" in page
    assert "còn 3 ngày" in page
    assert "Bước tiếp theo: chấm 5 tiêu chí còn lại." in page
    assert reverse("assessment:submit", args=[assessment.pk]) in page


def test_unit_not_started_is_told_to_start(client, period, unit, unit_officer):
    page = home(client, unit_officer)

    assert "Đã chấm 0/8 tiêu chí." in page
    assert "mở hồ sơ và bắt đầu tự chấm điểm" in page


def test_unit_fully_scored_is_told_to_check_and_submit(client, period, unit, unit_officer):
    fill_scores(assessment=assessment_for(unit=unit, period=period))

    assert "đã chấm đủ, kiểm tra hồ sơ và gửi" in home(client, unit_officer)


def test_a_period_still_in_setup_is_not_offered_to_units(client, body, departments, unit, unit_officer):
    PeriodFactory(body=body, year=2026, status=PeriodStatus.SETUP)

    page = home(client, unit_officer)

    assert 'data-testid="home-dossier"' not in page
    assert 'data-testid="home-no-role"' in page


def test_unit_sees_what_the_appraisers_asked(client, period, unit, unit_officer):
    assessment = submitted_assessment(unit=unit, period=period, status=Status.EXPLANATION)
    for item in appraisal_items(assessment.criteria_set)[:2]:
        ItemAppraisal.objects.create(
            assessment=assessment, item=item, round=Round.FIRST, needs_explanation=True
        )

    page = home(client, unit_officer)

    assert "2 tiêu chí cần giải trình hoặc bổ sung tài liệu." in page
    assert reverse("appraisal:explanation", args=[assessment.pk]) in page
    assert "Bước tiếp theo: giải trình các ý kiến của Tổ giúp việc." in page


def test_another_units_dossier_never_shows(client, period, unit, other_unit, unit_officer):
    fill_scores(assessment=assessment_for(unit=other_unit, period=period), count=5)

    page = home(client, unit_officer)

    assert other_unit.name not in page
    assert page.count('data-testid="home-dossier"') == 1


def test_appraiser_sees_assigned_dossiers_and_who_sends_round_1(client, period, unit, other_unit, appraiser):
    mine = submitted_assessment(unit=unit, period=period)
    submitted_assessment(unit=other_unit, period=period)
    assign(appraiser, unit, period=period)

    page = home(client, appraiser)

    assert "1 hồ sơ được phân công đang chờ thẩm định." in page
    assert reverse("appraisal:sheet", args=[mine.pk]) in page
    assert other_unit.name not in page
    assert "quản trị (Sở Nội vụ) gửi kết quả cho đơn vị giải trình" in page


def test_council_member_sees_units_waiting(client, period, unit, other_unit, council_member):
    submitted_assessment(unit=unit, period=period, status=Status.ROUND_2)
    set_status(submitted_assessment(unit=other_unit, period=period), Status.ROUND_1)

    page = home(client, council_member)

    assert "1 đơn vị đang thẩm định vòng 2, chờ Hội đồng xem xét." in page
    assert reverse("appraisal:council", args=[period.pk]) in page


def test_admin_of_a_year_in_setup_sees_the_checklist(client, body, departments, unit, body_admin):
    period = PeriodFactory(body=body, year=2027, status=PeriodStatus.SETUP)

    page = home(client, body_admin)

    assert "Danh mục kiểm tra còn" in page
    assert reverse("periods:checklist", args=[period.pk]) in page


def test_admin_without_a_period_is_told_to_create_one(client, body, body_admin):
    page = home(client, body_admin)

    assert "tạo kỳ đánh giá của năm" in page
    assert reverse("periods:create", args=[body.code]) in page


def test_admin_of_an_open_year_sees_progress_and_rounds(client, period, unit, other_unit, body_admin):
    submitted_assessment(unit=unit, period=period, status=Status.ROUND_1)
    fill_scores(assessment=assessment_for(unit=other_unit, period=period), count=1)

    page = home(client, body_admin)

    assert "Đã gửi hồ sơ: 1/2 đơn vị." in page
    assert "Vòng 1 (gửi kết quả cho đơn vị khi xong): 1 hồ sơ" in page


def test_other_bodys_admin_sees_nothing_of_this_body(client, period, unit, outsider):
    submitted_assessment(unit=unit, period=period)

    page = home(client, outsider)

    assert period.body.name not in page
    assert unit.name not in page


def _many_units(body, group, period, numbers):
    for n in numbers:
        other = UnitFactory(body=body, group=group, code=f"don-vi-{n}", name=f"Đơn vị {n}")
        fill_scores(assessment=assessment_for(unit=other, period=period), count=2)


@pytest.mark.parametrize("role", [Role.BODY_ADMIN, Role.APPRAISER, Role.COUNCIL_MEMBER])
def test_home_queries_do_not_grow_with_units(
    client, django_assert_max_num_queries, body, departments, period, role
):
    user = UserFactory(username=f"u-{role}")
    RoleAssignmentFactory(user=user, body=body, role=role)
    if role == Role.APPRAISER:
        assign(user, None, period=period, field_code="1")
    client.force_login(user)
    _many_units(body, departments, period, range(3))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("home"))
    _many_units(body, departments, period, range(3, 9))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


def test_unit_home_queries_do_not_grow_with_units(
    client, django_assert_max_num_queries, body, departments, period
):
    officer = UserFactory(username="officer-many")
    for n in range(2):
        own = UnitFactory(body=body, group=departments, code=f"own-{n}", name=f"Đơn vị riêng {n}")
        RoleAssignmentFactory(user=officer, body=body, role=Role.UNIT_OFFICER, unit=own)
    client.force_login(officer)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("home"))
    for n in range(2, 6):
        own = UnitFactory(body=body, group=departments, code=f"own-{n}", name=f"Đơn vị riêng {n}")
        RoleAssignmentFactory(user=officer, body=body, role=Role.UNIT_OFFICER, unit=own)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
