"""HTTP tests of the appraisal round pages: who sees what, round saves, bulk actions, workflow buttons, history.

The rules themselves are appraisal.rounds.services' (tested there); here: that the pages call them, show their
Vietnamese refusals and keep what was typed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal.models import ItemAppraisal
from scoring.models import Period, Role
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, appraise_all, assign, explain, set_status, submitted_assessment
from tests.appraisal.view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    HX,
    assessment_fixture,
    assigned_fixture,
    items_fixture,
    login,
    neighbour_fixture,
    save_url,
    sheet_url,
)
from tests.scoring.assessment_helpers import appraisal_items, build_criteria_set
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UserFactory

# --- who sees what --------------------------------------------------------------------------------------


def test_appraiser_not_assigned_to_the_unit_gets_404_on_every_page(client, appraiser, assessment, items):
    set_status(assessment, Status.ROUND_1)
    login(client, appraiser)
    assert client.get(sheet_url(assessment)).status_code == 404
    assert client.post(save_url(assessment, items[0]), {"points": "1"}).status_code == 404
    assert client.get(reverse("appraisal:history", args=[assessment.pk, items[0].pk])).status_code == 404
    assert not ItemAppraisal.objects.exists()


def test_user_of_another_body_gets_404(client, outsider, assessment):
    login(client, outsider)
    assert client.get(sheet_url(assessment)).status_code == 404
    assert client.get(reverse("appraisal:council", args=[assessment.period_id])).status_code == 404


def test_assigned_appraiser_sees_the_units_scores_evidence_and_inputs(client, assigned, assessment, items):
    set_status(assessment, Status.ROUND_1)
    response = login(client, assigned).get(sheet_url(assessment))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã thực hiện đầy đủ" in html  # the unit's justification
    assert html.count('name="points"') == len(items)
    assert "Chấp nhận điểm tự chấm cho các tiêu chí đã chọn" in html


def test_appraiser_assigned_to_a_field_gets_inputs_for_that_field_only(client, appraiser, assessment, items):
    set_status(assessment, Status.ROUND_1)
    assign(appraiser, None, period=assessment.period, field_code="2")
    html = login(client, appraiser).get(sheet_url(assessment)).content.decode()
    assert html.count('name="points"') == len([i for i in items if i.code.startswith("2.")])


def test_list_shows_the_appraiser_only_the_assigned_units(client, assigned, assessment, other_unit):
    other = submitted_assessment(unit=other_unit, period=assessment.period)
    html = login(client, assigned).get(reverse("appraisal:list")).content.decode()
    assert reverse("appraisal:sheet", args=[assessment.pk]) in html
    assert reverse("appraisal:sheet", args=[other.pk]) not in html


def test_council_member_sees_every_unit_read_only(client, council_member, assessment, items, appraiser):
    set_status(assessment, Status.ROUND_1)
    appraise(
        assessment=assessment, item=items[0], points=Decimal("0.5"), comment="Thiếu quyết định", by=appraiser
    )
    login(client, council_member)
    html = client.get(sheet_url(assessment)).content.decode()
    # Round 1 is the appraisers' draft until it is sent to the unit.
    assert "Thiếu quyết định" not in html
    assert 'name="points"' not in html
    assert "Gửi kết quả thẩm định vòng 1" not in html
    response = client.post(save_url(assessment, items[1]), {"points": "1"}, **HX)
    assert response.status_code == 403
    assert not ItemAppraisal.objects.filter(item=items[1]).exists()
    set_status(assessment, Status.EXPLANATION)
    assert "Thiếu quyết định" in client.get(sheet_url(assessment)).content.decode()


def test_unit_sees_round_1_results_only_once_sent(client, unit_officer, assessment, items, appraiser):
    set_status(assessment, Status.ROUND_1)
    appraise(
        assessment=assessment,
        item=items[0],
        points=Decimal("0.25"),
        comment="Chưa đạt chỉ tiêu",
        by=appraiser,
    )
    login(client, unit_officer)
    response = client.get(sheet_url(assessment))
    assert response.status_code == 302  # the unit's people have their own page
    html = client.get(reverse("appraisal:explanation", args=[assessment.pk])).content.decode()
    assert "Kết quả thẩm định vòng 1 chưa được gửi cho đơn vị." in html
    assert "Chưa đạt chỉ tiêu" not in html
    history = client.get(reverse("appraisal:history", args=[assessment.pk, items[0].pk])).content.decode()
    assert "Chưa đạt chỉ tiêu" not in history

    set_status(assessment, Status.EXPLANATION)
    html = client.get(reverse("appraisal:explanation", args=[assessment.pk])).content.decode()
    assert "Chưa đạt chỉ tiêu" in html
    assert "0,25" in html


# --- round 1 saves --------------------------------------------------------------------------------------


def test_save_with_a_decimal_comma_stores_the_round_1_score(client, assigned, assessment, items):
    set_status(assessment, Status.ROUND_1)
    response = login(client, assigned).post(
        save_url(assessment, items[0]),
        {"points": "0,75", "comment": "Thiếu 1 báo cáo", "needs_explanation": "1", "version": "0"},
        **HX,
    )
    assert response.status_code == 200
    row = ItemAppraisal.objects.get(assessment=assessment, item=items[0], round=1)
    assert (row.points, row.comment, row.needs_explanation) == (Decimal("0.75"), "Thiếu 1 báo cáo", True)
    html = client.get(sheet_url(assessment)).content.decode()
    assert 'value="0,75"' in html


def test_out_of_range_score_is_refused_in_vietnamese_and_the_typed_values_stay(
    client, assigned, assessment, items
):
    set_status(assessment, Status.ROUND_1)
    response = login(client, assigned).post(
        save_url(assessment, items[0]), {"points": "7", "comment": "Nhận xét đang gõ", "version": "0"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="7"' in html
    assert "Nhận xét đang gõ" in html
    assert 'aria-invalid="true"' in html
    assert not ItemAppraisal.objects.exists()


def test_text_that_is_not_a_number_is_refused_and_kept(client, assigned, assessment, items):
    set_status(assessment, Status.ROUND_1)
    response = login(client, assigned).post(save_url(assessment, items[0]), {"points": "một"}, **HX)
    assert response.status_code == 422
    assert "«một» không phải là một số điểm" in response.content.decode()


def test_plain_form_refusal_shows_the_whole_page_with_the_typed_value(client, assigned, assessment, items):
    set_status(assessment, Status.ROUND_1)
    response = login(client, assigned).post(save_url(assessment, items[0]), {"points": "9"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html and 'value="9"' in html


def test_stale_version_is_a_conflict_showing_the_saved_value(client, assigned, assessment, items, appraiser):
    set_status(assessment, Status.ROUND_1)
    appraise(assessment=assessment, item=items[0], points=Decimal("0.5"), by=appraiser)
    response = login(client, assigned).post(
        save_url(assessment, items[0]), {"points": "0,25", "version": "0"}, **HX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "0,25" in html and "0,50" in html
    assert ItemAppraisal.objects.get(item=items[0]).points == Decimal("0.5")


def test_bulk_accept_copies_the_self_scores_of_the_selected_items(client, assigned, assessment, items):
    set_status(assessment, Status.ROUND_1)
    chosen = [items[0].pk, items[1].pk]
    response = login(client, assigned).post(
        reverse("appraisal:accept", args=[assessment.pk]), {"items": chosen}
    )
    assert response.status_code == 302
    rows = ItemAppraisal.objects.filter(assessment=assessment, round=1)
    assert sorted(rows.values_list("item_id", flat=True)) == sorted(chosen)
    assert all(r.points == r.item.max_points for r in rows)


def test_bulk_accept_without_a_selection_says_so(client, assigned, assessment):
    set_status(assessment, Status.ROUND_1)
    response = login(client, assigned).post(reverse("appraisal:accept", args=[assessment.pk]), follow=True)
    assert "Chưa chọn tiêu chí nào." in response.content.decode()


def test_flag_missing_evidence_flags_items_without_files(client, assigned, assessment, items):
    set_status(assessment, Status.ROUND_1)
    login(client, assigned).post(reverse("appraisal:flag_missing", args=[assessment.pk]))
    # The helper's dossier has no evidence files at all: every item needs supplementary evidence.
    flagged = ItemAppraisal.objects.filter(assessment=assessment, round=1, needs_explanation=True)
    assert flagged.count() == len(items)


def test_summary_shows_self_and_appraised_points_per_field(client, assigned, assessment, items, appraiser):
    set_status(assessment, Status.ROUND_1)
    appraise(assessment=assessment, item=items[0], points=Decimal("0.25"), by=appraiser)
    html = login(client, assigned).get(sheet_url(assessment)).content.decode()
    assert 'data-testid="appraised-1">0,25<' in html
    # The difference is taken over the one item appraised (0,25 against its self-score 1,00), not against the
    # field's whole self-score (which read −3,75 as if the unit had been marked down on what is not yet seen).
    assert 'data-testid="difference-1">\u22120,75<' in html
    assert "3,75" not in html


# --- round 2 --------------------------------------------------------------------------------------------


def test_round_2_shows_only_flagged_items_editable_and_round_1_read_only(
    client, assigned, assessment, items, appraiser
):
    appraise_all(assessment=assessment, flagged=[items[0].code], by=appraiser)
    set_status(assessment, Status.ROUND_2)
    login(client, assigned)
    html = client.get(sheet_url(assessment)).content.decode()
    assert html.count('name="points"') == 1
    assert f'id="points-{items[0].pk}"' in html
    response = client.post(save_url(assessment, items[1]), {"points": "0,5", "version": "0"}, **HX)
    assert response.status_code == 422
    response = client.post(save_url(assessment, items[0]), {"points": "0,5", "version": "0"}, **HX)
    assert response.status_code == 200
    assert ItemAppraisal.objects.get(item=items[0], round=2).points == Decimal("0.5")
    assert ItemAppraisal.objects.get(item=items[0], round=1).points == items[0].max_points


# --- workflow buttons -----------------------------------------------------------------------------------


def test_admin_sees_start_only_on_a_submitted_dossier_and_starting_opens_round_1(
    client, body_admin, assessment
):
    login(client, body_admin)
    assert "Bắt đầu thẩm định" in client.get(sheet_url(assessment)).content.decode()
    client.post(reverse("appraisal:start", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == Status.ROUND_1
    html = client.get(sheet_url(assessment)).content.decode()
    assert "Bắt đầu thẩm định" not in html
    assert "Gửi kết quả thẩm định vòng 1" in html
    assert "Không cần giải trình" in html


def test_sending_round_1_moves_to_explanation(client, body_admin, assessment, items, appraiser):
    set_status(assessment, Status.ROUND_1)
    appraise_all(assessment=assessment, flagged=[items[0].code], by=appraiser)
    login(client, body_admin).post(reverse("appraisal:send", args=[assessment.pk]), {"confirmed": "1"})
    assessment.refresh_from_db()
    assert assessment.status == Status.EXPLANATION


def test_appraiser_sees_no_admin_buttons(client, assigned, assessment):
    set_status(assessment, Status.ROUND_1)
    html = login(client, assigned).get(sheet_url(assessment)).content.decode()
    assert "Gửi kết quả thẩm định vòng 1" not in html
    assert "Trả lại để sửa" not in html


def test_return_without_a_reason_is_refused_in_vietnamese(client, body_admin, assessment):
    set_status(assessment, Status.ROUND_1)
    response = login(client, body_admin).post(
        reverse("appraisal:return", args=[assessment.pk]), {"target": Status.SELF_ASSESSMENT, "reason": " "}
    )
    assert response.status_code == 422
    assert "Phải nêu lý do trả lại." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.ROUND_1


def test_return_with_a_reason_sends_the_dossier_back(client, body_admin, assessment):
    set_status(assessment, Status.ROUND_1)
    login(client, body_admin).post(
        reverse("appraisal:return", args=[assessment.pk]),
        {"target": Status.SELF_ASSESSMENT, "reason": "Thiếu toàn bộ lĩnh vực 2"},
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.SELF_ASSESSMENT


# --- history --------------------------------------------------------------------------------------------


def test_history_shows_every_round_side_by_side(client, assigned, assessment, items, appraiser, unit_officer):
    appraise(
        assessment=assessment,
        item=items[0],
        points=Decimal("0.5"),
        comment="Vòng một",
        needs_explanation=True,
    )
    explain(assessment=assessment, item=items[0], text="Lời giải trình", by=unit_officer)
    appraise(assessment=assessment, item=items[0], points=Decimal("0.75"), comment="Vòng hai", round=2)
    set_status(assessment, Status.ROUND_2)
    html = (
        login(client, assigned)
        .get(reverse("appraisal:history", args=[assessment.pk, items[0].pk]))
        .content.decode()
    )
    for text in ("Đã thực hiện đầy đủ", "Vòng một", "Lời giải trình", "Vòng hai", "0,50", "1,00"):
        assert text in html
    assert 'data-testid="final">0,75<' in html


# --- query count ----------------------------------------------------------------------------------------


def _sized_assessment(body, departments, *, year: int, fields: int, criteria: int, items: int):
    period = Period.objects.filter(body=body, year=year).first() or PeriodFactory(body=body, year=year)
    criteria_set = build_criteria_set(
        period=period,
        unit_group=departments,
        fields=fields,
        criteria_per_field=criteria,
        items_per_criterion=items,
    )
    from tests.scoring.factories import UnitFactory

    unit = UnitFactory(body=body, group=departments)
    assessment = submitted_assessment(unit=unit, criteria_set=criteria_set, status=Status.ROUND_1)
    appraise_all(assessment=assessment)
    return assessment


def test_round_sheet_query_count_does_not_grow_with_the_number_of_items(
    client, body, departments, django_assert_max_num_queries
):
    appraiser = UserFactory(username="tgv")
    RoleAssignmentFactory(user=appraiser, body=body, role=Role.APPRAISER)
    small = _sized_assessment(body, departments, year=2025, fields=1, criteria=5, items=2)
    large = _sized_assessment(body, departments, year=2026, fields=4, criteria=5, items=4)
    assert len(appraisal_items(small.criteria_set)) == 10
    assert len(appraisal_items(large.criteria_set)) == 80
    assign(appraiser, small.unit, period=small.period)
    assign(appraiser, large.unit, period=large.period)
    login(client, appraiser)
    client.get(sheet_url(small))  # warm the session and caches
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(sheet_url(small)).status_code == 200
    with django_assert_max_num_queries(len(small_queries)):
        assert client.get(sheet_url(large)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("body_admin", 200),
        ("assigned", 200),
        ("council_member", 200),
        ("viewer", 200),
        ("unit_officer", 302),  # to the unit's explanation page
        ("appraiser", 404),  # not assigned
        ("neighbour", 404),
        ("outsider", 404),
    ],
)
def test_who_opens_the_round_sheet(client, request, persona, expected, assessment):
    set_status(assessment, Status.ROUND_1)
    user = request.getfixturevalue(persona)
    assert login(client, user).get(sheet_url(assessment)).status_code == expected


def test_skip_explanation_moves_a_dossier_with_nothing_flagged_to_round_2(
    client, body_admin, assessment, appraiser
):
    set_status(assessment, Status.ROUND_1)
    appraise_all(assessment=assessment, by=appraiser)
    login(client, body_admin).post(reverse("appraisal:skip", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == Status.ROUND_2


def test_sending_round_1_with_nothing_flagged_says_why_in_vietnamese(
    client, body_admin, assessment, appraiser
):
    set_status(assessment, Status.ROUND_1)
    appraise_all(assessment=assessment, by=appraiser)
    response = login(client, body_admin).post(
        reverse("appraisal:send", args=[assessment.pk]), {"confirmed": "1"}, follow=True
    )
    assert "Không có tiêu chí nào cần giải trình" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.ROUND_1


def test_an_approved_dossier_offers_the_admin_a_return_to_round_2_and_nothing_to_edit(
    client, body_admin, assigned, assessment, appraiser
):
    appraise_all(assessment=assessment, by=appraiser)
    set_status(assessment, Status.COUNCIL_APPROVED)
    html = login(client, body_admin).get(sheet_url(assessment)).content.decode()
    assert "Trả lại để sửa (Thẩm định vòng 2)" in html
    html = login(client, assigned).get(sheet_url(assessment)).content.decode()
    assert 'name="points"' not in html


def test_the_self_assessment_sheet_links_staff_to_the_appraisal_once_submitted(
    client, body_admin, assessment
):
    html = login(client, body_admin).get(reverse("assessment:sheet", args=[assessment.pk])).content.decode()
    assert reverse("appraisal:sheet", args=[assessment.pk]) in html


def test_the_units_link_says_giai_trinh_and_goes_to_the_explanation_once_round_1_is_sent(
    client, unit_officer, assessment
):
    login(client, unit_officer)
    sheet = reverse("assessment:sheet", args=[assessment.pk])
    html = client.get(sheet).content.decode()
    assert 'data-testid="explanation-link"' not in html  # round 1 not sent: nothing to explain yet
    assert 'data-testid="appraisal-link"' not in html
    set_status(assessment, Status.EXPLANATION)
    html = client.get(sheet).content.decode()
    link = f'<a href="{reverse("appraisal:explanation", args=[assessment.pk])}" class="secondary" data-testid="explanation-link">Giải trình</a>'
    assert link in html
