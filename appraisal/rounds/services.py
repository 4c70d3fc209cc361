"""Writes of the appraisal: both rounds (here), the unit's explanation and the council (re-exported from their
packages, appraisal.explanation and appraisal.council: import every service from this one).

Every function is one named operation in one transaction; each refuses with an AppraisalError whose .message is
Vietnamese, for the person at the screen. Every status change goes through scoring's assessment_transition (the
one writer of .status, which checks the workflow table and the actor's roles); every other write records an
audit row here. A round's score is its own row: nothing here ever changes a row of an earlier round, nor the
unit's self-score.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.assessment.rules import lock_assessment, when_text
from scoring.audit.notifications import notify
from scoring.models import Assessment, CriteriaItem, User
from scoring.results.state import results_changed_notify
from scoring.workflow import Status

from ..access import may_start_any_round
from ..council.services import council_meeting_record, return_for_correction
from ..explanation.services import explanation_evidence_upload, explanation_save, explanation_submit
from ..models import ItemAppraisal
from ..rules import (
    ROUND_STATUS,
    AppraisalError,
    AppraisalPermissionDenied,
    VersionConflict,
    appraiser_scope,
    audit,
    check_item_points,
    clean_text,
    flagged_item_ids,
    move_assessment,
    page_url,
    require_appraisable,
    require_appraiser,
    require_status,
    unit_people,
)
from .bulk import BulkResult, HeldItem, round1_accept_self_scores, round1_flag_missing_evidence

__all__ = [
    "AppraisalError",
    "AppraisalPermissionDenied",
    "BulkResult",
    "HeldItem",
    "VersionConflict",
    "appraisal_round_start",
    "appraiser_scope",
    "council_meeting_record",
    "explanation_evidence_upload",
    "explanation_save",
    "explanation_submit",
    "item_appraisal_save",
    "return_for_correction",
    "round1_accept_self_scores",
    "round1_flag_missing_evidence",
    "round1_send",
    "round1_skip_explanation",
]


# --- round 1 and round 2 --------------------------------------------------------------------------------


@transaction.atomic
def appraisal_round_start(*, assessment: Assessment, actor: User) -> Assessment:
    """Return the submitted assessment moved to round 1, by the administrator or an assigned appraiser."""
    locked = lock_assessment(assessment)
    if not may_start_any_round(actor, locked):
        # An appraiser starts only a dossier they were assigned to.
        require_appraiser(actor=actor, assessment=locked, field_codes=())
    locked = move_assessment(assessment=locked, to=Status.ROUND_1, actor=actor)
    assessment.status = locked.status
    return locked


@transaction.atomic
def item_appraisal_save(
    *,
    assessment: Assessment,
    item: CriteriaItem,
    round: int,
    points: Decimal | None,
    comment: str,
    needs_explanation: bool,
    expected_version: int,
    actor: User,
) -> ItemAppraisal:
    """Return the item's appraised score of the round saved with a new version, after every rule is checked."""
    locked = lock_assessment(assessment)
    if round not in ROUND_STATUS:
        raise AppraisalError(_("Vòng thẩm định không hợp lệ."), field="round")
    if locked.status != ROUND_STATUS[round]:
        raise AppraisalError(
            _("Hồ sơ đang ở trạng thái «%(status)s», không chấm điểm thẩm định vòng %(round)s được.")
            % {"status": Status(locked.status).label, "round": round}
        )
    require_appraisable(assessment=locked, item=item)
    require_appraiser(actor=actor, assessment=locked, field_codes=[item.field_code])
    if round == 2 and item.pk not in flagged_item_ids(locked):
        raise AppraisalError(
            _("Tiêu chí %(code)s không yêu cầu giải trình ở vòng 1; vòng 2 chỉ chấm lại các tiêu chí đó.")
            % {"code": item.code},
            field="item",
        )
    check_item_points(item=item, points=points)
    comment = clean_text(comment, field="comment")
    # The flag asks the unit to explain; it belongs to round 1 only (round 2 comes after the explanation).
    needs_explanation = bool(needs_explanation) and round == 1

    row = (
        ItemAppraisal.objects.select_related("appraised_by")
        .filter(assessment=locked, item=item, round=round)
        .first()
    )
    stored_version = row.version if row else 0
    if expected_version != stored_version:
        raise VersionConflict(
            _(
                "Điểm thẩm định tiêu chí %(code)s vừa được %(who)s lưu lúc %(when)s. Chưa lưu điểm của bạn; "
                "hãy tải lại rồi lưu lần nữa nếu vẫn muốn thay."
            )
            % {
                "code": item.code,
                "who": str(row.appraised_by) if row and row.appraised_by else _("người khác"),
                "when": when_text(row.appraised_at) if row and row.appraised_at else "—",
            },
            current=row,
        )
    if row is None:
        row = ItemAppraisal(assessment=locked, item=item, round=round)
    old = (row.points, row.comment, row.needs_explanation)
    row.points = points
    row.comment = comment
    row.needs_explanation = needs_explanation
    row.version = stored_version + 1
    row.appraised_by = actor
    row.appraised_at = timezone.now()
    row.save()
    for name, before, after in zip(
        ("points", "comment", "needs_explanation"), old, (points, comment, needs_explanation), strict=True
    ):
        if before != after or (stored_version == 0 and name == "points"):
            audit(
                assessment=locked,
                actor=actor,
                action=f"appraisal_round{round}",
                obj=row,
                item_code=item.code,
                field=name,
                old=before if stored_version else None,
                new=after,
            )
    if old[0] != points:
        # Inside the transaction: the results recompute (in the background) only once this save commits.
        results_changed_notify(period_id=locked.period_id)
    return row


