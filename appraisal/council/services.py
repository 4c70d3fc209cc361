"""Returns for correction and the council's decisions: the moves that send a dossier back or lock it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.assessment.rules import lock_assessment
from scoring.audit.notifications import notify
from scoring.audit.services import audit_record
from scoring.models import Assessment, Period, User
from scoring.results.state import results_changed_notify
from scoring.workflow import REASON_REQUIRED, Status

from ..access import may_record_council, may_reopen, may_sit_on_council
from ..models import CouncilDecision, CouncilMeeting, Outcome
from ..rules import (
    AppraisalError,
    AppraisalPermissionDenied,
    audit,
    checked_file,
    clean_text,
    delete_stored,
    move_assessment,
    page_url,
    unit_people,
)
from .selectors import flagged_items

# --- returns and the council ----------------------------------------------------------------------------


@transaction.atomic
def return_for_correction(*, assessment: Assessment, to: str, reason: str, actor: User) -> Assessment:
    """Return the assessment sent back (round 1 → unit, round 2 → explanation, approved → round 2), with a reason."""
    locked = lock_assessment(assessment)
    if locked.status == Status.PUBLISHED:
        # A published result is reopened only by the council's recorded decision (assessment_reopen).
        raise AppraisalError(
            _("Hồ sơ đã công bố chỉ được mở lại bằng quyết định của Hội đồng thẩm định (có lý do)."),
            field="to",
        )
    if (locked.status, to) not in REASON_REQUIRED:
        raise AppraisalError(
            _("Hồ sơ đang ở trạng thái «%(status)s», không trả lại về «%(target)s» được.")
            % {
                "status": Status(locked.status).label,
                "target": Status(to).label if to in Status.values else to,
            },
            field="to",
        )
    locked = move_assessment(assessment=locked, to=to, actor=actor, reason=reason)
    if to in (Status.SELF_ASSESSMENT, Status.EXPLANATION):
        notify(
            users=unit_people(locked),
            body=locked.period.body,
            verb="returned_for_correction",
            text=_("Hồ sơ %(unit)s năm %(year)s được trả lại để sửa (%(target)s). Lý do: %(reason)s")
            % {
                "unit": locked.unit.name,
                "year": locked.period.year,
                "target": Status(to).label,
                "reason": reason.strip(),
            },
            url=page_url(
                "assessment:sheet" if to == Status.SELF_ASSESSMENT else "appraisal:explanation", locked.pk
            ),
        )
    assessment.status = locked.status
    return locked


@transaction.atomic
def council_meeting_record(
    *,
    period: Period,
    held_on: date,
    members: Iterable[User],
    minutes: IO[bytes] | Any | None,
    note: str,
    approved_ids: Iterable[int],
    returned: Mapping[int, str],
    actor: User,
    approval_reasons: Mapping[int, str] | None = None,
) -> CouncilMeeting:
    """Return the council meeting recorded with its decisions: approved dossiers locked, returned ones to round 2.

    Only dossiers in round 2 may be approved. A dossier returned may be in round 2 (it stays there, the
    decision says why) or already approved (it goes back to round 2). Every returned dossier needs a reason.
    Approving a dossier with flagged items still unresolved (not re-appraised in round 2, or not explained)
    needs a reason too (approval_reasons: assessment id → reason), kept on the decision and in the audit.
    """
    body = period.body
    if not may_record_council(actor, body):
        raise AppraisalPermissionDenied(
            _("Chỉ quản trị của cơ quan đánh giá mới ghi nhận cuộc họp hội đồng.")
        )
    approved = {int(pk) for pk in approved_ids}
    returns = {int(pk): (reason or "").strip() for pk, reason in returned.items()}
    if not approved and not returns:
        raise AppraisalError(_("Chưa có kết luận nào: hãy thông qua hoặc trả lại ít nhất một đơn vị."))
    both = approved & set(returns)
    if both:
        raise AppraisalError(_("Một đơn vị không thể vừa được thông qua vừa bị trả lại."))
    if any(not reason for reason in returns.values()):
        raise AppraisalError(_("Phải nêu lý do cho mỗi đơn vị bị trả lại."), field="reason")
    for reason in returns.values():
        clean_text(reason, field="reason")
    if held_on > timezone.localdate():
        raise AppraisalError(_("Ngày họp không được sau ngày hôm nay."), field="held_on")
    members = list(members)
    strangers = [m for m in members if not may_sit_on_council(m, body)]
    if strangers:
        raise AppraisalError(_("Thành viên dự họp phải thuộc cơ quan đánh giá."), field="members")
    assessments = {
        a.pk: a
        for a in Assessment.objects.select_for_update(of=("self",))
        .select_related("unit", "period", "period__body")
        .filter(pk__in=approved | set(returns), period=period)
    }
    if len(assessments) != len(approved | set(returns)):
        raise AppraisalError(_("Có hồ sơ không thuộc kỳ đánh giá này."))
    not_ready = sorted(
        assessments[pk].unit.name for pk in approved if assessments[pk].status != Status.ROUND_2
    )
    if not_ready:
        raise AppraisalError(
            _("Chỉ thông qua được hồ sơ đã thẩm định vòng 2: %(units)s.") % {"units": ", ".join(not_ready)}
        )
    wrong = sorted(
        assessments[pk].unit.name
        for pk in returns
        if assessments[pk].status not in (Status.ROUND_2, Status.COUNCIL_APPROVED)
    )
    if wrong:
        raise AppraisalError(
            _("Chỉ trả lại được hồ sơ đang thẩm định vòng 2 hoặc đã được thông qua: %(units)s.")
            % {"units": ", ".join(wrong)}
        )
    note = clean_text(note, field="note")
    approval_reasons = {
        int(pk): clean_text(r or "", field="reason").strip() for pk, r in (approval_reasons or {}).items()
    }
    unresolved = {
        pk: codes for pk, (_n, codes) in flagged_items(assessment_ids=sorted(approved)).items() if codes
    }
    unexplained = sorted(
        _("%(unit)s (%(count)d tiêu chí: %(codes)s)")
        % {"unit": assessments[pk].unit.name, "count": len(codes), "codes": ", ".join(codes)}
        for pk, codes in unresolved.items()
        if not approval_reasons.get(pk)
    )
    if unexplained:
        raise AppraisalError(
            _(
                "Đơn vị còn tiêu chí cần giải trình chưa được giải quyết (chưa thẩm định lại ở vòng 2 hoặc chưa có "
                "giải trình); muốn thông qua phải nêu lý do: %(units)s."
            )
            % {"units": "; ".join(unexplained)},
            field="approval_reason",
        )

    meeting = CouncilMeeting(period=period, held_on=held_on, note=note, recorded_by=actor)
    stored_name = ""
    try:
        if minutes:
            checked = checked_file(minutes)
            content = minutes if isinstance(minutes, File) else File(minutes)
            content.seek(0)
            meeting.minutes.save(checked.display_name, content, save=False)
            stored_name = meeting.minutes.name
        meeting.save()
        meeting.members_present.set(members)
        audit_record(
            body=body,
            actor=actor,
            action="council_meeting",
            obj=meeting,
            field="held_on",
            new=held_on,
            note=note,
        )
        for pk in sorted(approved):
            assessment = assessments[pk]
            # The reason is kept only where the rule asked for it: approval despite unresolved flagged items.
            reason = approval_reasons.get(pk, "") if pk in unresolved else ""
            CouncilDecision.objects.create(
                meeting=meeting, assessment=assessment, outcome=Outcome.APPROVED, reason=reason
            )
            move_assessment(assessment=assessment, to=Status.COUNCIL_APPROVED, actor=actor, note=str(meeting))
            # The unit's officers and head follow their dossier to the end; they hear of the approval here.
            notify(
                users=unit_people(assessment),
                body=body,
                verb="council_approved",
                text=_(
                    "Hội đồng thẩm định đã thông qua kết quả đánh giá năm %(year)s của %(unit)s "
                    "(phiên họp ngày %(date)s)."
                )
                % {
                    "year": period.year,
                    "unit": assessment.unit.name,
                    "date": held_on.strftime("%d/%m/%Y"),
                },
                url=page_url("assessment:sheet", assessment.pk),
            )
            if reason:
                audit(
                    assessment=assessment,
                    actor=actor,
                    action="council_approved_unresolved",
                    obj=assessment,
                    field="status",
                    old=Status.ROUND_2,
                    new=Status.COUNCIL_APPROVED,
                    note=_(
                        "Thông qua dù còn %(count)d tiêu chí chưa giải quyết (%(codes)s). Lý do: %(reason)s"
                    )
                    % {"count": len(unresolved[pk]), "codes": ", ".join(unresolved[pk]), "reason": reason},
                )
        for pk, reason in sorted(returns.items()):
            assessment = assessments[pk]
            CouncilDecision.objects.create(
                meeting=meeting, assessment=assessment, outcome=Outcome.RETURNED, reason=reason
            )
            if assessment.status == Status.COUNCIL_APPROVED:
                move_assessment(
                    assessment=assessment, to=Status.ROUND_2, actor=actor, reason=reason, note=str(meeting)
                )
            else:
                audit(
                    assessment=assessment,
                    actor=actor,
                    action="council_returned",
                    obj=assessment,
                    field="status",
                    old=assessment.status,
                    new=assessment.status,
                    note=reason,
                )
    except BaseException:
        if stored_name:
            delete_stored(meeting, stored_name)
        raise
    # Approved units move up a stage in the staff rankings (approved vs appraised): the live results follow.
    results_changed_notify(period_id=period.pk)
    return meeting


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, reason: str, actor: User) -> Assessment:
    """Return the published assessment reopened to round 2 by the council's decision, recorded with its reason.

    The body administrator records the council's reopening (as every council decision). The published figures
    are not touched: the rows and snapshot of the decision in force stay what every page shows until an amending
    decision (reports.publication.services.period_publish_amendment) publishes the corrected result.
    """
    if not may_reopen(actor, assessment):
        raise AppraisalPermissionDenied(
            _("Chỉ quản trị của cơ quan đánh giá mới ghi nhận việc Hội đồng mở lại hồ sơ đã công bố.")
        )
    locked = lock_assessment(assessment)
    if locked.status != Status.PUBLISHED:
        raise AppraisalError(
            _("Chỉ mở lại được hồ sơ đã công bố; hồ sơ đang ở trạng thái «%(status)s».")
            % {"status": Status(locked.status).label}
        )
    reason = clean_text(reason, field="reason").strip()
    if not reason:
        raise AppraisalError(_("Hãy ghi lý do Hội đồng mở lại hồ sơ."), field="reason")
    locked = move_assessment(
        assessment=locked, to=Status.ROUND_2, actor=actor, reason=reason, note=_("Hội đồng mở lại hồ sơ")
    )
    audit(
        assessment=locked,
        actor=actor,
        action="council_reopened",
        obj=locked,
        field="status",
        old=Status.PUBLISHED,
        new=Status.ROUND_2,
        note=reason,
    )
    # The unit's inputs are editable again in round 2: the live results must follow them.
    results_changed_notify(period_id=locked.period_id)
    notify(
        users=unit_people(locked),
        body=locked.period.body,
        verb="council_reopened",
        text=_(
            "Hội đồng thẩm định mở lại hồ sơ %(unit)s năm %(year)s để thẩm định lại. Lý do: %(reason)s. Kết quả "
            "đã công bố giữ nguyên cho đến khi có quyết định sửa đổi."
        )
        % {"unit": locked.unit.name, "year": locked.period.year, "reason": reason},
        url=page_url("appraisal:sheet", locked.pk),
    )
    assessment.status = locked.status
    return locked
