"""Writes of the self-assessment: scores, submission, withdrawal, deadline extensions (and evidence, re-exported).

Every function is one named operation in one transaction. Each refuses with an AssessmentError whose
.message is Vietnamese, for the person at the screen: the server decides, whatever the page sent.
The checks themselves are in assessment/rules.py; the evidence operations in evidence/services.py, and
both are importable from here, the one module the pages and the API call.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scoring.access import body_admin_assignments, may_grant_extension, roles_for_assessment
from scoring.assessment.rules import (
    AssessmentError,
    PermissionDenied,
    SubmissionBlocked,
    VersionConflict,
    check_points,
    check_text,
    lock_assessment,
    not_applicable_reason,
    require_editable,
    require_editor,
    require_head,
    require_in_time,
    require_period_open,
    require_scored_leaf,
    touch_activity,
    when_text,
)
from scoring.assessment.selectors import (
    SubmissionProblem,
    assessment_deadline,
    assessment_submission_problems,
)
from scoring.audit.services import audit_record
from scoring.evidence.services import evidence_delete, evidence_link, evidence_unlink, evidence_upload
from scoring.formatting import format_number
from scoring.models import (
    Assessment,
    AssessmentTransition,
    CriteriaItem,
    CriteriaSet,
    DeadlineExtension,
    Method,
    Period,
    SelfScore,
    Unit,
    User,
)
from scoring.results.state import results_changed_notify
from scoring.workflow import (
    EDITABLE_STATUSES,
    REASON_REQUIRED,
    TRANSITIONS,
    Status,
    TransitionError,
    check_transition,
)

logger = logging.getLogger(__name__)

__all__ = [
    "AssessmentError",
    "PermissionDenied",
    "SubmissionBlocked",
    "SubmissionProblem",
    "VersionConflict",
    "assessment_can_edit",
    "assessment_get_or_create",
    "assessment_roles",
    "assessment_submit",
    "assessment_transition",
    "assessment_withdraw",
    "deadline_extension_grant",
    "evidence_delete",
    "evidence_link",
    "evidence_unlink",
    "evidence_upload",
    "self_score_save",
    "submission_problems",
]


# --- the assessment ------------------------------------------------------------------------------------


@transaction.atomic
def assessment_get_or_create(*, period: Period, unit: Unit) -> Assessment:
    """Return the unit's assessment for the period, opening it on the criteria set of the unit's group."""
    if unit.body_id != period.body_id:
        raise AssessmentError(_("Đơn vị không thuộc cơ quan đánh giá của kỳ này."))
    require_period_open(period)
    existing = Assessment.objects.filter(period=period, unit=unit).first()
    if existing is not None:
        return existing
    criteria_set = CriteriaSet.objects.filter(period=period, unit_group_id=unit.group_id).first()
    if criteria_set is None:
        raise AssessmentError(
            _("Nhóm «%(group)s» chưa có bộ tiêu chí năm %(year)s.")
            % {"group": unit.group.name, "year": period.year}
        )
    try:
        # Two officers opening the page at once: the second insert loses the race and reads the first.
        with transaction.atomic():
            return Assessment.objects.create(period=period, unit=unit, criteria_set=criteria_set)
    except IntegrityError:
        return Assessment.objects.get(period=period, unit=unit)


def assessment_can_edit(*, assessment: Assessment, now: datetime | None = None) -> bool:
    """Return whether the assessment's status allows edits and its deadline (with extensions) has not passed."""
    if assessment.status not in EDITABLE_STATUSES:
        return False
    deadline = assessment_deadline(assessment=assessment)
    return deadline is None or (now or timezone.now()) <= deadline


def assessment_roles(*, user: User | None, assessment: Assessment) -> frozenset[str]:
    """Return the role codes the user holds for the assessment: body-wide ones and those of its unit."""
    return roles_for_assessment(user, assessment)


