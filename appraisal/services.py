"""Writes of the appraisal: both rounds (here), the unit's explanation and the council (re-exported from their
modules: import every service from this one).

Every function is one named operation in one transaction; each refuses with an AppraisalError whose .message is
Vietnamese, for the person at the screen. Every status change goes through scoring's assessment_transition (the
one writer of .status, which checks the workflow table and the actor's roles); every other write records an
audit row here. A round's score is its own row: nothing here ever changes a row of an earlier round, nor the
unit's self-score.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.assessment_rules import lock_assessment, when_text
from scoring.assessment_services import assessment_roles
from scoring.models import (
    Assessment,
    CriteriaItem,
    Evidence,
    EvidenceStage,
    Method,
    NotApplicableItem,
    Role,
    User,
)
from scoring.notifications import notify
from scoring.workflow import Status

from .council_services import council_meeting_record, return_for_correction
from .explanation_services import explanation_evidence_upload, explanation_save, explanation_submit
from .models import ItemAppraisal
from .rules import (
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
    unit_heads,
)

__all__ = [
    "AppraisalError",
    "AppraisalPermissionDenied",
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
    roles = assessment_roles(user=actor, assessment=locked)
    if Role.BODY_ADMIN not in roles and not actor.is_superuser:
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
    return row


@transaction.atomic
def round1_accept_self_scores(
    *, assessment: Assessment, item_ids: Sequence[int], actor: User
) -> list[ItemAppraisal]:
    """Return the round-1 rows of the selected items set to the unit's own scores (comment and flag kept)."""
    locked = lock_assessment(assessment)
    require_status(locked, Status.ROUND_1)
    try:
        wanted = {int(i) for i in item_ids}
    except (TypeError, ValueError) as exc:
        raise AppraisalError(_("Tiêu chí không hợp lệ."), field="items") from exc
    if not wanted:
        raise AppraisalError(_("Hãy chọn ít nhất một tiêu chí."), field="items")
    items = list(CriteriaItem.objects.filter(pk__in=wanted, criteria_set_id=locked.criteria_set_id))
    if len(items) != len(wanted):
        raise AppraisalError(_("Tiêu chí không thuộc bộ tiêu chí của hồ sơ."), field="items")
    for item in items:
        require_appraisable(assessment=locked, item=item)
    require_appraiser(actor=actor, assessment=locked, field_codes={i.field_code for i in items})
    self_points = dict(locked.scores.filter(item__in=items).values_list("item_id", "points"))
    unscored = sorted(i.code for i in items if self_points.get(i.pk) is None)
    if unscored:
        raise AppraisalError(
            _("Đơn vị chưa tự chấm tiêu chí %(codes)s.") % {"codes": ", ".join(unscored)}, field="items"
        )
    existing = {
        r.item_id: r for r in ItemAppraisal.objects.filter(assessment=locked, round=1, item__in=items)
    }
    now = timezone.now()
    saved = []
    for item in sorted(items, key=lambda i: i.order):
        row = existing.get(item.pk) or ItemAppraisal(assessment=locked, item=item, round=1)
        before = row.points if row.pk else None
        row.points = self_points[item.pk]
        row.version += 1
        row.appraised_by = actor
        row.appraised_at = now
        row.save()
        audit(
            assessment=locked,
            actor=actor,
            action="appraisal_round1",
            obj=row,
            item_code=item.code,
            field="points",
            old=before,
            new=row.points,
            note=_("Chấp nhận điểm tự chấm"),
        )
        saved.append(row)
    return saved


@transaction.atomic
def round1_flag_missing_evidence(*, assessment: Assessment, actor: User) -> int:
    """Flag for explanation every appraisal item of the actor's scope that has no evidence; return how many."""
    locked = lock_assessment(assessment)
    require_status(locked, Status.ROUND_1)
    scope = appraiser_scope(user=actor, assessment=locked)
    if scope is not None and not scope:
        require_appraiser(actor=actor, assessment=locked, field_codes=())
    exempt = set(
        NotApplicableItem.objects.filter(item__criteria_set_id=locked.criteria_set_id)
        .filter(Q(unit__isnull=True) | Q(unit_id=locked.unit_id))
        .values_list("item_id", flat=True)
    )
    with_evidence = set(
        Evidence.objects.filter(assessment=locked, stage=EvidenceStage.SELF_ASSESSMENT).values_list(
            "items__id", flat=True
        )
    )
    items = [
        item
        for item in CriteriaItem.objects.filter(
            criteria_set_id=locked.criteria_set_id, method=Method.APPRAISAL
        )
        .scored()
        .order_by("order")
        if item.pk not in exempt
        and item.pk not in with_evidence
        and (scope is None or item.field_code in scope)
    ]
    existing = {
        r.item_id: r for r in ItemAppraisal.objects.filter(assessment=locked, round=1, item__in=items)
    }
    now = timezone.now()
    count = 0
    for item in items:
        row = existing.get(item.pk) or ItemAppraisal(assessment=locked, item=item, round=1)
        if row.needs_explanation:
            continue
        row.needs_explanation = True
        row.version += 1
        row.appraised_by = actor
        row.appraised_at = now
        row.save()
        audit(
            assessment=locked,
            actor=actor,
            action="appraisal_round1",
            obj=row,
            item_code=item.code,
            field="needs_explanation",
            old=False,
            new=True,
            note=_("Không có tài liệu kiểm chứng"),
        )
        count += 1
    return count


@transaction.atomic
def round1_send(*, assessment: Assessment, actor: User) -> Assessment:
    """Return the assessment sent to the unit for explanation; the unit head is notified."""
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
    notify(
        users=unit_heads(locked),
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
