"""The scoring page over HTTP: what each persona sees, every save rule, conflicts, submission, withdrawal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scoring.assessment.services import assessment_submit
from scoring.models import Assessment, AssessmentTransition, Role, SelfScore
from scoring.workflow import Status
from tests.appraisal.helpers import assigned_appraiser_for
from tests.scoring.assessment_helpers import (
    assessment_for,
    build_criteria_set,
    fill_scores,
    leaf_items,
    mark_not_applicable,
)
from tests.scoring.assessment_view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    HX,
    assessment_fixture,
    criteria_set_fixture,
    item_fixture,
    other_assessment_fixture,
    other_officer_fixture,
    period_fixture,
    save_url,
    score_data,
    sheet_url,
    stored_points,
    survey_item_fixture,
)
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UnitFactory, UserFactory

# --- the page --------------------------------------------------------------------------------------------


def test_sheet_shows_the_tree_with_maximum_method_guidance_and_an_input_per_appraisal_item(
    client, unit_officer, assessment, item
):
    client.force_login(unit_officer)

    page = client.get(sheet_url(assessment)).content.decode()

    assert "Sở Nội vụ" in page and "năm 2026" in page
    assert 'id="field-1"' in page and 'id="field-2"' in page
    assert 'id="item-1.1.1"' in page and "Tiêu chí thành phần 1.1.1" in page
    assert "Tối đa 1,00" in page
    assert "Thẩm định" in page and "Điều tra XHH" in page
    assert "Đạt 100%" in page  # guidance
    assert f'id="points-{item.pk}"' in page and "từ 0 đến 1,00, bước 0,25" in page
    assert "Đang tự đánh giá" in page
    assert "Đã chấm 0/6 tiêu chí" in page  # 8 leaves, 2 of them survey


def test_survey_item_is_read_only(client, unit_officer, assessment, survey_item):
    client.force_login(unit_officer)

    page = client.get(sheet_url(assessment)).content.decode()

    article = page.split(f'id="item-{survey_item.code}"', 1)[1].split("</article>", 1)[0]
    assert "Điểm do điều tra xã hội học" in article
    assert 'name="points"' not in article


def test_not_applicable_item_is_greyed_with_its_reason_and_no_inputs(client, unit_officer, assessment, item):
    mark_not_applicable(item=item, unit=assessment.unit, reason="Đơn vị không có đơn vị sự nghiệp công lập")
    client.force_login(unit_officer)

    page = client.get(sheet_url(assessment)).content.decode()

    article = page.split(f'id="item-{item.code}"', 1)[1].split("</article>", 1)[0]
    assert "item-na" in page.split(f'id="item-{item.code}"', 1)[1][:40]
    assert "Không đánh giá" in article and "Đơn vị không có đơn vị sự nghiệp công lập" in article
    assert 'name="points"' not in article
    assert "Đã chấm 0/5 tiêu chí" in page


@pytest.fixture
def assigned_appraiser(assessment):
    return assigned_appraiser_for(assessment)


@pytest.mark.parametrize("persona", ["assigned_appraiser", "viewer", "body_admin", "council_member"])
def test_body_wide_roles_see_the_sheet_read_only(client, request, persona, assessment, item, unit_officer):
    fill_scores(assessment=assessment, count=1, points=Decimal("0.75"), actor=unit_officer)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(sheet_url(assessment))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="points"' not in page and 'name="files"' not in page
    assert "0,75" in page
    assert "chỉ cán bộ và thủ trưởng của đơn vị mới sửa được" in page
    assert "Gửi hồ sơ" not in page


def test_only_the_unit_head_sees_the_submit_button(client, unit_officer, unit_head, assessment):
    client.force_login(unit_officer)
    assert "Gửi hồ sơ" not in client.get(sheet_url(assessment)).content.decode()

    client.force_login(unit_head)
    assert (
        reverse("assessment:submit", args=[assessment.pk])
        in client.get(sheet_url(assessment)).content.decode()
    )


def test_sheet_shows_the_deadline_and_days_left(client, unit_officer, assessment):
    deadline = timezone.localtime(assessment.period.self_assessment_deadline)
    client.force_login(unit_officer)

    page = client.get(sheet_url(assessment)).content.decode()

    assert deadline.strftime("%d/%m/%Y %H:%M") in page
    assert "còn 9 ngày" in page or "còn 10 ngày" in page


def test_sheet_after_the_deadline_is_read_only_and_says_so(client, unit_officer, assessment):
    assessment.period.self_assessment_deadline = timezone.now() - timedelta(hours=1)
    assessment.period.save()
    client.force_login(unit_officer)

    page = client.get(sheet_url(assessment)).content.decode()

    assert "đã quá hạn" in page and "Đã quá hạn tự đánh giá" in page
    assert 'name="points"' not in page


def _sheet_with(body, departments, *, fields, criteria, items, year):
    period = PeriodFactory(body=body, year=year)
    unit = UnitFactory(body=body, group=departments, code=f"unit-{year}", name=f"Đơn vị {year}")
    criteria_set = build_criteria_set(
        period=period,
        unit_group=departments,
        fields=fields,
        criteria_per_field=criteria,
        items_per_criterion=items,
        survey_every=5,
    )
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    officer = UserFactory(username=f"canbo-{year}")
    RoleAssignmentFactory(user=officer, body=body, role=Role.UNIT_OFFICER, unit=unit)
    fill_scores(assessment=assessment, actor=officer)
    mark_not_applicable(item=leaf_items(criteria_set)[0], unit=unit)
    return assessment, officer


def test_sheet_query_count_does_not_grow_with_the_number_of_items(
    client, body, departments, django_assert_max_num_queries
):
    small, small_officer = _sheet_with(body, departments, fields=2, criteria=1, items=5, year=2030)
    big, big_officer = _sheet_with(body, departments, fields=8, criteria=3, items=4, year=2031)
    assert len(leaf_items(big.criteria_set)) == 96
    client.force_login(small_officer)
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(sheet_url(small)).status_code == 200
    client.force_login(big_officer)

    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(sheet_url(big))

    assert response.status_code == 200
    assert "Đã chấm 76/76 tiêu chí" in response.content.decode()


def test_anonymous_visitor_is_sent_to_the_login_page(client, assessment):
    response = client.get(sheet_url(assessment))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- saving a score --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0,75", "0.75"])
def test_save_stores_the_score_and_it_survives_a_reload(client, unit_officer, assessment, item, typed):
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, item), score_data(typed), **HX)

    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'id="dossier-summary"' in fragment and 'hx-swap-oob="true"' in fragment
    assert "Đã chấm 1/6 tiêu chí" in fragment
    assert f'id="item-version-{item.pk}" name="version" value="1"' in fragment
    assert stored_points(assessment, item) == Decimal("0.75")
    page = client.get(sheet_url(assessment)).content.decode()
    assert 'value="0,75"' in page and "Đã ban hành kế hoạch" in page and "Đã chấm: 0,75" in page


def test_save_updates_the_provisional_total_and_index(client, unit_officer, assessment, item):
    client.force_login(unit_officer)

    fragment = client.post(save_url(assessment, item), score_data("1"), **HX).content.decode()

    # 1 point out of 8 (6 appraisal + 2 survey items of 1 point each).
    assert "1,00<small> / 8,00</small>" in fragment
    assert "Chỉ số tạm tính 12,50\xa0%" in fragment


def test_plain_form_save_redirects_back_to_the_item(client, unit_officer, assessment, item):
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, item), score_data("0,5"))

    assert response.status_code == 302
    assert response.url == f"{sheet_url(assessment)}#item-{item.code}"
    assert stored_points(assessment, item) == Decimal("0.5")


@pytest.mark.parametrize(
    ("typed", "message", "shown"),
    [
        ("1,25", "Điểm tối đa của tiêu chí 1.1.1 là 1,00", 'value="1,25"'),
        ("-0.25", "Điểm không được nhỏ hơn 0", 'value="-0.25"'),
        ("0,3", "phải chấm theo bước 0,25 điểm", 'value="0,3"'),
        ("abc", "«abc» không phải là một số điểm", 'value="abc"'),
    ],
)
def test_save_refuses_bad_points_with_a_vietnamese_message_and_keeps_what_was_typed(
    client, unit_officer, assessment, item, typed, message, shown
):
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, item), score_data(typed, justification="Nháp của tôi"), **HX)

    fragment = response.content.decode()
    assert response.status_code == 422
    assert message in fragment
    assert shown in fragment and "Nháp của tôi" in fragment and 'aria-invalid="true"' in fragment
    assert response["HX-Reswap"] == "outerHTML"
    assert not SelfScore.objects.filter(assessment=assessment).exists()


def test_plain_form_refusal_shows_the_whole_page_with_the_message_and_typed_value(
    client, unit_officer, assessment, item
):
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, item), score_data("3"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "<html" in page and "Điểm tối đa của tiêu chí 1.1.1 là 1,00" in page and 'value="3"' in page
    assert stored_points(assessment, item) is None


def test_save_refuses_a_not_applicable_item(client, unit_officer, assessment, item):
    mark_not_applicable(item=item, unit=None, reason="Không tổ chức điều tra DDCI")
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, item), score_data("0,5"), **HX)

    assert response.status_code == 422
    assert "không đánh giá đối với đơn vị" in response.content.decode()
    assert stored_points(assessment, item) is None


def test_save_refuses_a_survey_item(client, unit_officer, assessment, survey_item):
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, survey_item), score_data("0,5"), **HX)

    assert response.status_code == 422
    assert "được chấm qua điều tra xã hội học" in response.content.decode()
    assert not SelfScore.objects.filter(assessment=assessment).exists()


def test_save_after_the_deadline_is_refused(client, unit_officer, assessment, item):
    assessment.period.self_assessment_deadline = timezone.now() - timedelta(minutes=5)
    assessment.period.save()
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, item), score_data("0,5"), **HX)

    assert response.status_code == 422
    fragment = response.content.decode()
    assert "Đã quá hạn tự đánh giá" in fragment
    assert "Giá trị bạn nhập (chưa lưu): điểm 0,50; giải thích: Đã ban hành kế hoạch" in fragment
    assert stored_points(assessment, item) is None


def _submitted(assessment: Assessment, unit_head) -> Assessment:
    fill_scores(assessment=assessment, actor=unit_head)
    return assessment_submit(assessment=assessment, actor=unit_head)


def test_save_after_submission_is_refused(client, unit_officer, unit_head, assessment, item):
    _submitted(assessment, unit_head)
    client.force_login(unit_officer)

    response = client.post(save_url(assessment, item), score_data("0,5", version=1), **HX)

    assert response.status_code == 422
    fragment = response.content.decode()
    assert "Hồ sơ đã được gửi nên không thể sửa" in fragment
    assert "Giá trị bạn nhập (chưa lưu): điểm 0,50" in fragment
    assert stored_points(assessment, item) == Decimal("1.00")


def test_an_appraiser_not_assigned_to_the_unit_gets_404_on_its_pages(client, appraiser, assessment, item):
    client.force_login(appraiser)

    assert client.get(sheet_url(assessment)).status_code == 404
    assert client.get(reverse("assessment:evidence_list", args=[assessment.pk])).status_code == 404
    assert client.post(save_url(assessment, item), score_data("0,5"), **HX).status_code == 404
    assert stored_points(assessment, item) is None


@pytest.mark.parametrize("persona", ["assigned_appraiser", "viewer", "body_admin"])
def test_save_by_a_reader_of_the_unit_is_forbidden(client, request, persona, assessment, item):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(save_url(assessment, item), score_data("0,5"), **HX)

    assert response.status_code == 403
    assert stored_points(assessment, item) is None


def test_unit_head_may_save_too(client, unit_head, assessment, item):
    client.force_login(unit_head)

    assert client.post(save_url(assessment, item), score_data("0,25"), **HX).status_code == 200
    assert stored_points(assessment, item) == Decimal("0.25")


# --- two people on one item -----------------------------------------------------------------------------


def test_version_conflict_shows_both_values_and_keeps_the_newer_one(
    client, unit_officer, unit_head, assessment, item
):
    client.force_login(unit_head)
    client.post(save_url(assessment, item), score_data("0,5"), **HX)
    saved = SelfScore.objects.get(assessment=assessment, item=item)
    client.force_login(unit_officer)

    # The officer's page was loaded before the head saved: it still carries version 0.
    response = client.post(save_url(assessment, item), score_data("0,75", version=0), **HX)

    fragment = response.content.decode()
    at = timezone.localtime(saved.updated_at).strftime("%H:%M")
    assert response.status_code == 409
    assert f"Giá trị bạn nhập: 0,75 — giá trị đã lưu bởi {unit_head} lúc {at}: 0,50" in fragment
    assert "Giữ giá trị của tôi" in fragment and "Dùng giá trị đã lưu" in fragment
    assert f'id="item-version-{item.pk}" name="version" value="1"' in fragment
    assert 'hx-trigger="submit"' in fragment  # no autosave until the user chooses
    assert stored_points(assessment, item) == Decimal("0.5")


def test_keeping_my_value_after_a_conflict_overwrites_with_the_new_version(
    client, unit_officer, unit_head, assessment, item
):
    client.force_login(unit_head)
    client.post(save_url(assessment, item), score_data("0,5"), **HX)
    client.force_login(unit_officer)

    response = client.post(
        save_url(assessment, item), {**score_data("0,75", version=1), "resolve": "1"}, **HX
    )

    assert response.status_code == 200
    assert response["HX-Reswap"] == "outerHTML"  # the conflict notice goes away with the redrawn item
    assert "Giá trị bạn nhập" not in response.content.decode()
    assert stored_points(assessment, item) == Decimal("0.75")


def test_using_the_saved_value_redraws_the_item_as_stored(client, unit_officer, unit_head, assessment, item):
    client.force_login(unit_head)
    client.post(save_url(assessment, item), score_data("0,5"), **HX)
    client.force_login(unit_officer)

    response = client.get(save_url(assessment, item), **HX)

    assert response.status_code == 200
    assert 'value="0,5"' in response.content.decode()


# --- submission and withdrawal --------------------------------------------------------------------------


def test_submit_page_lists_what_is_missing_with_links_to_the_items(client, unit_head, assessment, item):
    client.force_login(unit_head)

    page = client.get(reverse("assessment:submit", args=[assessment.pk])).content.decode()

    assert f'href="{sheet_url(assessment)}#item-1.1.1"' in page
    assert "Chưa chấm điểm." in page
    assert '<button type="submit">Gửi hồ sơ</button>' not in page


def test_submit_with_problems_is_refused_and_lists_them(client, unit_head, assessment):
    fill_scores(assessment=assessment, count=3, actor=unit_head)
    client.force_login(unit_head)

    response = client.post(reverse("assessment:submit", args=[assessment.pk]))

    page = response.content.decode()
    assert response.status_code == 422
    assert "Chưa thể gửi hồ sơ" in page and "#item-2.1.1" in page
    assessment.refresh_from_db()
    assert assessment.status == Status.SELF_ASSESSMENT


def test_submit_by_the_officer_is_refused(client, unit_officer, assessment):
    fill_scores(assessment=assessment, actor=unit_officer)
    client.force_login(unit_officer)

    page = client.get(reverse("assessment:submit", args=[assessment.pk])).content.decode()
    response = client.post(reverse("assessment:submit", args=[assessment.pk]))

    assert "Chỉ thủ trưởng đơn vị được gửi hồ sơ." in page
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Status.SELF_ASSESSMENT


def test_head_submits_a_complete_dossier_and_editing_is_locked(client, unit_head, assessment, item):
    fill_scores(assessment=assessment, actor=unit_head)
    client.force_login(unit_head)
    page = client.get(reverse("assessment:submit", args=[assessment.pk])).content.decode()
    assert '<button type="submit">Gửi hồ sơ</button>' in page

    response = client.post(reverse("assessment:submit", args=[assessment.pk]))

    assert response.status_code == 302 and response.url == sheet_url(assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED and assessment.submitted_by == unit_head
    sheet = client.get(sheet_url(assessment)).content.decode()
    assert "Đã gửi" in sheet and 'name="points"' not in sheet and "Rút lại" in sheet
    assert client.post(save_url(assessment, item), score_data("0", version=1), **HX).status_code == 422


def test_head_withdraws_the_submission_with_a_note(client, unit_head, assessment):
    _submitted(assessment, unit_head)
    client.force_login(unit_head)

    response = client.post(reverse("assessment:withdraw", args=[assessment.pk]), {"note": "Bổ sung tài liệu"})

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.SELF_ASSESSMENT
    assert AssessmentTransition.objects.filter(assessment=assessment, note="Bổ sung tài liệu").exists()
    assert 'name="points"' in client.get(sheet_url(assessment)).content.decode()


def test_withdraw_by_the_officer_is_refused(client, unit_officer, unit_head, assessment):
    _submitted(assessment, unit_head)
    client.force_login(unit_officer)

    response = client.post(reverse("assessment:withdraw", args=[assessment.pk]))

    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED


def test_withdraw_is_post_only(client, unit_head, assessment):
    _submitted(assessment, unit_head)
    client.force_login(unit_head)

    assert client.get(reverse("assessment:withdraw", args=[assessment.pk])).status_code == 405


# --- another unit's dossier: 404 for everything ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["other_officer", "outsider"])
def test_user_outside_the_unit_gets_404_for_every_page_and_action(
    client, request, persona, assessment, item, unit_head
):
    client.force_login(request.getfixturevalue(persona))
    pk = assessment.pk

    assert client.get(sheet_url(assessment)).status_code == 404
    assert client.post(save_url(assessment, item), score_data("0,5"), **HX).status_code == 404
    assert client.get(save_url(assessment, item), **HX).status_code == 404
    assert client.get(reverse("assessment:submit", args=[pk])).status_code == 404
    assert client.post(reverse("assessment:submit", args=[pk])).status_code == 404
    assert client.post(reverse("assessment:withdraw", args=[pk])).status_code == 404
    assert stored_points(assessment, item) is None


def test_unit_officer_gets_404_for_the_neighbour_units_sheet(client, unit_officer, other_assessment):
    client.force_login(unit_officer)

    assert client.get(sheet_url(other_assessment)).status_code == 404


# --- the list of dossiers --------------------------------------------------------------------------------


def test_list_shows_the_officers_own_dossiers_only(client, unit_officer, assessment, other_assessment):
    client.force_login(unit_officer)

    page = client.get(reverse("assessment:list")).content.decode()

    assert sheet_url(assessment) in page and "Năm 2026" in page
    assert sheet_url(other_assessment) not in page


def test_officer_opens_the_dossier_of_a_new_period(client, unit_officer, unit, criteria_set, period):
    client.force_login(unit_officer)
    page = client.get(reverse("assessment:list")).content.decode()
    assert "Mở hồ sơ tự đánh giá" in page

    response = client.post(reverse("assessment:start"), {"unit": unit.pk, "period": period.pk})

    created = Assessment.objects.get(unit=unit, period=period)
    assert response.status_code == 302 and response.url == sheet_url(created)


def test_starting_another_units_dossier_is_404(client, other_officer, unit, criteria_set, period):
    client.force_login(other_officer)

    response = client.post(reverse("assessment:start"), {"unit": unit.pk, "period": period.pk})

    assert response.status_code == 404
    assert not Assessment.objects.filter(unit=unit).exists()


def test_starting_with_a_made_up_unit_is_404(client, unit_officer, period):
    client.force_login(unit_officer)

    assert client.post(reverse("assessment:start"), {"unit": "abc", "period": period.pk}).status_code == 404


def test_body_admin_gets_a_link_to_the_progress_board(client, body_admin, assessment):
    client.force_login(body_admin)

    page = client.get(reverse("assessment:list")).content.decode()

    assert reverse("assessment:board") in page and sheet_url(assessment) in page