@transaction.atomic
def assessment_transition(
    *,
    assessment: Assessment,
    to: str,
    actor: User | None,
    note: str = "",
    reason: str = "",
    check_roles: bool = False,
) -> Assessment:
    """Return the assessment moved to status `to`, with the move recorded; the only writer of .status.

    With check_roles the actor must hold a role the workflow allows for the move (TRANSITION_ROLES), read from
    their role assignments in the unit's body. A move back (REASON_REQUIRED) must carry a reason; it is kept
    in the transition's note, ahead of any note.
    """
    locked = lock_assessment(assessment)
    if to not in Status.values:
        raise AssessmentError(_("Trạng thái không hợp lệ."))
    roles = assessment_roles(user=actor, assessment=locked) if check_roles else None
    try:
        check_transition(locked.status, to, roles)
    except TransitionError as exc:
        # A move the table has but the actor's roles do not: a refusal of the person, not of the move.
        if roles is not None and to in TRANSITIONS.get(locked.status, frozenset()):
            raise PermissionDenied(str(exc)) from exc
        raise AssessmentError(str(exc)) from exc
    from_status = locked.status
    reason = check_text(reason, field="reason")
    if (from_status, to) in REASON_REQUIRED and not reason:
        raise AssessmentError(_("Hãy ghi lý do trả lại hồ sơ."), field="reason")
    note = "\n".join(part for part in (reason, note) if part)
    locked.status = to
    locked.save(update_fields=["status"])
    transition = AssessmentTransition.objects.create(
        assessment=locked, from_status=from_status, to_status=to, actor=actor, note=note
    )
    audit_record(
        body=locked.period.body,
        actor=actor,
        action="assessment_transition",
        obj=locked,
        unit=locked.unit,
        field="status",
        old=from_status,
        new=to,
        note=note,
    )
    assessment.status = to
    # Every move changes which results are live and how they are labelled (self-score, appraised, approved).
    results_changed_notify(period_id=locked.period_id)
    if to == Status.SUBMITTED:
        transaction.on_commit(partial(_notify_body_admins, transition_id=transition.pk, template="submitted"))
    elif from_status == Status.SUBMITTED and to == Status.SELF_ASSESSMENT:
        transaction.on_commit(partial(_notify_body_admins, transition_id=transition.pk, template="withdrawn"))
    logger.info("assessment %s: %s -> %s by %s", locked.pk, from_status, to, actor)
    return locked


def _sheet_url(assessment_id: int) -> str:
    try:
        path = reverse("assessment:sheet", kwargs={"pk": assessment_id})
    except NoReverseMatch:
        return ""
    return getattr(settings, "SITE_URL", "") + path


