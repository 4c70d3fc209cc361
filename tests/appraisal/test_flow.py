"""One unit driven through the whole cycle at service level: self-assessment, both rounds, explanation, council."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal.models import CouncilDecision, ItemAppraisal
from appraisal.rounds import services
from appraisal.rounds.selectors import appraisal_sheet, final_item_points, item_history, unit_summary
from scoring.assessment.services import assessment_submit, evidence_upload, self_score_save
from scoring.models import AssessmentTransition, AuditEvent, Notification
from scoring.workflow import Status
from tests.appraisal.helpers import assign
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import appraisal_items, assessment_for


def test_one_unit_from_self_assessment_to_council_approval(
    unit, unit_officer, unit_head, appraiser, body_admin, council_member, django_capture_on_commit_callbacks
):
    assessment = assessment_for(unit=unit)
    items = appraisal_items(assessment.criteria_set)
    documented, undocumented = items[0], items[1]

    # Self-assessment: every item scored, one with evidence, the others with a reason for having none.
    evidence_upload(
        assessment=assessment,
        uploaded_file=SimpleUploadedFile("Kế hoạch CCHC.pdf", samples.PDF),
        item_ids=[documented.pk],
        actor=unit_officer,
    )
    for item in items:
        self_score_save(
            assessment=assessment,
            item=item,
            points=item.max_points,
            justification="Đã thực hiện",
            no_evidence_reason="" if item == documented else "Không phát sinh",
            expected_version=0,
            actor=unit_officer,
        )
    assessment_submit(assessment=assessment, actor=unit_head)
    assign(appraiser, unit)

    # Round 1: start, accept the documented item, flag those without evidence, lower one score.
    services.appraisal_round_start(assessment=assessment, actor=appraiser)
    services.round1_accept_self_scores(assessment=assessment, item_ids=[documented.pk], actor=appraiser)
    flagged = services.round1_flag_missing_evidence(assessment=assessment, actor=appraiser)
    assert len(flagged.saved) == len(items) - 1 and not flagged.held
    row = ItemAppraisal.objects.get(assessment=assessment, item=undocumented, round=1)
    services.item_appraisal_save(
        assessment=assessment,
        item=undocumented,
        round=1,
        points=Decimal("0.25"),
        comment="Không có văn bản chứng minh",
        needs_explanation=True,
        expected_version=row.version,
        actor=appraiser,
    )
    # The other flagged items: accepted as scored, with no further explanation needed.
    for item in items[2:]:
        current = ItemAppraisal.objects.get(assessment=assessment, item=item, round=1)
        services.item_appraisal_save(
            assessment=assessment,
            item=item,
            round=1,
            points=item.max_points,
            comment="",
            needs_explanation=False,
            expected_version=current.version,
            actor=appraiser,
        )
    assert appraisal_sheet(assessment=assessment, user=unit_head).items[1].round1 is None  # not sent yet

    with django_capture_on_commit_callbacks(execute=True):
        services.round1_send(assessment=assessment, actor=body_admin)
    assert Notification.objects.filter(user=unit_head, verb="round1_sent").exists()
    seen_by_unit = appraisal_sheet(assessment=assessment, user=unit_head).items[1]
    assert (seen_by_unit.round1.points, seen_by_unit.round1.comment) == (
        Decimal("0.25"),
        "Không có văn bản chứng minh",
    )

    # Explanation: the officer writes and attaches, the head submits.
    services.explanation_save(
        assessment=assessment,
        item=undocumented,
        text="Đơn vị đã ban hành Quyết định 12/QĐ-SNV, gửi kèm.",
        expected_version=0,
        actor=unit_officer,
    )
    services.explanation_evidence_upload(
        assessment=assessment,
        item=undocumented,
        uploaded_file=SimpleUploadedFile("QĐ 12.pdf", samples.PDF),
        actor=unit_officer,
    )
    services.explanation_submit(assessment=assessment, actor=unit_head)
    assert Notification.objects.filter(user=appraiser, verb="explanation_submitted").exists()

    # Round 2: only the flagged item is re-scored.
    services.item_appraisal_save(
        assessment=assessment,
        item=undocumented,
        round=2,
        points=Decimal("1.00"),
        comment="Đã bổ sung đủ",
        needs_explanation=False,
        expected_version=0,
        actor=appraiser,
    )

    # Council: approved.
    services.council_meeting_record(
        period=assessment.period,
        held_on=date(2026, 11, 20),
        members=[council_member],
        minutes=SimpleUploadedFile("Biên bản.pdf", samples.PDF),
        note="",
        approved_ids=[assessment.pk],
        returned={},
        actor=body_admin,
    )

    assessment.refresh_from_db()
    assert assessment.status == Status.COUNCIL_APPROVED
    assert list(
        AssessmentTransition.objects.filter(assessment=assessment).values_list("to_status", flat=True)
    ) == [
        Status.SUBMITTED,
        Status.ROUND_1,
        Status.EXPLANATION,
        Status.ROUND_2,
        Status.COUNCIL_APPROVED,
    ]
    assert CouncilDecision.objects.get().outcome == "approved"

    history = item_history(assessment=assessment, item=undocumented)
    assert (history.self_points, history.round1.points, history.round2.points, history.final) == (
        Decimal("1.00"),
        Decimal("0.25"),
        Decimal("1.00"),
        Decimal("1.00"),
    )
    assert [e.original_name for e in history.explanation_evidence] == ["QĐ 12.pdf"]
    assert final_item_points(assessment_ids=[assessment.pk])[assessment.pk] == {
        i.pk: i.max_points for i in items
    }
    assert all(f.final_points == f.self_points for f in unit_summary(assessment=assessment))

    # Every step left its trace: status moves, scores, the explanation and its evidence, the council.
    actions = set(AuditEvent.objects.filter(body=unit.body).values_list("action", flat=True))
    assert {
        "assessment_transition",
        "appraisal_round1",
        "appraisal_round2",
        "explanation",
        "explanation_evidence",
        "council_meeting",
    } <= actions
    assert AuditEvent.objects.filter(item_code=undocumented.code, field="points", new_value="0.25").exists()

    # After approval nobody changes a score except through a recorded return.
    for round_number in (1, 2):
        with pytest.raises(services.AppraisalError):
            services.item_appraisal_save(
                assessment=assessment,
                item=undocumented,
                round=round_number,
                points=Decimal("0"),
                comment="",
                needs_explanation=False,
                expected_version=1,
                actor=appraiser,
            )
