"""Appraisal services: each one's happy path and one test per guard; earlier rounds are never overwritten."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisal.models import CouncilDecision, Explanation, ItemAppraisal
from appraisal.rounds import services
from appraisal.rounds.services import AppraisalError, AppraisalPermissionDenied, VersionConflict
from scoring.audit.services import audit_text
from scoring.models import AssessmentTransition, AuditEvent, Evidence, Notification, Role, SelfScore
from scoring.results.state import results_changed
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, appraise_all, assign, explain, set_status, submitted_assessment
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import appraisal_items, mark_not_applicable
from tests.scoring.factories import RoleAssignmentFactory, UserFactory


@pytest.fixture
def dossier(unit, unit_head):
    return submitted_assessment(unit=unit, actor=unit_head)


@pytest.fixture
def items(dossier):
    return appraisal_items(dossier.criteria_set)


@pytest.fixture
def assigned(appraiser, unit, dossier):
    assign(appraiser, unit)
    return appraiser


@pytest.fixture
def round1(dossier, assigned):
    return set_status(dossier, Status.ROUND_1)


def _save(
    assessment, item, actor, *, round=1, points=Decimal("0.50"), flag=False, version=0, comment="Thiếu"
):
    return services.item_appraisal_save(
        assessment=assessment,
        item=item,
        round=round,
        points=points,
        comment=comment,
        needs_explanation=flag,
        expected_version=version,
        actor=actor,
    )


def _flag_first(assessment, items, by):
    appraise(assessment=assessment, item=items[0], points=Decimal("0.50"), needs_explanation=True, by=by)


def _status(assessment):
    assessment.refresh_from_db()
    return assessment.status


# --- start ----------------------------------------------------------------------------------------------


def test_admin_starts_round_1_and_the_move_is_recorded_and_audited(dossier, body_admin):
    services.appraisal_round_start(assessment=dossier, actor=body_admin)

    assert _status(dossier) == Status.ROUND_1
    move = AssessmentTransition.objects.get(assessment=dossier)
    assert (move.from_status, move.to_status, move.actor) == (Status.SUBMITTED, Status.ROUND_1, body_admin)
    event = AuditEvent.objects.get(action="assessment_transition")
    assert (event.old_value, event.new_value, event.actor) == (Status.SUBMITTED, Status.ROUND_1, body_admin)


def test_assigned_appraiser_may_start_round_1(dossier, assigned):
    services.appraisal_round_start(assessment=dossier, actor=assigned)

    assert _status(dossier) == Status.ROUND_1


def test_appraiser_not_assigned_cannot_start_round_1(dossier, appraiser):
    with pytest.raises(AppraisalPermissionDenied):
        services.appraisal_round_start(assessment=dossier, actor=appraiser)

    assert _status(dossier) == Status.SUBMITTED


def test_council_member_cannot_start_round_1(dossier, council_member):
    with pytest.raises(AppraisalPermissionDenied):
        services.appraisal_round_start(assessment=dossier, actor=council_member)


def test_round_1_cannot_start_before_submission(unit, body_admin):
    dossier = submitted_assessment(unit=unit, status=Status.SELF_ASSESSMENT)

    with pytest.raises(AppraisalError, match="Không thể chuyển hồ sơ"):
        services.appraisal_round_start(assessment=dossier, actor=body_admin)


# --- item appraisal -------------------------------------------------------------------------------------


def test_assigned_appraiser_saves_a_round_1_score_with_comment_and_flag(round1, items, assigned):
    row = _save(round1, items[0], assigned, points=Decimal("0.75"), flag=True)

    assert (row.round, row.points, row.comment, row.needs_explanation, row.version) == (
        1,
        Decimal("0.75"),
        "Thiếu",
        True,
        1,
    )
    assert row.appraised_by == assigned
    fields = set(AuditEvent.objects.filter(action="appraisal_round1").values_list("field", "new_value"))
    assert fields == {("points", "0.75"), ("comment", "Thiếu"), ("needs_explanation", audit_text(True))}


def test_second_save_needs_the_current_version_and_records_old_and_new(round1, items, assigned):
    _save(round1, items[0], assigned, points=Decimal("0.75"))
    row = _save(round1, items[0], assigned, points=Decimal("0.25"), version=1)

    assert (row.points, row.version) == (Decimal("0.25"), 2)
    event = AuditEvent.objects.filter(action="appraisal_round1", field="points").latest("pk")
    assert (event.old_value, event.new_value, event.item_code) == ("0.75", "0.25", items[0].code)


def test_stale_version_is_a_conflict_and_keeps_the_newer_score(round1, items, assigned):
    _save(round1, items[0], assigned, points=Decimal("0.75"))

    with pytest.raises(VersionConflict) as error:
        _save(round1, items[0], assigned, points=Decimal("0.25"), version=0)

    assert error.value.field == "version"
    assert error.value.current.points == Decimal("0.75")
    assert ItemAppraisal.objects.get().points == Decimal("0.75")


def test_appraiser_not_assigned_cannot_score(round1, items, unit, other_unit, body):
    stranger = UserFactory(username="td-khac")
    RoleAssignmentFactory(user=stranger, body=body, role=Role.APPRAISER)
    assign(stranger, other_unit, period=round1.period)

    with pytest.raises(AppraisalPermissionDenied):
        _save(round1, items[0], stranger)

    assert not ItemAppraisal.objects.exists()


def test_body_admin_is_not_an_appraiser(round1, items, body_admin):
    with pytest.raises(AppraisalPermissionDenied):
        _save(round1, items[0], body_admin)


def test_field_assignment_covers_its_field_only(round1, items, body):
    field_appraiser = UserFactory(username="td-linh-vuc-2")
    RoleAssignmentFactory(user=field_appraiser, body=body, role=Role.APPRAISER)
    assign(field_appraiser, period=round1.period, field_code="2")
    in_field_2 = next(i for i in items if i.code.startswith("2."))

    _save(round1, in_field_2, field_appraiser)
    with pytest.raises(AppraisalPermissionDenied):
        _save(round1, items[0], field_appraiser)


def test_assignment_without_the_appraiser_role_gives_no_right(round1, items, unit):
    former = UserFactory(username="td-cu")
    assign(former, unit, period=round1.period)

    with pytest.raises(AppraisalPermissionDenied):
        _save(round1, items[0], former)


def test_round_must_match_the_status(round1, items, assigned):
    with pytest.raises(AppraisalError, match="vòng 2"):
        _save(round1, items[0], assigned, round=2)

    set_status(round1, Status.EXPLANATION)
    with pytest.raises(AppraisalError, match="vòng 1"):
        _save(round1, items[0], assigned, round=1)


def test_unknown_round_is_refused(round1, items, assigned):
    with pytest.raises(AppraisalError, match="Vòng thẩm định không hợp lệ"):
        _save(round1, items[0], assigned, round=3)


def test_round_2_rescores_only_items_flagged_in_round_1(round1, items, assigned):
    _flag_first(round1, items, assigned)
    appraise(assessment=round1, item=items[1], points=Decimal("1.00"), by=assigned)
    set_status(round1, Status.ROUND_2)

    _save(round1, items[0], assigned, round=2, points=Decimal("1.00"))
    with pytest.raises(AppraisalError, match="không yêu cầu giải trình") as error:
        _save(round1, items[1], assigned, round=2)

    assert error.value.field == "item"


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (Decimal("1.25"), "Điểm tối đa"),
        (Decimal("-0.25"), "nhỏ hơn 0"),
        (Decimal("0.30"), "bước 0,25"),
    ],
)
def test_score_out_of_range_or_off_step_is_refused(round1, items, assigned, points, message):
    with pytest.raises(AppraisalError, match=message) as error:
        _save(round1, items[0], assigned, points=points)

    assert error.value.field == "points"
    assert not ItemAppraisal.objects.exists()


def test_item_not_applicable_to_the_unit_is_not_appraised(round1, items, assigned, unit):
    mark_not_applicable(item=items[0], unit=unit)

    with pytest.raises(AppraisalError, match="không đánh giá"):
        _save(round1, items[0], assigned)


def test_container_items_are_not_appraised(round1, assigned):
    criterion = round1.criteria_set.items.get(code="1.1")

    with pytest.raises(AppraisalError, match="thành phần"):
        _save(round1, criterion, assigned)


def test_round_2_flag_is_not_stored(round1, items, assigned):
    _flag_first(round1, items, assigned)
    set_status(round1, Status.ROUND_2)

    row = _save(round1, items[0], assigned, round=2, flag=True)

    assert row.needs_explanation is False


def test_nothing_of_an_earlier_round_is_overwritten(round1, items, assigned, unit_head):
    first = _save(round1, items[0], assigned, points=Decimal("0.25"), flag=True, comment="Chưa có quyết định")
    self_before = SelfScore.objects.get(assessment=round1, item=items[0])
    services.round1_send(assessment=round1, actor=_admin(round1))
    services.explanation_save(
        assessment=round1, item=items[0], text="Đã ban hành", expected_version=0, actor=unit_head
    )
    services.explanation_submit(assessment=round1, actor=unit_head)

    second = _save(round1, items[0], assigned, round=2, points=Decimal("1.00"), comment="Đã bổ sung")
    _save(round1, items[0], assigned, round=2, points=Decimal("0.75"), comment="Sửa lại", version=1)

    kept = ItemAppraisal.objects.get(pk=first.pk)
    assert (kept.round, kept.points, kept.comment, kept.needs_explanation, kept.version) == (
        1,
        Decimal("0.25"),
        "Chưa có quyết định",
        True,
        1,
    )
    assert ItemAppraisal.objects.get(pk=second.pk).points == Decimal("0.75")
    self_after = SelfScore.objects.get(pk=self_before.pk)
    assert (self_after.points, self_after.version) == (self_before.points, self_before.version)
    assert ItemAppraisal.objects.filter(assessment=round1, item=items[0]).count() == 2


def _admin(assessment):
    admin = UserFactory(username="quan-tri-2")
    RoleAssignmentFactory(user=admin, body=assessment.period.body, role=Role.BODY_ADMIN)
    return admin


# --- bulk actions -----------------------------------------------------------------------------------------


def test_accept_self_scores_fills_only_items_nobody_appraised_and_holds_the_rest(round1, items, assigned):
    SelfScore.objects.filter(assessment=round1, item=items[1]).update(points=Decimal("0.75"))
    lowered = _save(round1, items[0], assigned, points=Decimal("0.25"), flag=True, comment="Thiếu số liệu")
    commented = appraise(assessment=round1, item=items[2], points=None, comment="Xem lại", by=assigned)

    result = services.round1_accept_self_scores(
        assessment=round1, item_ids=[items[0].pk, items[1].pk, items[2].pk], actor=assigned
    )

    assert [(r.item_id, r.points, r.version) for r in result.saved] == [(items[1].pk, Decimal("0.75"), 1)]
    assert [(h.code, h.points, h.self_points, h.version, h.changed) for h in result.held] == [
        (items[0].code, Decimal("0.25"), Decimal("1.00"), 1, False),
        (items[2].code, None, Decimal("1.00"), 1, False),
    ]
    lowered.refresh_from_db()
    assert (lowered.points, lowered.comment, lowered.needs_explanation) == (
        Decimal("0.25"),
        "Thiếu số liệu",
        True,
    )
    commented.refresh_from_db()
    assert (commented.points, commented.comment) == (None, "Xem lại")
    assert AuditEvent.objects.filter(action="appraisal_round1", note="Chấp nhận điểm tự chấm").count() == 1


def test_accept_self_scores_replaces_an_entered_value_only_when_confirmed_with_its_version(
    round1, items, assigned
):
    lowered = _save(round1, items[0], assigned, points=Decimal("0.25"), flag=True, comment="Thiếu số liệu")

    result = services.round1_accept_self_scores(
        assessment=round1, item_ids=(), overwrite={items[0].pk: lowered.version}, actor=assigned
    )

    assert [(r.item_id, r.points, r.version) for r in result.saved] == [(items[0].pk, Decimal("1.00"), 2)]
    lowered.refresh_from_db()
    # The value is replaced as confirmed; the comment and the flag a person set are kept.
    assert (lowered.points, lowered.comment, lowered.needs_explanation) == (
        Decimal("1.00"),
        "Thiếu số liệu",
        True,
    )
    assert (
        AuditEvent.objects.filter(note__startswith="Chấp nhận điểm tự chấm (thay điểm đã nhập").count() == 1
    )


def test_confirmed_overwrite_of_an_item_saved_since_is_refused_for_that_item(
    round1, items, assigned, appraiser
):
    # The confirmation listed items 0 and 1 at version 1; then a colleague saved item 0 again (version 2).
    first = _save(round1, items[0], assigned, points=Decimal("0.25"))
    _save(round1, items[1], assigned, points=Decimal("0.50"))
    _save(round1, items[0], assigned, points=Decimal("0.50"), version=first.version, comment="Đã xem lại")

    result = services.round1_accept_self_scores(
        assessment=round1, item_ids=(), overwrite={items[0].pk: 1, items[1].pk: 1}, actor=assigned
    )

    assert [r.item_id for r in result.saved] == [items[1].pk]
    assert [(h.code, h.points, h.version) for h in result.changed] == [(items[0].code, Decimal("0.50"), 2)]
    row = ItemAppraisal.objects.get(assessment=round1, item=items[0], round=1)
    assert (row.points, row.comment, row.version) == (Decimal("0.50"), "Đã xem lại", 2)


def test_a_save_racing_a_bulk_accept_gets_a_version_conflict_and_the_bulk_value_stays(
    round1, items, assigned
):
    # The page was loaded at version 0; the bulk accept lands first, then the save with the old version.
    services.round1_accept_self_scores(assessment=round1, item_ids=[items[0].pk], actor=assigned)

    with pytest.raises(VersionConflict):
        _save(round1, items[0], assigned, points=Decimal("0.25"), version=0)

    row = ItemAppraisal.objects.get(assessment=round1, item=items[0], round=1)
    assert (row.points, row.version) == (Decimal("1.00"), 1)


def test_a_bulk_accept_after_a_save_keeps_the_saved_value(round1, items, assigned):
    # The appraiser ticked the item on a page loaded before a colleague saved it: the save wins, it is held.
    _save(round1, items[0], assigned, points=Decimal("0.25"))

    result = services.round1_accept_self_scores(assessment=round1, item_ids=[items[0].pk], actor=assigned)

    assert not result.saved and [h.code for h in result.held] == [items[0].code]
    assert ItemAppraisal.objects.get(assessment=round1, item=items[0], round=1).points == Decimal("0.25")


def test_changing_appraised_points_announces_a_results_change_in_the_transaction(round1, items, assigned):
    seen = []

    def receiver(sender, period_id, **kwargs):
        seen.append(period_id)

    results_changed.connect(receiver)
    try:
        _save(round1, items[0], assigned, points=Decimal("0.25"))
        _save(round1, items[0], assigned, points=Decimal("0.25"), version=1, comment="Chỉ sửa nhận xét")
        services.round1_accept_self_scores(assessment=round1, item_ids=[items[1].pk], actor=assigned)
        services.round1_accept_self_scores(assessment=round1, item_ids=[items[0].pk], actor=assigned)  # held
    finally:
        results_changed.disconnect(receiver)

    # The point change and the accept are announced; a comment-only save and an all-held accept are not.
    assert seen == [round1.period_id, round1.period_id]


def test_accept_self_scores_refuses_unscored_items(round1, items, assigned):
    SelfScore.objects.filter(assessment=round1, item=items[0]).update(points=None)

    with pytest.raises(AppraisalError, match="chưa tự chấm"):
        services.round1_accept_self_scores(assessment=round1, item_ids=[items[0].pk], actor=assigned)


def test_accept_self_scores_needs_round_1_and_an_assignment(round1, items, appraiser, unit, other_unit, body):
    stranger = UserFactory(username="td-khac")
    RoleAssignmentFactory(user=stranger, body=body, role=Role.APPRAISER)
    with pytest.raises(AppraisalPermissionDenied):
        services.round1_accept_self_scores(assessment=round1, item_ids=[items[0].pk], actor=stranger)

    set_status(round1, Status.ROUND_2)
    with pytest.raises(AppraisalError, match="không thể thực hiện"):
        services.round1_accept_self_scores(assessment=round1, item_ids=[items[0].pk], actor=appraiser)


def test_flag_missing_evidence_flags_only_items_without_evidence(round1, items, assigned):
    evidence = Evidence.objects.create(
        assessment=round1, original_name="qd.pdf", content_type="application/pdf", size=1, sha256="0" * 64
    )
    evidence.items.set(items[:2])

    result = services.round1_flag_missing_evidence(assessment=round1, actor=assigned)

    assert len(result.saved) == len(items) - 2 and not result.held
    flagged = set(
        ItemAppraisal.objects.filter(assessment=round1, round=1, needs_explanation=True).values_list(
            "item_id", flat=True
        )
    )
    assert flagged == {i.pk for i in items[2:]}
    again = services.round1_flag_missing_evidence(assessment=round1, actor=assigned)
    assert not again.saved and not again.held


def test_flag_missing_evidence_never_clears_and_holds_items_a_person_appraised_unflagged(
    round1, items, assigned
):
    # No evidence anywhere: every item qualifies. Item 0 was accepted unflagged on purpose, item 1 flagged by
    # hand with a comment, item 2 has only a comment.
    _save(round1, items[0], assigned, points=Decimal("1.00"), comment="")
    _save(round1, items[1], assigned, points=Decimal("0.25"), flag=True, comment="Thiếu quyết định")
    _save(round1, items[2], assigned, points=None, comment="Xem lại")

    result = services.round1_flag_missing_evidence(assessment=round1, actor=assigned)

    assert {h.code for h in result.held} == {items[0].code, items[2].code}
    assert {r.item_id for r in result.saved} == {i.pk for i in items[3:]}
    rows = {r.item_id: r for r in ItemAppraisal.objects.filter(assessment=round1, round=1)}
    assert (rows[items[0].pk].needs_explanation, rows[items[0].pk].version) == (False, 1)
    assert (rows[items[1].pk].comment, rows[items[1].pk].needs_explanation) == ("Thiếu quyết định", True)
    assert rows[items[2].pk].comment == "Xem lại" and not rows[items[2].pk].needs_explanation

    confirmed = services.round1_flag_missing_evidence(
        assessment=round1, actor=assigned, overwrite={items[0].pk: 1}
    )

    assert [r.item_id for r in confirmed.saved] == [items[0].pk]
    rows[items[0].pk].refresh_from_db()
    assert (rows[items[0].pk].points, rows[items[0].pk].needs_explanation) == (Decimal("1.00"), True)


# --- sending round 1, skipping the explanation ----------------------------------------------------------------


def test_round1_send_moves_to_explanation_and_notifies_the_units_officer_and_head(
    round1,
    items,
    assigned,
    body_admin,
    unit_head,
    unit_officer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _flag_first(round1, items, assigned)

    with django_capture_on_commit_callbacks(execute=True):
        services.round1_send(assessment=round1, actor=body_admin)

    assert _status(round1) == Status.EXPLANATION
    notes = Notification.objects.filter(verb="round1_sent")
    assert {n.user for n in notes} == {unit_head, unit_officer}
    assert {m.to[0] for m in mailoutbox} == {unit_head.email, unit_officer.email}
    note = notes.first()
    assert "1 tiêu chí cần giải trình" in note.text
    assert note.url == f"/tham-dinh/{round1.pk}/giai-trinh/"


def test_round1_send_without_any_flag_is_refused(round1, body_admin):
    with pytest.raises(AppraisalError, match="Không có tiêu chí nào cần giải trình"):
        services.round1_send(assessment=round1, actor=body_admin)


def test_appraiser_cannot_send_round_1(round1, items, assigned):
    _flag_first(round1, items, assigned)

    with pytest.raises(AppraisalPermissionDenied):
        services.round1_send(assessment=round1, actor=assigned)


def test_admin_skips_the_explanation_when_nothing_is_flagged(round1, body_admin):
    services.round1_skip_explanation(assessment=round1, actor=body_admin)

    assert _status(round1) == Status.ROUND_2


def test_skip_is_refused_while_items_are_flagged(round1, items, assigned, body_admin):
    _flag_first(round1, items, assigned)

    with pytest.raises(AppraisalError, match="cần giải trình"):
        services.round1_skip_explanation(assessment=round1, actor=body_admin)


# --- explanation ------------------------------------------------------------------------------------------


@pytest.fixture
def explaining(round1, items, assigned):
    _flag_first(round1, items, assigned)
    return set_status(round1, Status.EXPLANATION)


def test_unit_officer_writes_an_explanation_of_a_flagged_item(explaining, items, unit_officer):
    row = services.explanation_save(
        assessment=explaining,
        item=items[0],
        text="  Đã ban hành kế hoạch  ",
        expected_version=0,
        actor=unit_officer,
    )

    assert (row.text, row.version, row.updated_by) == ("Đã ban hành kế hoạch", 1, unit_officer)
    event = AuditEvent.objects.get(action="explanation")
    assert (event.field, event.new_value, event.item_code) == ("text", "Đã ban hành kế hoạch", items[0].code)


def test_explanation_conflict_keeps_the_newer_text(explaining, items, unit_officer, unit_head):
    explain(assessment=explaining, item=items[0], text="Bản của thủ trưởng", by=unit_head)

    with pytest.raises(VersionConflict):
        services.explanation_save(
            assessment=explaining, item=items[0], text="Bản cũ", expected_version=0, actor=unit_officer
        )

    assert Explanation.objects.get().text == "Bản của thủ trưởng"


def test_late_explanation_is_refused(explaining, items, unit_officer):
    period = explaining.period
    period.explanation_deadline = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)
    period.save()

    with (
        time_machine.travel(datetime(2027, 2, 1, 10, 1, tzinfo=UTC)),
        pytest.raises(AppraisalError, match="quá hạn giải trình"),
    ):
        services.explanation_save(
            assessment=explaining, item=items[0], text="Muộn", expected_version=0, actor=unit_officer
        )
    with time_machine.travel(datetime(2027, 2, 1, 9, 59, tzinfo=UTC)):
        services.explanation_save(
            assessment=explaining, item=items[0], text="Kịp", expected_version=0, actor=unit_officer
        )


def test_over_long_explanation_is_refused_with_the_limit(explaining, items, unit_officer, settings):
    settings.EXPLANATION_MAX_LENGTH = 20

    with pytest.raises(AppraisalError, match="tối đa 20 ký tự") as error:
        services.explanation_save(
            assessment=explaining, item=items[0], text="x" * 21, expected_version=0, actor=unit_officer
        )

    assert error.value.field == "text"
    services.explanation_save(
        assessment=explaining, item=items[0], text="x" * 20, expected_version=0, actor=unit_officer
    )


def test_default_explanation_limit_is_2000_characters(settings):
    from parindex import settings as project_settings

    assert project_settings.EXPLANATION_MAX_LENGTH == 2000


@pytest.mark.parametrize("who", ["appraiser", "body_admin", "council_member", "other_officer"])
def test_only_the_units_editors_explain(explaining, items, who, request, body, other_unit):
    if who == "other_officer":
        actor = UserFactory(username="canbo-stp")
        RoleAssignmentFactory(user=actor, body=body, role=Role.UNIT_OFFICER, unit=other_unit)
    else:
        actor = request.getfixturevalue(who)

    with pytest.raises(AppraisalPermissionDenied):
        services.explanation_save(
            assessment=explaining, item=items[0], text="x", expected_version=0, actor=actor
        )


def test_explanation_of_an_unflagged_item_is_refused(explaining, items, unit_officer):
    with pytest.raises(AppraisalError, match="không được yêu cầu giải trình"):
        services.explanation_save(
            assessment=explaining, item=items[1], text="x", expected_version=0, actor=unit_officer
        )


def test_explanation_outside_the_explanation_status_is_refused(round1, items, assigned, unit_officer):
    _flag_first(round1, items, assigned)

    with pytest.raises(AppraisalError, match="Thẩm định vòng 1"):
        services.explanation_save(
            assessment=round1, item=items[0], text="x", expected_version=0, actor=unit_officer
        )


def test_supplementary_evidence_is_stored_as_explanation_stage(explaining, items, unit_officer):
    evidence = services.explanation_evidence_upload(
        assessment=explaining,
        item=items[0],
        uploaded_file=SimpleUploadedFile("Bổ sung.pdf", samples.PDF),
        actor=unit_officer,
    )

    assert evidence.stage == "explanation"
    assert list(evidence.items.all()) == [items[0]]
    assert AuditEvent.objects.filter(action="explanation_evidence", new_value="Bổ sung.pdf").exists()


def test_supplementary_evidence_is_checked_like_any_evidence(explaining, items, unit_officer):
    with pytest.raises(AppraisalError) as error:
        services.explanation_evidence_upload(
            assessment=explaining,
            item=items[0],
            uploaded_file=SimpleUploadedFile("virus.pdf", samples.EXE),
            actor=unit_officer,
        )

    assert error.value.field == "file"
    assert not Evidence.objects.exists()


def test_supplementary_evidence_only_for_flagged_items(explaining, items, unit_officer):
    with pytest.raises(AppraisalError, match="không được yêu cầu giải trình"):
        services.explanation_evidence_upload(
            assessment=explaining,
            item=items[1],
            uploaded_file=SimpleUploadedFile("a.pdf", samples.PDF),
            actor=unit_officer,
        )


def test_unit_head_submits_the_explanation_and_the_appraisers_are_told(explaining, unit_head, assigned, body):
    other = UserFactory(username="td-khac")
    RoleAssignmentFactory(user=other, body=body, role=Role.APPRAISER)

    services.explanation_submit(assessment=explaining, actor=unit_head)

    assert _status(explaining) == Status.ROUND_2
    assert list(Notification.objects.filter(verb="explanation_submitted").values_list("user", flat=True)) == [
        assigned.pk
    ]


def test_officer_cannot_submit_the_explanation(explaining, unit_officer):
    with pytest.raises(AppraisalPermissionDenied):
        services.explanation_submit(assessment=explaining, actor=unit_officer)


def test_head_cannot_submit_after_the_deadline_but_the_admin_may_close(explaining, unit_head, body_admin):
    explaining.period.explanation_deadline = datetime(2027, 2, 1, tzinfo=UTC)
    explaining.period.save()

    with time_machine.travel(datetime(2027, 2, 2, tzinfo=UTC)):
        with pytest.raises(AppraisalError, match="quá hạn"):
            services.explanation_submit(assessment=explaining, actor=unit_head)
        services.explanation_submit(assessment=explaining, actor=body_admin)

    assert _status(explaining) == Status.ROUND_2


# --- returns for correction -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.ROUND_1, Status.SELF_ASSESSMENT),
        (Status.ROUND_2, Status.EXPLANATION),
        (Status.COUNCIL_APPROVED, Status.ROUND_2),
    ],
)
def test_admin_returns_for_correction_with_a_reason(dossier, body_admin, current, target):
    set_status(dossier, current)

    services.return_for_correction(assessment=dossier, to=target, reason="Thiếu quyết định", actor=body_admin)

    assert _status(dossier) == target
    move = AssessmentTransition.objects.get(assessment=dossier)
    assert (move.from_status, move.to_status, move.note) == (current, target, "Thiếu quyết định")


def test_return_without_a_reason_is_refused(dossier, body_admin):
    set_status(dossier, Status.ROUND_2)

    with pytest.raises(AppraisalError, match="lý do") as error:
        services.return_for_correction(
            assessment=dossier, to=Status.EXPLANATION, reason="   ", actor=body_admin
        )

    assert error.value.field == "reason"
    assert _status(dossier) == Status.ROUND_2
    assert not AssessmentTransition.objects.exists()


def test_return_to_a_state_that_is_not_a_return_is_refused(dossier, body_admin):
    set_status(dossier, Status.ROUND_1)

    with pytest.raises(AppraisalError, match="không trả lại"):
        services.return_for_correction(
            assessment=dossier, to=Status.EXPLANATION, reason="x", actor=body_admin
        )


def test_appraiser_cannot_return(round1, assigned):
    with pytest.raises(AppraisalPermissionDenied):
        services.return_for_correction(
            assessment=round1, to=Status.SELF_ASSESSMENT, reason="Thiếu", actor=assigned
        )


def test_return_to_the_unit_notifies_its_head(dossier, body_admin, unit_head):
    set_status(dossier, Status.ROUND_2)

    services.return_for_correction(
        assessment=dossier, to=Status.EXPLANATION, reason="Giải trình rõ hơn", actor=body_admin
    )

    note = Notification.objects.get(verb="returned_for_correction")
    assert note.user == unit_head
    assert "Giải trình rõ hơn" in note.text


def test_returned_explanation_has_no_deadline(dossier, items, body_admin, unit_officer, assigned):
    _flag_first(dossier, items, assigned)
    dossier.period.explanation_deadline = datetime(2027, 2, 1, tzinfo=UTC)
    dossier.period.save()
    set_status(dossier, Status.ROUND_2)
    services.return_for_correction(
        assessment=dossier, to=Status.EXPLANATION, reason="Bổ sung", actor=body_admin
    )

    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC)):
        services.explanation_save(
            assessment=dossier, item=items[0], text="Đã bổ sung", expected_version=0, actor=unit_officer
        )


# --- council ----------------------------------------------------------------------------------------------


def _meeting(period, actor, *, approved=(), returned=None, members=(), minutes=None):
    return services.council_meeting_record(
        period=period,
        held_on=datetime(2026, 11, 20).date(),
        members=list(members),
        minutes=minutes,
        note="Họp thẩm định",
        approved_ids=list(approved),
        returned=returned or {},
        actor=actor,
    )


def test_council_approves_round_2_dossiers_and_returns_others(
    dossier, other_unit, body_admin, council_member
):
    set_status(dossier, Status.ROUND_2)
    other = set_status(submitted_assessment(unit=other_unit), Status.ROUND_2)

    meeting = _meeting(
        dossier.period,
        body_admin,
        approved=[dossier.pk],
        returned={other.pk: "Chưa đủ căn cứ"},
        members=[council_member],
        minutes=SimpleUploadedFile("Biên bản.pdf", samples.PDF),
    )

    assert _status(dossier) == Status.COUNCIL_APPROVED
    assert _status(other) == Status.ROUND_2
    assert list(meeting.members_present.all()) == [council_member]
    assert meeting.minutes.name.endswith(".pdf")
    decisions = dict(CouncilDecision.objects.values_list("assessment_id", "outcome"))
    assert decisions == {dossier.pk: "approved", other.pk: "returned"}
    assert AuditEvent.objects.filter(action="council_returned", note="Chưa đủ căn cứ").exists()


def test_council_approval_is_announced_to_the_units_officer_and_head(
    dossier, body_admin, unit_head, unit_officer, mailoutbox, django_capture_on_commit_callbacks
):
    set_status(dossier, Status.ROUND_2)

    with django_capture_on_commit_callbacks(execute=True):
        _meeting(dossier.period, body_admin, approved=[dossier.pk])

    notes = Notification.objects.filter(verb="council_approved")
    assert {n.user for n in notes} == {unit_head, unit_officer}
    assert {n.url for n in notes} == {reverse("assessment:sheet", args=[dossier.pk])}
    assert "Hội đồng thẩm định đã thông qua" in notes.first().text
    assert {m.to[0] for m in mailoutbox} == {unit_head.email, unit_officer.email}


def test_council_may_return_an_approved_dossier_to_round_2(dossier, body_admin):
    set_status(dossier, Status.COUNCIL_APPROVED)

    _meeting(dossier.period, body_admin, returned={dossier.pk: "Sai điểm 1.1.1"})

    assert _status(dossier) == Status.ROUND_2
    assert AssessmentTransition.objects.get(assessment=dossier).note.startswith("Sai điểm 1.1.1")


@pytest.mark.parametrize(
    "status", [Status.ROUND_1, Status.EXPLANATION, Status.COUNCIL_APPROVED, Status.SUBMITTED]
)
def test_council_cannot_approve_a_dossier_not_in_round_2(dossier, body_admin, status):
    set_status(dossier, status)

    with pytest.raises(AppraisalError, match="vòng 2"):
        _meeting(dossier.period, body_admin, approved=[dossier.pk])

    assert _status(dossier) == status
    assert not CouncilDecision.objects.exists()


def test_council_return_needs_a_reason(dossier, body_admin):
    set_status(dossier, Status.ROUND_2)

    with pytest.raises(AppraisalError, match="lý do"):
        _meeting(dossier.period, body_admin, returned={dossier.pk: " "})


def test_only_the_admin_records_the_council(dossier, council_member):
    set_status(dossier, Status.ROUND_2)

    with pytest.raises(AppraisalPermissionDenied):
        _meeting(dossier.period, council_member, approved=[dossier.pk])


def test_council_meeting_of_another_period_dossier_is_refused(dossier, body_admin, body):
    from tests.scoring.factories import PeriodFactory

    set_status(dossier, Status.ROUND_2)
    other_period = PeriodFactory(body=body, year=2025)

    with pytest.raises(AppraisalError, match="không thuộc kỳ"):
        _meeting(other_period, body_admin, approved=[dossier.pk])


def test_approved_dossier_is_locked_for_appraisers(dossier, items, assigned, body_admin):
    set_status(dossier, Status.ROUND_2)
    _meeting(dossier.period, body_admin, approved=[dossier.pk])

    with pytest.raises(AppraisalError):
        _save(dossier, items[0], assigned, round=2)


def test_bulk_helper_builds_both_rounds(dossier, assigned):
    appraise_all(assessment=dossier, flagged=["1.1.1"], by=assigned)
    appraise_all(assessment=dossier, round=2, points=Decimal("0.50"), by=assigned)

    assert ItemAppraisal.objects.filter(round=1).count() == 8
    assert list(ItemAppraisal.objects.filter(round=2).values_list("item__code", "points")) == [
        ("1.1.1", Decimal("0.50"))
    ]


@pytest.mark.parametrize("who", ["council_member", "viewer"])
def test_council_members_and_viewers_change_nothing(dossier, items, who, request, assigned):
    reader = request.getfixturevalue(who)
    _flag_first(dossier, items, assigned)
    attempts = {
        Status.SUBMITTED: [lambda: services.appraisal_round_start(assessment=dossier, actor=reader)],
        Status.ROUND_1: [
            lambda: _save(dossier, items[1], reader),
            lambda: services.round1_accept_self_scores(
                assessment=dossier, item_ids=[items[1].pk], actor=reader
            ),
            lambda: services.round1_flag_missing_evidence(assessment=dossier, actor=reader),
            lambda: services.round1_send(assessment=dossier, actor=reader),
            lambda: services.return_for_correction(
                assessment=dossier, to=Status.SELF_ASSESSMENT, reason="x", actor=reader
            ),
        ],
        Status.EXPLANATION: [
            lambda: services.explanation_save(
                assessment=dossier, item=items[0], text="x", expected_version=0, actor=reader
            ),
            lambda: services.explanation_submit(assessment=dossier, actor=reader),
        ],
        Status.ROUND_2: [
            lambda: _save(dossier, items[0], reader, round=2),
            lambda: _meeting(dossier.period, reader, approved=[dossier.pk]),
        ],
    }
    before = (
        ItemAppraisal.objects.count(),
        AssessmentTransition.objects.count(),
        Explanation.objects.count(),
    )
    for status, calls in attempts.items():
        set_status(dossier, status)
        for call in calls:
            with pytest.raises(AppraisalPermissionDenied):
                call()

    assert (
        ItemAppraisal.objects.count(),
        AssessmentTransition.objects.count(),
        Explanation.objects.count(),
    ) == before