def _notify_body_admins(*, transition_id: int, template: str) -> None:
    """E-mail the body's administrators that a unit submitted or withdrew its self-assessment."""
    transition = (
        AssessmentTransition.objects.select_related("assessment__unit", "assessment__period__body", "actor")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return
    assessment = transition.assessment
    body = assessment.period.body
    recipients = sorted(
        set(body_admin_assignments(body).exclude(user__email="").values_list("user__email", flat=True))
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "unit_name": assessment.unit.name,
            "year": assessment.period.year,
            "actor_name": str(transition.actor) if transition.actor else "",
            "at_text": when_text(transition.created_at),
            "note": transition.note,
            "sheet_url": _sheet_url(assessment.pk),
            "sender_name": body.administrator_name or body.name,
        }
        subject = render_to_string(f"emails/assessment_{template}_subject.txt", context)
        body_text = render_to_string(f"emails/assessment_{template}_body.txt", context)
    try:
        # A header cannot hold a line break; the template's trailing newline would break the mail.
        send_mail(" ".join(subject.split()), body_text, None, recipients)
    except Exception:  # the submission is committed; a mail server down must not turn it into an error page
        logger.exception("could not e-mail the %s notice of assessment %s", template, assessment.pk)


# --- scores ---------------------------------------------------------------------------------------------


@transaction.atomic
def self_score_save(
    *,
    assessment: Assessment,
    item: CriteriaItem,
    points: Decimal | None,
    justification: str,
    no_evidence_reason: str,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> SelfScore:
    """Return the item's self-score saved with a new version, after every rule of the issue is checked."""
    now = now or timezone.now()
    require_editor(actor=actor, assessment=assessment)
    locked = lock_assessment(assessment)
    require_editable(assessment=locked, now=now)
    require_scored_leaf(assessment=locked, item=item)
    if item.method == Method.SURVEY:
        raise AssessmentError(
            _("Tiêu chí %(code)s được chấm qua điều tra xã hội học; đơn vị không tự chấm.")
            % {"code": item.code},
            field="points",
        )
    reason = not_applicable_reason(item=item, unit_id=locked.unit_id)
    if reason is not None:
        raise AssessmentError(
            _("Tiêu chí %(code)s không đánh giá đối với đơn vị (lý do: %(reason)s).")
            % {"code": item.code, "reason": reason or _("không ghi")},
            field="points",
        )
    check_points(item=item, points=points)
    justification = check_text(justification, field="justification")
    no_evidence_reason = check_text(no_evidence_reason, field="no_evidence_reason")

    # No row lock needed: the assessment lock above already serialises every save of this dossier.
    row = SelfScore.objects.select_related("updated_by").filter(assessment=locked, item=item).first()
    stored_version = row.version if row else 0
    if expected_version != stored_version:
        raise VersionConflict(_conflict_message(item=item, current=row, typed=points), current=row)
    if row is None:
        row = SelfScore(assessment=locked, item=item)
    before = {
        "points": row.points,
        "justification": row.justification,
        "no_evidence_reason": row.no_evidence_reason,
    }
    row.points = points
    row.justification = justification
    row.no_evidence_reason = no_evidence_reason
    row.version = stored_version + 1
    row.updated_by = actor
    row.save()
    _audit_self_score(locked=locked, row=row, before=before, actor=actor)
    touch_activity(locked=locked, assessment=assessment, now=now)
    return row


def _audit_self_score(*, locked: Assessment, row: SelfScore, before: dict[str, object], actor: User) -> None:
    """Record one audit row per field the save changed (a save that changed nothing records nothing)."""
    for field, old in before.items():
        new = getattr(row, field)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        audit_record(
            body=locked.period.body,
            actor=actor,
            action="self_score_save",
            obj=row,
            unit=locked.unit,
            item_code=row.item.code,
            field=field,
            old=old,
            new=new,
        )


def _conflict_message(*, item: CriteriaItem, current: SelfScore | None, typed: Decimal | None) -> str:
    if current is None:
        return _("Tiêu chí %(code)s đã thay đổi từ lúc mở trang. Hãy tải lại trang rồi chấm lại.") % {
            "code": item.code
        }
    return _(
        "Tiêu chí %(code)s vừa được %(who)s lưu lúc %(when)s với điểm %(theirs)s. Điểm bạn nhập: %(yours)s. "
        "Chưa lưu điểm của bạn; hãy xem lại rồi lưu lần nữa nếu vẫn muốn thay."
    ) % {
        "code": item.code,
        "who": str(current.updated_by) if current.updated_by else _("người khác"),
        "when": when_text(current.updated_at),
        "theirs": format_number(current.points) or _("(chưa chấm)"),
        "yours": format_number(typed) or _("(để trống)"),
    }


# --- submission and deadline ------------------------------------------------------------------------------


def submission_problems(*, assessment: Assessment) -> list[SubmissionProblem]:
    """Return what stops the submission: unscored applicable items, items lacking evidence or a reason."""
    return assessment_submission_problems(assessment=assessment)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor: User, now: datetime | None = None) -> Assessment:
    """Return the assessment submitted by the unit head; editing is locked from then on."""
    now = now or timezone.now()
    require_head(actor=actor, assessment=assessment)
    locked = lock_assessment(assessment)
    require_period_open(locked.period)
    if locked.status != Status.SELF_ASSESSMENT:
        raise AssessmentError(
            _("Hồ sơ đang ở trạng thái «%(status)s», không thể gửi.")
            % {"status": Status(locked.status).label}
        )
    require_in_time(assessment=locked, now=now)
    problems = submission_problems(assessment=locked)
    if problems:
        codes = sorted({p.item_code for p in problems}, key=_code_key)
        shown = ", ".join(codes[:10]) + ("…" if len(codes) > 10 else "")
        raise SubmissionBlocked(
            _("Chưa thể gửi hồ sơ: %(count)s tiêu chí còn thiếu điểm hoặc tài liệu kiểm chứng (%(codes)s).")
            % {"count": len(codes), "codes": shown},
            problems=problems,
        )
    locked = assessment_transition(assessment=locked, to=Status.SUBMITTED, actor=actor)
    locked.submitted_at = now
    locked.submitted_by = actor
    locked.last_activity_at = now
    locked.save(update_fields=["submitted_at", "submitted_by", "last_activity_at"])
    for name in ("status", "submitted_at", "submitted_by", "last_activity_at"):
        setattr(assessment, name, getattr(locked, name))
    return locked


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdecimal() else 0 for part in code.split("."))


