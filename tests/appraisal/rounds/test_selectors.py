"""Appraisal reads: who sees which dossier and which round, each item's history, summaries and final points."""

from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from appraisal.rounds.selectors import (
    appraisal_sheet,
    appraisal_visibility,
    assessments_for_appraiser,
    final_item_points,
    item_history,
    unit_summary,
)
from scoring.models import Evidence, EvidenceStage, Role
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, assign, explain, set_status, submitted_assessment
from tests.scoring.assessment_helpers import appraisal_items, build_criteria_set, mark_not_applicable
from tests.scoring.factories import RoleAssignmentFactory, UnitFactory, UserFactory


@pytest.fixture
def dossier(unit, unit_head):
    return submitted_assessment(unit=unit, actor=unit_head)


@pytest.fixture
def items(dossier):
    return appraisal_items(dossier.criteria_set)


def _appraiser(body, username):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, body=body, role=Role.APPRAISER)
    return user


# --- visibility -------------------------------------------------------------------------------------------


def test_appraiser_sees_only_assigned_units(dossier, other_unit, appraiser):
    other = submitted_assessment(unit=other_unit)
    assign(appraiser, dossier.unit)

    assert appraisal_visibility(user=appraiser, assessment=dossier).sees_round1
    with pytest.raises(Http404):
        appraisal_visibility(user=appraiser, assessment=other)
    with pytest.raises(Http404):
        appraisal_sheet(assessment=other, user=appraiser)


def test_field_assignment_sees_every_unit_and_appraises_its_field(dossier, body):
    field_appraiser = _appraiser(body, "td-lv1")
    assign(field_appraiser, period=dossier.period, field_code="1")

    seen = appraisal_visibility(user=field_appraiser, assessment=dossier)

    assert seen.appraises_fields == frozenset({"1"})
    assert seen.may_appraise("1") and not seen.may_appraise("2")


@pytest.mark.parametrize("who", ["council_member", "viewer", "body_admin"])
def test_council_viewers_and_admin_see_every_unit_and_appraise_nothing(dossier, who, request):
    user = request.getfixturevalue(who)
    set_status(dossier, Status.EXPLANATION)

    seen = appraisal_visibility(user=user, assessment=dossier)

    assert seen.sees_round1 and seen.sees_round2
    assert seen.appraises_fields == frozenset()


@pytest.mark.parametrize(
    ("who", "round1_draft"),
    [("council_member", False), ("viewer", False), ("body_admin", True), ("appraiser", True)],
)
def test_round_1_before_it_is_sent_is_seen_by_the_appraisers_side_only(dossier, who, round1_draft, request):
    user = request.getfixturevalue(who)
    assign(request.getfixturevalue("appraiser"), dossier.unit)
    set_status(dossier, Status.ROUND_1)

    assert appraisal_visibility(user=user, assessment=dossier).sees_round1 is round1_draft


def test_outsider_and_other_units_staff_see_nothing(dossier, outsider, body, other_unit):
    other_officer = UserFactory(username="canbo-stp")
    RoleAssignmentFactory(user=other_officer, body=body, role=Role.UNIT_OFFICER, unit=other_unit)

    for user in (outsider, other_officer):
        with pytest.raises(Http404):
            appraisal_visibility(user=user, assessment=dossier)


@pytest.mark.parametrize(
    ("status", "round1", "round2"),
    [
        (Status.SUBMITTED, False, False),
        (Status.ROUND_1, False, False),
        (Status.EXPLANATION, True, False),
        (Status.ROUND_2, True, False),
        (Status.COUNCIL_APPROVED, True, True),
        (Status.PUBLISHED, True, True),
    ],
)
def test_unit_sees_round_1_once_sent_and_round_2_once_approved(
    dossier, items, unit_officer, status, round1, round2
):
    appraise(assessment=dossier, item=items[0], points=Decimal("0.25"), needs_explanation=True)
    appraise(assessment=dossier, item=items[0], points=Decimal("0.75"), round=2)
    set_status(dossier, status)

    sheet = appraisal_sheet(assessment=dossier, user=unit_officer)
    first = sheet.items[0]

    assert (first.round1 is not None, first.round2 is not None) == (round1, round2)
    expected_final = {
        (False, False): Decimal("1.00"),
        (True, False): Decimal("0.25"),
        (True, True): Decimal("0.75"),
    }
    assert first.final == expected_final[(round1, round2)]
    assert sheet.fields[0].summary.final_points == 3 + expected_final[(round1, round2)]


# --- the appraiser's list ---------------------------------------------------------------------------------


def test_appraiser_list_has_assigned_submitted_dossiers_only(
    dossier, other_unit, appraiser, body, departments
):
    submitted_assessment(unit=other_unit)
    draft_unit = UnitFactory(body=body, group=departments, name="Sở Y tế")
    draft = submitted_assessment(unit=draft_unit, status=Status.SELF_ASSESSMENT)
    assign(appraiser, dossier.unit)
    assign(appraiser, draft_unit)

    assert list(assessments_for_appraiser(user=appraiser, period=dossier.period)) == [dossier]
    assert draft.status == Status.SELF_ASSESSMENT


def test_field_appraiser_lists_every_submitted_dossier(dossier, other_unit, body):
    other = submitted_assessment(unit=other_unit)
    field_appraiser = _appraiser(body, "td-lv2")
    assign(field_appraiser, period=dossier.period, field_code="2")

    assert set(assessments_for_appraiser(user=field_appraiser, period=dossier.period)) == {dossier, other}