@transaction.atomic
def round1_send(*, assessment: Assessment, actor: User) -> Assessment:
    """Return the assessment sent to the unit for explanation; the unit's officers and head are notified."""
    locked = lock_assessment(assessment)
    require_status(locked, Status.ROUND_1)
    flagged = flagged_item_ids(locked)
    if not flagged:
        raise AppraisalError(
            _(
                "Không có tiêu chí nào cần giải trình. Nếu đơn vị không phải giải trình, hãy chuyển thẳng "
                "sang thẩm định vòng 2."
            )
        )
    locked = move_assessment(assessment=locked, to=Status.EXPLANATION, actor=actor)
    deadline = locked.period.explanation_deadline
    text = _(
        "Đã có kết quả thẩm định vòng 1 của %(unit)s năm %(year)s: %(count)s tiêu chí cần giải trình."
    ) % {
        "unit": locked.unit.name,
        "year": locked.period.year,
        "count": len(flagged),
    }
    if deadline is not None:
        text += " " + _("Hạn giải trình: %(deadline)s.") % {"deadline": when_text(deadline)}
    # Officers write the explanation, the head submits it: both need to know (in-app and by e-mail).
    notify(
        users=unit_people(locked),
        body=locked.period.body,
        verb="round1_sent",
        text=text,
        url=page_url("appraisal:explanation", locked.pk),
    )
    assessment.status = locked.status
    return locked


@transaction.atomic
def round1_skip_explanation(*, assessment: Assessment, actor: User) -> Assessment:
    """Return the assessment moved straight to round 2: the administrator decides nothing needs explaining."""
    locked = lock_assessment(assessment)
    require_status(locked, Status.ROUND_1)
    if flagged_item_ids(locked):
        raise AppraisalError(
            _("Còn tiêu chí được đánh dấu cần giải trình; hãy gửi kết quả vòng 1 cho đơn vị giải trình.")
        )
    locked = move_assessment(
        assessment=locked, to=Status.ROUND_2, actor=actor, note=_("Không cần giải trình")
    )
    assessment.status = locked.status
    return locked