@transaction.atomic
def assessment_withdraw(
    *, assessment: Assessment, actor: User, note: str = "", now: datetime | None = None
) -> Assessment:
    """Return the assessment withdrawn to self-assessment by the unit head, before appraisal and deadline."""
    now = now or timezone.now()
    require_head(actor=actor, assessment=assessment)
    locked = lock_assessment(assessment)
    if locked.status != Status.SUBMITTED:
        raise AssessmentError(_("Chỉ rút lại được hồ sơ đã gửi và chưa bắt đầu thẩm định."))
    require_in_time(assessment=locked, now=now)
    locked = assessment_transition(
        assessment=locked, to=Status.SELF_ASSESSMENT, actor=actor, note=check_text(note, field="note")
    )
    locked.submitted_at = None
    locked.submitted_by = None
    locked.last_activity_at = now
    locked.save(update_fields=["submitted_at", "submitted_by", "last_activity_at"])
    for name in ("status", "submitted_at", "submitted_by", "last_activity_at"):
        setattr(assessment, name, getattr(locked, name))
    return locked


@transaction.atomic
def deadline_extension_grant(
    *,
    assessment: Assessment,
    new_deadline: datetime,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> DeadlineExtension:
    """Return the extension granted by the body administrator to one unit, recorded with its reason."""
    now = now or timezone.now()
    locked = lock_assessment(assessment)
    if not may_grant_extension(actor, locked):
        raise PermissionDenied(_("Chỉ quản trị của cơ quan đánh giá mới được gia hạn."))
    reason = check_text(reason, field="reason")
    if not reason:
        raise AssessmentError(_("Hãy ghi lý do gia hạn."), field="reason")
    if locked.status not in (Status.SELF_ASSESSMENT, Status.SUBMITTED):
        raise AssessmentError(_("Hồ sơ đã vào thẩm định, không gia hạn tự đánh giá được nữa."))
    if timezone.is_naive(new_deadline):
        new_deadline = timezone.make_aware(new_deadline)
    current = assessment_deadline(assessment=locked)
    if current is None:
        raise AssessmentError(_("Kỳ đánh giá chưa đặt hạn tự đánh giá nên không cần gia hạn."))
    if new_deadline <= now:
        raise AssessmentError(_("Hạn mới phải sau thời điểm hiện tại."), field="new_deadline")
    if new_deadline <= current:
        raise AssessmentError(
            _("Hạn mới phải sau hạn đang áp dụng (%(deadline)s).") % {"deadline": when_text(current)},
            field="new_deadline",
        )
    extension = DeadlineExtension.objects.create(
        assessment=locked, new_deadline=new_deadline, reason=reason, granted_by=actor
    )
    audit_record(
        body=locked.period.body,
        actor=actor,
        action="deadline_extension_grant",
        obj=extension,
        unit=locked.unit,
        field="deadline",
        old=current,
        new=new_deadline,
        note=reason,
    )
    logger.info("assessment %s: deadline extended to %s by %s", locked.pk, new_deadline.isoformat(), actor)
    return extension
