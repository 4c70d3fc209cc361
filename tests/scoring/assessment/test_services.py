"""Self-assessment services: every rule of "Bad input and security" refused at service level, in Vietnamese."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring.assessment.services import (
    AssessmentError,
    PermissionDenied,
    SubmissionBlocked,
    VersionConflict,
    assessment_can_edit,
    assessment_get_or_create,
    assessment_submit,
    assessment_transition,
    assessment_withdraw,
    deadline_extension_grant,
    evidence_upload,
    self_score_save,
    submission_problems,
)
from scoring.models import (
    Assessment,
    AssessmentTransition,
    CriteriaItem,
    Role,
    SelfScore,
)
from scoring.workflow import Status
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import (
    appraisal_items,
    assessment_for,
    build_criteria_set,
    fill_scores,
    leaf_items,
    mark_not_applicable,
)
from tests.scoring.dossier_fixtures import AFTER, BEFORE, DEADLINE, HCM  # noqa: F401
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UnitGroupFactory, UserFactory

# The fixtures assessment, item, with_deadline and other_officer come from tests/scoring/dossier_fixtures.py
# through pytest_plugins in tests/conftest.py.


def save(assessment, item, actor, points="0.75", version=0, **kwargs):
    return self_score_save(
        assessment=assessment,
        item=item,
        points=None if points is None else Decimal(points),
        justification=kwargs.pop("justification", "Đã ban hành kế hoạch"),
        no_evidence_reason=kwargs.pop("no_evidence_reason", ""),
        expected_version=version,
        actor=actor,
        **kwargs,
    )


def pdf_upload(name="bao-cao.pdf", data=samples.PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# --- opening an assessment --------------------------------------------------------------------------------


def test_get_or_create_opens_the_assessment_on_the_groups_criteria_set_once(unit):
    period = PeriodFactory(body=unit.body, year=2026)
    criteria_set = build_criteria_set(period=period, unit_group=unit.group)

    first = assessment_get_or_create(period=period, unit=unit)
    second = assessment_get_or_create(period=period, unit=unit)

    assert first.pk == second.pk
    assert first.criteria_set == criteria_set
    assert first.status == Status.SELF_ASSESSMENT


def test_get_or_create_refuses_a_group_without_criteria_set(unit):
    period = PeriodFactory(body=unit.body, year=2026)
    build_criteria_set(period=period, unit_group=UnitGroupFactory(body=unit.body, name="UBND huyện"))

    with pytest.raises(AssessmentError, match="chưa có bộ tiêu chí năm 2026"):
        assessment_get_or_create(period=period, unit=unit)


def test_get_or_create_refuses_a_unit_of_another_body(unit, other_body):
    period = PeriodFactory(body=other_body, year=2026)

    with pytest.raises(AssessmentError, match="không thuộc cơ quan đánh giá"):
        assessment_get_or_create(period=period, unit=unit)


# --- saving a score ------------------------------------------------------------------------------------


def test_save_stores_points_justification_and_a_first_version(assessment, item, unit_officer):
    score = save(assessment, item, unit_officer, "0.75", justification="  Kế hoạch 12/KH-SNV  ")

    score.refresh_from_db()
    assert (score.points, score.justification, score.version) == (Decimal("0.75"), "Kế hoạch 12/KH-SNV", 1)
    assert score.updated_by == unit_officer
    assessment.refresh_from_db()
    assert assessment.last_activity_at is not None


def test_next_save_with_the_current_version_bumps_it(assessment, item, unit_officer, unit_head):
    save(assessment, item, unit_officer, "0.5", version=0)

    score = save(assessment, item, unit_head, "1", version=1)

    assert (score.points, score.version, score.updated_by) == (Decimal("1"), 2, unit_head)


def test_later_save_from_a_stale_page_never_overwrites_and_shows_both_values(
    assessment, item, unit_officer, unit_head
):
    save(assessment, item, unit_officer, "0.5", version=0)
    # The officer's page still shows version 1; meanwhile the head reloads and saves version 2.
    save(assessment, item, unit_head, "1", version=1)

    with pytest.raises(VersionConflict) as error:
        save(assessment, item, unit_officer, "0.25", version=1)

    assert error.value.current.points == Decimal("1")
    assert error.value.current.version == 2
    assert "1,00" in error.value.message and "0,25" in error.value.message
    assert str(unit_head) in error.value.message
    assert SelfScore.objects.get(assessment=assessment, item=item).points == Decimal("1")


def test_first_save_when_someone_already_saved_is_a_conflict(assessment, item, unit_officer, unit_head):
    save(assessment, item, unit_head, "1", version=0)

    with pytest.raises(VersionConflict):
        save(assessment, item, unit_officer, "0.5", version=0)


def test_clearing_the_points_is_allowed(assessment, item, unit_officer):
    save(assessment, item, unit_officer, "0.5")

    score = save(assessment, item, unit_officer, None, version=1)

    assert score.points is None


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("1.25", "Điểm tối đa của tiêu chí 1.1.1 là 1,00; không thể chấm 1,25"),
        ("-0.25", "không được nhỏ hơn 0"),
        ("0.3", "theo bước 0,25 điểm"),
        ("0.125", "theo bước 0,25 điểm"),
        ("NaN", "Điểm không hợp lệ"),
        ("Infinity", "Điểm không hợp lệ"),
    ],
)
def test_points_outside_the_rules_are_refused(assessment, item, unit_officer, points, message):
    with pytest.raises(AssessmentError) as error:
        save(assessment, item, unit_officer, points)

    assert message in error.value.message
    assert error.value.field == "points"
    assert not SelfScore.objects.exists()


def test_half_point_step_refuses_quarters(unit, unit_officer):
    period = PeriodFactory(body=unit.body, year=2026)
    criteria_set = build_criteria_set(
        period=period, unit_group=unit.group, step="0.50", max_points=Decimal(2)
    )
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    item = appraisal_items(criteria_set)[0]

    with pytest.raises(AssessmentError, match="theo bước 0,5 điểm"):
        save(assessment, item, unit_officer, "1.25")
    assert save(assessment, item, unit_officer, "1.5").points == Decimal("1.5")


def test_full_maximum_and_zero_are_allowed(assessment, unit_officer):
    first, second = appraisal_items(assessment.criteria_set)[:2]

    assert save(assessment, first, unit_officer, "1").points == Decimal(1)
    assert save(assessment, second, unit_officer, "0").points == Decimal(0)


def test_item_not_applicable_for_the_period_is_refused_with_its_reason(assessment, item, unit_officer):
    mark_not_applicable(item=item, reason="Năm nay không khảo sát DDCI")

    with pytest.raises(
        AssessmentError, match="không đánh giá đối với đơn vị .lý do: Năm nay không khảo sát DDCI"
    ):
        save(assessment, item, unit_officer)


def test_item_not_applicable_for_this_unit_only_is_refused(
    assessment, item, unit_officer, other_unit, other_officer
):
    mark_not_applicable(item=item, unit=assessment.unit, reason="Không có đơn vị sự nghiệp")

    with pytest.raises(AssessmentError, match="Không có đơn vị sự nghiệp"):
        save(assessment, item, unit_officer)
    other = assessment_for(unit=other_unit, criteria_set=assessment.criteria_set)
    assert save(other, item, other_officer).version == 1


def test_survey_item_is_read_only(unit, unit_officer):
    period = PeriodFactory(body=unit.body, year=2026)
    criteria_set = build_criteria_set(period=period, unit_group=unit.group, survey_every=2)
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    survey_item = next(i for i in leaf_items(criteria_set) if i.method == "survey")

    with pytest.raises(AssessmentError, match="điều tra xã hội học"):
        save(assessment, survey_item, unit_officer)


def test_container_item_is_refused(assessment, unit_officer):
    criterion = CriteriaItem.objects.get(criteria_set=assessment.criteria_set, code="1.1")

    with pytest.raises(AssessmentError, match="có các tiêu chí thành phần"):
        save(assessment, criterion, unit_officer)


def test_item_of_another_criteria_set_is_refused(assessment, unit_officer, body):
    period = PeriodFactory(body=body, year=2025)
    foreign = leaf_items(build_criteria_set(period=period, unit_group=assessment.unit.group))[0]

    with pytest.raises(AssessmentError, match="không thuộc bộ tiêu chí"):
        save(assessment, foreign, unit_officer)


@pytest.mark.parametrize("persona", ["viewer", "appraiser", "council_member", "body_admin", "outsider"])
def test_people_who_are_not_of_the_unit_cannot_save(assessment, item, persona, request):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied) as error:
        save(assessment, item, actor)

    assert isinstance(error.value, DjangoPermissionDenied)  # unhandled, Django and DRF answer 403
    assert "Chỉ cán bộ và thủ trưởng của đơn vị" in error.value.message
    assert not SelfScore.objects.exists()


def test_officer_of_another_unit_cannot_save(assessment, item, other_officer):
    with pytest.raises(PermissionDenied):
        save(assessment, item, other_officer)


def test_save_after_submission_is_refused(assessment, item, unit_officer, unit_head):
    fill_scores(assessment=assessment)
    assessment_submit(assessment=assessment, actor=unit_head)

    with pytest.raises(AssessmentError, match="Hồ sơ đã được gửi nên không thể sửa"):
        save(assessment, item, unit_officer, version=1)


def test_save_after_the_deadline_is_refused(with_deadline, item, unit_officer, time_machine):
    time_machine.move_to(AFTER, tick=False)

    with pytest.raises(AssessmentError, match=r"Đã quá hạn tự đánh giá \(17:00 15/01/2027\)"):
        save(with_deadline, item, unit_officer)


def test_save_exactly_at_the_deadline_is_allowed(with_deadline, item, unit_officer, time_machine):
    time_machine.move_to(DEADLINE, tick=False)

    assert save(with_deadline, item, unit_officer).version == 1


# --- submission -------------------------------------------------------------------------------------------


def test_problems_list_unscored_items_and_items_without_evidence_or_reason(assessment, unit_officer):
    first, second, third, *rest = appraisal_items(assessment.criteria_set)
    save(assessment, first, unit_officer, "1", no_evidence_reason="Không phát sinh văn bản")
    save(assessment, second, unit_officer, "1")
    evidence_upload(
        assessment=assessment, uploaded_file=pdf_upload(), item_ids=[third.pk], actor=unit_officer
    )
    for other in rest:
        mark_not_applicable(item=other, unit=assessment.unit)

    problems = submission_problems(assessment=assessment)

    assert [(p.item_code, p.message) for p in problems] == [
        ("1.1.2", "Chưa có tài liệu kiểm chứng; cần ghi lý do không có tài liệu."),
        ("1.2.1", "Chưa chấm điểm."),
    ]


def test_survey_and_not_applicable_items_are_not_required(unit, unit_officer):
    period = PeriodFactory(body=unit.body, year=2026)
    criteria_set = build_criteria_set(period=period, unit_group=unit.group, survey_every=2)
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    appraisal = appraisal_items(criteria_set)
    mark_not_applicable(item=appraisal[0], reason="Không tổ chức")
    fill_scores(assessment=assessment)

    assert submission_problems(assessment=assessment) == []


def test_submit_locks_the_dossier_records_the_move_and_mails_the_administrators(
    assessment, unit_head, body_admin, outsider, unit_officer, mailoutbox, django_capture_on_commit_callbacks
):
    # Only this body's administrators are told; another province's administrator and the unit are not.
    fill_scores(assessment=assessment)

    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=assessment, actor=unit_head)

    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED
    assert assessment.submitted_by == unit_head and assessment.submitted_at is not None
    move = AssessmentTransition.objects.get(assessment=assessment)
    assert (move.from_status, move.to_status, move.actor) == (
        Status.SELF_ASSESSMENT,
        Status.SUBMITTED,
        unit_head,
    )
    assert not assessment_can_edit(assessment=assessment)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [body_admin.email]
    assert "Đơn vị Sở Nội vụ đã gửi hồ sơ tự đánh giá năm 2026" in mailoutbox[0].subject
    assert "Đơn vị Sở Nội vụ đã gửi hồ sơ tự đánh giá năm 2026" in mailoutbox[0].body


def test_submit_refuses_an_incomplete_dossier_and_lists_the_problems(assessment, unit_head):
    fill_scores(assessment=assessment, count=5, no_evidence_reason="")

    with pytest.raises(SubmissionBlocked) as error:
        assessment_submit(assessment=assessment, actor=unit_head)

    assert "Chưa thể gửi hồ sơ: 8 tiêu chí" in error.value.message
    assert {p.item_code for p in error.value.problems} == {
        i.code for i in appraisal_items(assessment.criteria_set)
    }
    assessment.refresh_from_db()
    assert assessment.status == Status.SELF_ASSESSMENT
    assert not AssessmentTransition.objects.exists()


def test_officer_cannot_submit(assessment, unit_officer):
    fill_scores(assessment=assessment)

    with pytest.raises(PermissionDenied, match="Chỉ thủ trưởng đơn vị"):
        assessment_submit(assessment=assessment, actor=unit_officer)


def test_head_of_another_unit_cannot_submit(assessment, body, other_unit):
    head = UserFactory(username="thutruong-stp")
    RoleAssignmentFactory(user=head, body=body, role=Role.UNIT_HEAD, unit=other_unit)
    fill_scores(assessment=assessment)

    with pytest.raises(PermissionDenied):
        assessment_submit(assessment=assessment, actor=head)


def test_submit_after_the_deadline_is_refused(with_deadline, unit_head, time_machine):
    fill_scores(assessment=with_deadline)
    time_machine.move_to(AFTER, tick=False)

    with pytest.raises(AssessmentError, match="quá hạn"):
        assessment_submit(assessment=with_deadline, actor=unit_head)


def test_submit_twice_is_refused(assessment, unit_head):
    fill_scores(assessment=assessment)
    assessment_submit(assessment=assessment, actor=unit_head)

    with pytest.raises(AssessmentError, match="Đã gửi.*không thể gửi"):
        assessment_submit(assessment=assessment, actor=unit_head)


def test_withdraw_reopens_the_dossier_and_mails_the_administrators(
    assessment, item, unit_head, unit_officer, body_admin, mailoutbox, django_capture_on_commit_callbacks
):
    fill_scores(assessment=assessment)
    assessment_submit(assessment=assessment, actor=unit_head)

    with django_capture_on_commit_callbacks(execute=True):
        assessment_withdraw(assessment=assessment, actor=unit_head, note="Bổ sung tài liệu tiêu chí 1.1.1")

    assessment.refresh_from_db()
    assert assessment.status == Status.SELF_ASSESSMENT
    assert assessment.submitted_at is None
    move = AssessmentTransition.objects.filter(assessment=assessment).last()
    assert (move.from_status, move.to_status, move.note) == (
        Status.SUBMITTED,
        Status.SELF_ASSESSMENT,
        "Bổ sung tài liệu tiêu chí 1.1.1",
    )
    assert "đã rút lại hồ sơ tự đánh giá năm 2026" in mailoutbox[-1].subject
    assert "Bổ sung tài liệu tiêu chí 1.1.1" in mailoutbox[-1].body
    assert save(assessment, item, unit_officer, "0.5", version=1).version == 2


def test_withdraw_after_the_deadline_is_refused(with_deadline, unit_head, time_machine):
    time_machine.move_to(BEFORE, tick=False)
    fill_scores(assessment=with_deadline)
    assessment_submit(assessment=with_deadline, actor=unit_head)
    time_machine.move_to(AFTER, tick=False)

    with pytest.raises(AssessmentError, match="quá hạn"):
        assessment_withdraw(assessment=with_deadline, actor=unit_head)


def test_withdraw_once_appraisal_started_is_refused(assessment, unit_head, appraiser):
    fill_scores(assessment=assessment)
    assessment_submit(assessment=assessment, actor=unit_head)
    assessment_transition(assessment=assessment, to=Status.ROUND_1, actor=appraiser)

    with pytest.raises(AssessmentError, match="chưa bắt đầu thẩm định"):
        assessment_withdraw(assessment=assessment, actor=unit_head)


def test_withdraw_of_a_dossier_not_submitted_is_refused(assessment, unit_head):
    with pytest.raises(AssessmentError, match="Chỉ rút lại được hồ sơ đã gửi"):
        assessment_withdraw(assessment=assessment, actor=unit_head)


def test_officer_cannot_withdraw(assessment, unit_head, unit_officer):
    fill_scores(assessment=assessment)
    assessment_submit(assessment=assessment, actor=unit_head)

    with pytest.raises(PermissionDenied):
        assessment_withdraw(assessment=assessment, actor=unit_officer)


# --- transitions ----------------------------------------------------------------------------------------


def test_transition_refuses_a_move_outside_the_table_and_records_nothing(assessment, body_admin):
    with pytest.raises(
        AssessmentError, match="Không thể chuyển hồ sơ từ trạng thái «Đang tự đánh giá» sang «Đã công bố»"
    ):
        assessment_transition(assessment=assessment, to=Status.PUBLISHED, actor=body_admin)

    assert Assessment.objects.get(pk=assessment.pk).status == Status.SELF_ASSESSMENT
    assert not AssessmentTransition.objects.exists()


def test_transition_to_an_unknown_status_is_refused(assessment, body_admin):
    with pytest.raises(AssessmentError, match="Trạng thái không hợp lệ"):
        assessment_transition(assessment=assessment, to="archived", actor=body_admin)


def test_transition_records_who_from_to_and_note(assessment, body_admin):
    assessment_transition(assessment=assessment, to=Status.SUBMITTED, actor=body_admin, note="Gửi thay")

    move = AssessmentTransition.objects.get()
    assert (move.from_status, move.to_status, move.actor, move.note) == (
        Status.SELF_ASSESSMENT,
        Status.SUBMITTED,
        body_admin,
        "Gửi thay",
    )
    assert move.created_at is not None


def test_no_mail_without_administrators_having_an_address(
    assessment, unit_head, mailoutbox, django_capture_on_commit_callbacks
):
    fill_scores(assessment=assessment)

    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=assessment, actor=unit_head)

    assert mailoutbox == []


# --- deadline extensions ----------------------------------------------------------------------------------


def test_extension_reopens_editing_until_the_new_deadline(
    with_deadline, item, unit_officer, body_admin, time_machine
):
    time_machine.move_to(AFTER, tick=False)
    assert not assessment_can_edit(assessment=with_deadline)

    extension = deadline_extension_grant(
        assessment=with_deadline,
        new_deadline=datetime(2027, 1, 20, 17, 0, tzinfo=HCM),
        reason="Đơn vị sáp nhập, cần thêm thời gian",
        actor=body_admin,
    )

    assert extension.granted_by == body_admin
    assert assessment_can_edit(assessment=with_deadline)
    assert save(with_deadline, item, unit_officer).version == 1
    time_machine.move_to(datetime(2027, 1, 20, 17, 1, tzinfo=HCM), tick=False)
    with pytest.raises(AssessmentError, match=r"quá hạn tự đánh giá \(17:00 20/01/2027\)"):
        save(with_deadline, item, unit_officer, version=1)


@pytest.mark.parametrize("persona", ["unit_head", "unit_officer", "appraiser", "viewer", "outsider"])
def test_only_the_body_administrator_grants_extensions(with_deadline, persona, request, time_machine):
    time_machine.move_to(BEFORE, tick=False)

    with pytest.raises(PermissionDenied):
        deadline_extension_grant(
            assessment=with_deadline,
            new_deadline=datetime(2027, 1, 20, tzinfo=HCM),
            reason="Lý do",
            actor=request.getfixturevalue(persona),
        )


@pytest.mark.parametrize(
    ("new_deadline", "reason", "message"),
    [
        (datetime(2027, 1, 20, tzinfo=HCM), "   ", "Hãy ghi lý do gia hạn"),
        (datetime(2027, 1, 12, tzinfo=HCM), "Lý do", "Hạn mới phải sau hạn đang áp dụng"),
        (datetime(2027, 1, 5, tzinfo=HCM), "Lý do", "Hạn mới phải sau thời điểm hiện tại"),
    ],
)
def test_extension_needs_a_reason_and_a_later_date(
    with_deadline, body_admin, time_machine, new_deadline, reason, message
):
    time_machine.move_to(BEFORE, tick=False)

    with pytest.raises(AssessmentError, match=message):
        deadline_extension_grant(
            assessment=with_deadline, new_deadline=new_deadline, reason=reason, actor=body_admin
        )


def test_extension_without_a_period_deadline_is_refused(assessment, body_admin):
    with pytest.raises(AssessmentError, match="chưa đặt hạn"):
        deadline_extension_grant(
            assessment=assessment,
            new_deadline=datetime(2030, 1, 1, tzinfo=HCM),
            reason="Lý do",
            actor=body_admin,
        )
