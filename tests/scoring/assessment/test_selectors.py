"""Self-assessment selectors: who sees what, the scoring sheet's numbers, the progress board; fixed queries."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from scoring.assessment.selectors import (
    assessment_get_for_user,
    assessment_list_for_user,
    progress_board,
    scoring_sheet,
)
from scoring.assessment.services import assessment_submit, evidence_upload, self_score_save
from scoring.models import Assessment, CriteriaItem, DeadlineExtension, Role, Unit
from scoring.workflow import Status
from tests.appraisal.helpers import assign
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import (
    appraisal_items,
    assessment_for,
    build_criteria_set,
    fill_scores,
    leaf_items,
    mark_not_applicable,
)
from tests.scoring.factories import (
    PeriodFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UnitGroupFactory,
    UserFactory,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Loaded fresh (period and unit not cached): items, exemptions, scores, evidence links, evidence, extensions,
# period, unit, and the two role checks. The board: sets, units, assessments, leaves, exemptions, scores, extensions.
SHEET_MAX_QUERIES = 10
BOARD_MAX_QUERIES = 7


def score(assessment, item, actor, points):
    return self_score_save(
        assessment=assessment,
        item=item,
        points=Decimal(points),
        justification="",
        no_evidence_reason="",
        expected_version=0,
        actor=actor,
    )


def upload(assessment, items, actor, name="bao-cao.pdf"):
    return evidence_upload(
        assessment=assessment,
        uploaded_file=SimpleUploadedFile(name, samples.PDF),
        item_ids=[i.pk for i in items],
        actor=actor,
    )


def sheet_item(sheet, code):
    return next(i for f in sheet.fields for c in f.criteria for i in c.items if i.code == code)


# --- visibility -------------------------------------------------------------------------------------------


@pytest.fixture
def both(unit, other_unit):
    """Return the assessments of Sở Nội vụ and Sở Tư pháp in 2026."""
    first = assessment_for(unit=unit)
    return first, assessment_for(unit=other_unit, criteria_set=first.criteria_set)


@pytest.mark.parametrize("persona", ["body_admin", "council_member", "viewer"])
def test_body_wide_roles_see_every_unit_of_their_body(both, persona, request):
    user = request.getfixturevalue(persona)

    assert set(assessment_list_for_user(user=user)) == set(both)


def test_an_appraiser_sees_only_the_dossiers_assigned_to_them(both, appraiser):
    own, other = both
    assert list(assessment_list_for_user(user=appraiser)) == []
    assign(appraiser, other.unit, period=other.period)

    assert list(assessment_list_for_user(user=appraiser)) == [other]
    with pytest.raises(Http404):
        assessment_get_for_user(user=appraiser, pk=own.pk)


@pytest.mark.parametrize("persona", ["unit_officer", "unit_head"])
def test_unit_people_see_only_their_unit(both, persona, request):
    user = request.getfixturevalue(persona)
    own, other = both

    assert list(assessment_list_for_user(user=user)) == [own]
    assert assessment_get_for_user(user=user, pk=own.pk) == own
    with pytest.raises(Http404):
        assessment_get_for_user(user=user, pk=other.pk)


def test_another_body_sees_nothing(both, outsider):
    assert not assessment_list_for_user(user=outsider).exists()
    with pytest.raises(Http404):
        assessment_get_for_user(user=outsider, pk=both[0].pk)


def test_user_without_role_sees_nothing(both):
    nobody = UserFactory(username="khach")

    assert not assessment_list_for_user(user=nobody).exists()


def test_list_filters_by_period(both, body_admin, unit):
    period_2027 = PeriodFactory(body=unit.body, year=2027)
    later = assessment_for(unit=unit, period=period_2027)

    assert list(assessment_list_for_user(user=body_admin, period=period_2027)) == [later]


# --- the scoring sheet --------------------------------------------------------------------------------------


@pytest.fixture
def sheet_setup(unit, unit_officer):
    """Return an assessment on 2 fields × 2 criteria × 2 sub-criteria of 1 point, 1.2.2 not applicable."""
    assessment = assessment_for(unit=unit)
    items = {i.code: i for i in leaf_items(assessment.criteria_set)}
    mark_not_applicable(item=items["1.2.2"], reason="Không có đơn vị sự nghiệp công lập")
    score(assessment, items["1.1.1"], unit_officer, "1")
    score(assessment, items["1.1.2"], unit_officer, "0.5")
    score(assessment, items["2.1.1"], unit_officer, "0.75")
    upload(assessment, [items["1.1.1"], items["2.1.1"]], unit_officer)
    return assessment


def test_sheet_gives_provisional_totals_and_index_through_calc(sheet_setup):
    sheet = scoring_sheet(assessment=sheet_setup)

    assert sheet.totals.appraisal_points == Decimal("2.25")
    assert sheet.totals.max_points == Decimal(7)  # 8 items of 1 point, one not applicable
    assert sheet.index == Decimal("2.25") * 100 / 7
    assert [(f.code, f.total.points, f.total.max_points) for f in sheet.fields] == [
        ("1", Decimal("1.5"), Decimal(3)),
        ("2", Decimal("0.75"), Decimal(4)),
    ]


def test_sheet_marks_not_applicable_items_with_their_reason(sheet_setup):
    sheet = scoring_sheet(assessment=sheet_setup)

    item = sheet_item(sheet, "1.2.2")
    assert not item.applicable
    assert item.na_reason == "Không có đơn vị sự nghiệp công lập"
    assert sheet_item(sheet, "1.2.1").applicable


def test_unit_specific_reason_wins_over_the_period_wide_one(sheet_setup):
    item = CriteriaItem.objects.get(criteria_set=sheet_setup.criteria_set, code="1.2.2")
    mark_not_applicable(item=item, unit=sheet_setup.unit, reason="Đơn vị không có trụ sở riêng")

    assert (
        sheet_item(scoring_sheet(assessment=sheet_setup), "1.2.2").na_reason == "Đơn vị không có trụ sở riêng"
    )


def test_sheet_progress_per_field_and_overall(sheet_setup):
    sheet = scoring_sheet(assessment=sheet_setup)

    assert (sheet.progress.scored, sheet.progress.applicable, sheet.progress.without_evidence) == (3, 7, 5)
    assert [
        (f.progress.scored, f.progress.applicable, f.progress.without_evidence) for f in sheet.fields
    ] == [
        (2, 3, 2),
        (1, 4, 3),
    ]
    assert sheet.progress.percent == Decimal(300) / 7


def test_sheet_items_carry_score_version_and_evidence(sheet_setup):
    sheet = scoring_sheet(assessment=sheet_setup)

    item = sheet_item(sheet, "1.1.1")
    assert (item.points, item.version, item.max_points, item.step) == (Decimal(1), 1, Decimal("1.00"), "0.25")
    assert [e.original_name for e in item.evidence] == ["bao-cao.pdf"]
    unscored = sheet_item(sheet, "2.2.2")
    assert (unscored.points, unscored.version, unscored.evidence) == (None, 0, ())
    assert sheet.evidence_total_size == len(samples.PDF)
    assert len(sheet.evidence) == 1 and len(sheet.evidence[0].item_ids) == 2


def test_sheet_lists_the_submission_problems(sheet_setup):
    codes = {p.item_code for p in scoring_sheet(assessment=sheet_setup).problems}

    assert codes == {"1.1.2", "1.2.1", "2.1.2", "2.2.1", "2.2.2"}


def test_survey_items_count_in_the_scale_but_not_in_the_self_assessment(unit, unit_officer):
    period = PeriodFactory(body=unit.body, year=2026)
    criteria_set = build_criteria_set(period=period, unit_group=unit.group, survey_every=4)
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    fill_scores(assessment=assessment)

    sheet = scoring_sheet(assessment=assessment)

    assert (sheet.totals.appraisal_points, sheet.totals.survey_points, sheet.totals.max_points) == (
        Decimal(6),
        Decimal(0),
        Decimal(8),
    )
    assert sheet.appraisal_totals.max_points == Decimal(6)
    assert sheet.appraisal_index == Decimal(100)
    assert sheet.progress.applicable == 6
    survey = sheet_item(sheet, "1.2.2")
    assert survey.is_survey and not survey.needs_evidence_reason


def test_criterion_scored_directly_is_its_own_single_item(unit):
    period = PeriodFactory(body=unit.body, year=2026)
    criteria_set = build_criteria_set(period=period, unit_group=unit.group, items_per_criterion=0)

    sheet = scoring_sheet(assessment=assessment_for(unit=unit, criteria_set=criteria_set))

    criterion = sheet.fields[0].criteria[0]
    assert criterion.is_leaf
    assert [i.code for i in criterion.items] == ["1.1"]


def test_sheet_edit_rights_follow_role_status_and_deadline(
    unit, unit_officer, unit_head, viewer, time_machine
):
    assessment = assessment_for(unit=unit)
    assessment.period.self_assessment_deadline = datetime(2027, 1, 15, 17, tzinfo=HCM)
    assessment.period.save()
    time_machine.move_to(datetime(2027, 1, 10, tzinfo=HCM), tick=False)

    officer = scoring_sheet(assessment=assessment, user=unit_officer)
    head = scoring_sheet(assessment=assessment, user=unit_head)
    reader = scoring_sheet(assessment=assessment, user=viewer)

    assert (officer.can_edit, officer.user_can_edit, officer.user_can_submit) == (True, True, False)
    assert (head.user_can_edit, head.user_can_submit) == (True, True)
    assert (reader.can_edit, reader.user_can_edit, reader.user_can_submit) == (True, False, False)

    fill_scores(assessment=assessment)
    assessment_submit(assessment=assessment, actor=unit_head)
    head = scoring_sheet(assessment=assessment, user=unit_head)
    assert (head.status, head.can_edit, head.user_can_edit, head.user_can_withdraw) == (
        Status.SUBMITTED,
        False,
        False,
        True,
    )

    time_machine.move_to(datetime(2027, 1, 16, tzinfo=HCM), tick=False)
    late = scoring_sheet(assessment=assessment, user=unit_head)
    assert (late.can_edit, late.user_can_withdraw) == (False, False)
    assert late.deadline == datetime(2027, 1, 15, 17, tzinfo=HCM)


def test_sheet_deadline_includes_extensions(unit, body_admin):
    assessment = assessment_for(unit=unit)
    assessment.period.self_assessment_deadline = datetime(2027, 1, 15, 17, tzinfo=HCM)
    assessment.period.save()
    DeadlineExtension.objects.create(
        assessment=assessment, new_deadline=datetime(2027, 1, 25, 17, tzinfo=HCM), reason="Sáp nhập"
    )

    sheet = scoring_sheet(assessment=assessment, now=datetime(2027, 1, 20, tzinfo=HCM))

    assert sheet.deadline == datetime(2027, 1, 25, 17, tzinfo=HCM)
    assert sheet.can_edit


def _dossier(unit, unit_officer, *, fields, criteria_per_field, items_per_criterion):
    period = PeriodFactory(body=unit.body, year=2026)
    criteria_set = build_criteria_set(
        period=period,
        unit_group=unit.group,
        fields=fields,
        criteria_per_field=criteria_per_field,
        items_per_criterion=items_per_criterion,
        survey_every=5,
    )
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    items = appraisal_items(criteria_set)
    mark_not_applicable(item=items[1], reason="Không tổ chức")
    mark_not_applicable(item=items[2], unit=unit, reason="Không có đơn vị sự nghiệp")
    fill_scores(assessment=assessment, count=len(items) // 2)
    upload(assessment, [items[0], items[3]], unit_officer, "a.pdf")
    upload(assessment, items[3:5], unit_officer, "b.pdf")
    return assessment


@pytest.mark.parametrize(
    ("fields", "criteria_per_field", "items_per_criterion", "leaves"),
    [(1, 2, 5, 10), (8, 5, 2, 80), (5, 4, 5, 100)],
)
def test_sheet_queries_do_not_grow_with_the_tree(
    unit, unit_officer, django_assert_max_num_queries, fields, criteria_per_field, items_per_criterion, leaves
):
    assessment = _dossier(
        unit,
        unit_officer,
        fields=fields,
        criteria_per_field=criteria_per_field,
        items_per_criterion=items_per_criterion,
    )
    assert len(leaf_items(assessment.criteria_set)) == leaves
    assessment = Assessment.objects.get(pk=assessment.pk)

    with django_assert_max_num_queries(SHEET_MAX_QUERIES):
        sheet = scoring_sheet(assessment=assessment, user=unit_officer)

    assert sum(len(c.items) for f in sheet.fields for c in f.criteria) == leaves


# --- the progress board -------------------------------------------------------------------------------------


@pytest.fixture
def board_period(body, departments):
    period = PeriodFactory(
        body=body, year=2026, self_assessment_deadline=datetime(2027, 1, 15, 17, tzinfo=HCM)
    )
    build_criteria_set(period=period, unit_group=departments)
    return period


def test_board_shows_every_active_unit_with_its_stage(
    body, board_period, unit, other_unit, unit_head, departments
):
    started = assessment_for(unit=unit, period=board_period)
    fill_scores(assessment=started)
    assessment_submit(assessment=started, actor=unit_head, now=datetime(2027, 1, 10, tzinfo=HCM))
    UnitFactory(body=body, group=departments, name="Sở đã giải thể", active_to=datetime(2024, 12, 31).date())
    districts = UnitGroupFactory(body=body, code="huyen", name="UBND huyện")
    UnitFactory(body=body, group=districts, name="UBND huyện không có bộ tiêu chí")

    rows = {
        r.unit_name: r
        for r in progress_board(body=body, period=board_period, now=datetime(2027, 1, 16, tzinfo=HCM))
    }

    assert set(rows) == {"Sở Nội vụ", "Sở Tư pháp"}
    submitted, not_started = rows["Sở Nội vụ"], rows["Sở Tư pháp"]
    assert (submitted.status, submitted.scored, submitted.applicable, submitted.scored_percent) == (
        Status.SUBMITTED,
        8,
        8,
        Decimal(100),
    )
    assert submitted.submitted_at == datetime(2027, 1, 10, tzinfo=HCM)
    assert not submitted.is_late
    assert (not_started.status, not_started.status_label, not_started.assessment_id) == (
        None,
        "Chưa bắt đầu",
        None,
    )
    assert not_started.is_late
    assert not_started.deadline == datetime(2027, 1, 15, 17, tzinfo=HCM)


def test_board_counts_only_applicable_scored_items_and_evidence(body, board_period, unit, unit_officer):
    assessment = assessment_for(unit=unit, period=board_period)
    items = appraisal_items(assessment.criteria_set)
    mark_not_applicable(item=items[0], unit=unit, reason="Không áp dụng")
    mark_not_applicable(item=items[7], reason="Không khảo sát")
    fill_scores(assessment=assessment, count=3)  # skips the exempt items[0]: scores items 1..3
    upload(assessment, items[1:3], unit_officer)

    row = progress_board(body=body, period=board_period, now=datetime(2027, 1, 1, tzinfo=HCM))[0]

    assert (row.scored, row.applicable, row.evidence_count) == (3, 6, 1)
    assert row.scored_percent == Decimal(50)
    assert row.last_activity_at is not None
    assert not row.is_late


def test_board_uses_each_units_extension(body, board_period, unit):
    assessment = assessment_for(unit=unit, period=board_period)
    DeadlineExtension.objects.create(
        assessment=assessment, new_deadline=datetime(2027, 1, 25, 17, tzinfo=HCM), reason="Sáp nhập"
    )

    row = progress_board(body=body, period=board_period, now=datetime(2027, 1, 20, tzinfo=HCM))[0]

    assert row.deadline == datetime(2027, 1, 25, 17, tzinfo=HCM)
    assert not row.is_late


def test_board_never_shows_another_bodys_units(board_period, body, other_body):
    stranger = UnitFactory(body=other_body, group=UnitGroupFactory(body=other_body))
    assessment_for(unit=stranger)

    assert stranger.pk not in {r.unit_id for r in progress_board(body=body, period=board_period)}


@pytest.mark.parametrize("unit_count", [5, 50])
def test_board_queries_are_fixed(body, departments, board_period, unit_count, django_assert_max_num_queries):
    head = UserFactory(username="thu-truong-chung")
    for number in range(unit_count):
        member = UnitFactory(
            body=body, group=departments, code=f"don-vi-{number}", name=f"Đơn vị {number:02d}"
        )
        if number % 3 == 0:
            continue  # not started
        assessment = assessment_for(unit=member, period=board_period)
        fill_scores(assessment=assessment, count=number % 8)
        if number % 3 == 2:
            RoleAssignmentFactory(user=head, body=body, role=Role.UNIT_HEAD, unit=member)
            DeadlineExtension.objects.create(
                assessment=assessment, new_deadline=datetime(2027, 2, 1, tzinfo=HCM), reason="Gia hạn"
            )
    assert Unit.objects.filter(body=body).count() == unit_count

    with django_assert_max_num_queries(BOARD_MAX_QUERIES):
        rows = progress_board(body=body, period=board_period)

    assert len(rows) == unit_count