def test_list_is_empty_without_the_appraiser_role(dossier, unit_officer, council_member):
    assign(unit_officer, dossier.unit)

    assert not assessments_for_appraiser(user=unit_officer, period=dossier.period).exists()
    assert not assessments_for_appraiser(user=council_member, period=dossier.period).exists()


# --- history, sheet, summary -------------------------------------------------------------------------------


def test_item_history_shows_every_stage_side_by_side(dossier, items, appraiser, unit_officer):
    item = items[0]
    own = Evidence.objects.create(
        assessment=dossier, original_name="KH.pdf", content_type="application/pdf", size=10, sha256="a" * 64
    )
    own.items.set([item])
    extra = Evidence.objects.create(
        assessment=dossier,
        original_name="Bổ sung.pdf",
        content_type="application/pdf",
        size=20,
        sha256="b" * 64,
        stage=EvidenceStage.EXPLANATION,
    )
    extra.items.set([item])
    appraise(
        assessment=dossier,
        item=item,
        points=Decimal("0.25"),
        comment="Thiếu",
        needs_explanation=True,
        by=appraiser,
    )
    explain(assessment=dossier, item=item, text="Đã bổ sung quyết định", by=unit_officer)
    appraise(assessment=dossier, item=item, points=Decimal("0.75"), round=2, comment="Chấp nhận một phần")

    history = item_history(assessment=dossier, item=item)

    assert (history.self_points, history.self_justification) == (Decimal("1.00"), "Đã thực hiện đầy đủ")
    assert [e.original_name for e in history.self_evidence] == ["KH.pdf"]
    assert (history.round1.points, history.round1.comment, history.flagged) == (
        Decimal("0.25"),
        "Thiếu",
        True,
    )
    assert history.round1.appraised_by == str(appraiser)
    assert history.explanation == "Đã bổ sung quyết định"
    assert [e.original_name for e in history.explanation_evidence] == ["Bổ sung.pdf"]
    assert (history.round2.points, history.round2.comment) == (Decimal("0.75"), "Chấp nhận một phần")
    assert history.final == Decimal("0.75")


def test_item_history_of_an_item_of_another_set_is_404(dossier, body, departments):
    other_set = build_criteria_set(period=dossier.period, unit_group=UnitFactory(body=body).group)

    with pytest.raises(Http404):
        item_history(assessment=dossier, item=appraisal_items(other_set)[0])


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_sheet_query_count_does_not_grow_with_the_number_of_items(unit, other_unit, body, body_admin):
    small = submitted_assessment(unit=unit)
    period = small.period
    big_set = build_criteria_set(
        period=period,
        unit_group=UnitFactory(body=body).group,
        fields=4,
        criteria_per_field=3,
        items_per_criterion=3,
    )
    big_unit = UnitFactory(body=body, group=big_set.unit_group)
    big = submitted_assessment(unit=big_unit, criteria_set=big_set)
    for assessment in (small, big):
        for item in appraisal_items(assessment.criteria_set)[:3]:
            appraise(assessment=assessment, item=item, points=Decimal("0.50"), needs_explanation=True)

    assert _queries(lambda: appraisal_sheet(assessment=small, user=body_admin)) == _queries(
        lambda: appraisal_sheet(assessment=big, user=body_admin)
    )


def test_unit_summary_compares_self_and_appraised_points_per_field(dossier, items, unit):
    appraise(assessment=dossier, item=items[0], points=Decimal("0.25"), needs_explanation=True)
    appraise(assessment=dossier, item=items[0], points=Decimal("0.50"), round=2)
    appraise(assessment=dossier, item=items[1], points=Decimal("0.75"))
    mark_not_applicable(item=items[7], unit=unit)

    field1, field2 = unit_summary(assessment=dossier)

    assert (field1.code, field1.max_points, field1.self_points) == ("1", Decimal(4), Decimal(4))
    assert field1.round1_points == Decimal("3.00")
    assert field1.final_points == Decimal("3.25")
    assert field1.difference == Decimal("-0.75")
    assert (field2.max_points, field2.self_points, field2.final_points) == (
        Decimal(3),
        Decimal(3),
        Decimal(3),
    )


# --- final points -----------------------------------------------------------------------------------------


def test_final_points_take_round_2_else_round_1_else_the_self_score(dossier, items, unit, other_unit):
    appraise(assessment=dossier, item=items[0], points=Decimal("0.25"), needs_explanation=True)
    appraise(assessment=dossier, item=items[0], points=Decimal("0.75"), round=2)
    appraise(assessment=dossier, item=items[1], points=Decimal("0.50"))
    appraise(assessment=dossier, item=items[2], points=None)  # an empty round-1 row keeps the self-score
    mark_not_applicable(item=items[3], unit=unit)
    other = submitted_assessment(unit=other_unit)

    points = final_item_points(assessment_ids=[dossier.pk, other.pk])

    mine = points[dossier.pk]
    assert mine[items[0].pk] == Decimal("0.75")
    assert mine[items[1].pk] == Decimal("0.50")
    assert mine[items[2].pk] == Decimal("1.00")
    assert items[3].pk not in mine
    assert len(mine) == len(items) - 1
    assert set(points[other.pk].values()) == {Decimal("1.00")}  # the other unit keeps its own scores


def test_final_points_of_nothing_is_empty(db):
    assert final_item_points(assessment_ids=[]) == {}
