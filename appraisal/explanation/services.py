"""The unit's explanation of the items flagged in round 1: texts, supplementary evidence, submission."""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.assessment.rules import lock_assessment, when_text
from scoring.audit.notifications import notify
from scoring.models import Assessment, AssessmentTransition, CriteriaItem, Evidence, EvidenceStage, User
from scoring.workflow import Status

from ..access import may_close_explanation, may_explain, may_submit_explanation
from ..models import Explanation
from ..rules import (
    AppraisalError,
    AppraisalPermissionDenied,
    VersionConflict,
    audit,
    checked_file,
    delete_stored,
    flagged_item_ids,
    move_assessment,
    page_url,
    require_status,
)

# --- explanation ----------------------------------------------------------------------------------------


def _require_unit_editor(*, actor: User, assessment: Assessment) -> None:
    if not may_explain(actor, assessment):
        raise AppraisalPermissionDenied(_("Chỉ cán bộ và thủ trưởng của đơn vị mới được giải trình."))


def _explanation_deadline(assessment: Assessment) -> datetime | None:
    """Return the explanation deadline in force; a dossier returned from round 2 for correction has none.

    The period's deadline is for the first explanation; a return for correction comes later, and asks for it.
    """
    last_in = (
        AssessmentTransition.objects.filter(assessment=assessment, to_status=Status.EXPLANATION)
        .order_by("-created_at", "-pk")
        .values_list("from_status", flat=True)
        .first()
    )
    if last_in == Status.ROUND_2:
        return None
    return assessment.period.explanation_deadline


def _require_explanation_open(*, assessment: Assessment, now: datetime) -> None:
    require_status(assessment, Status.EXPLANATION)
    deadline = _explanation_deadline(assessment)
    if deadline is not None and now > deadline:
        raise AppraisalError(_("Đã quá hạn giải trình (%(deadline)s).") % {"deadline": when_text(deadline)})


def _require_flagged(*, assessment: Assessment, item: CriteriaItem) -> None:
    if item.criteria_set_id != assessment.criteria_set_id or item.pk not in flagged_item_ids(assessment):
        raise AppraisalError(
            _("Tiêu chí %(code)s không được yêu cầu giải trình.") % {"code": item.code}, field="item"
        )


@transaction.atomic
def explanation_save(
    *,
    assessment: Assessment,
    item: CriteriaItem,
    text: str,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Explanation:
    """Return the unit's explanation of a flagged item saved with a new version, before the deadline."""
    now = now or timezone.now()
    _require_unit_editor(actor=actor, assessment=assessment)
    locked = lock_assessment(assessment)
    _require_explanation_open(assessment=locked, now=now)
    _require_flagged(assessment=locked, item=item)
    text = (text or "").strip()
    limit = settings.EXPLANATION_MAX_LENGTH
    if len(text) > limit:
        raise AppraisalError(
            _("Nội dung giải trình quá dài: %(length)s ký tự (tối đa %(max)s ký tự).")
            % {"length": f"{len(text):,}".replace(",", "."), "max": f"{limit:,}".replace(",", ".")},
            field="text",
        )
    row = Explanation.objects.select_related("updated_by").filter(assessment=locked, item=item).first()
    stored_version = row.version if row else 0
    if expected_version != stored_version:
        raise VersionConflict(
            _(
                "Giải trình tiêu chí %(code)s vừa được %(who)s lưu lúc %(when)s. Hãy tải lại trang rồi sửa tiếp."
            )
            % {
                "code": item.code,
                "who": str(row.updated_by) if row and row.updated_by else _("người khác"),
                "when": when_text(row.updated_at) if row else "—",
            },
            current=row,
        )
    if row is None:
        row = Explanation(assessment=locked, item=item)
    before = row.text
    row.text = text
    row.version = stored_version + 1
    row.updated_by = actor
    row.save()
    if before != text:
        audit(
            assessment=locked,
            actor=actor,
            action="explanation",
            obj=row,
            item_code=item.code,
            field="text",
            old=before,
            new=text,
        )
    return row


@transaction.atomic
def explanation_evidence_upload(
    *,
    assessment: Assessment,
    item: CriteriaItem,
    uploaded_file: IO[bytes] | Any,
    actor: User,
    now: datetime | None = None,
) -> Evidence:
    """Return supplementary evidence of a flagged item, checked as self-assessment evidence is; nothing on failure."""
    now = now or timezone.now()
    _require_unit_editor(actor=actor, assessment=assessment)
    locked = lock_assessment(assessment)
    _require_explanation_open(assessment=locked, now=now)
    _require_flagged(assessment=locked, item=item)
    checked = checked_file(uploaded_file)
    evidence = Evidence(
        assessment=locked,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        stage=EvidenceStage.EXPLANATION,
    )
    content = uploaded_file if isinstance(uploaded_file, File) else File(uploaded_file)
    content.seek(0)
    stored_name = ""
    try:
        evidence.file.save(checked.display_name, content, save=False)
        stored_name = evidence.file.name
        evidence.save()
        evidence.items.set([item])
        audit(
            assessment=locked,
            actor=actor,
            action="explanation_evidence",
            obj=evidence,
            item_code=item.code,
            field="evidence",
            new=evidence.original_name,
        )
    except BaseException:
        # The database rolls back by itself; the file written to storage does not.
        if stored_name:
            delete_stored(evidence, stored_name)
        raise
    return evidence


@transaction.atomic
def explanation_submit(*, assessment: Assessment, actor: User, now: datetime | None = None) -> Assessment:
    """Return the assessment moved to round 2 with the unit's explanation; the assigned appraisers are notified.

    The unit head submits before the deadline; the administrator may close the explanation at any time.
    """
    now = now or timezone.now()
    locked = lock_assessment(assessment)
    require_status(locked, Status.EXPLANATION)
    if not may_close_explanation(actor, locked):
        if not may_submit_explanation(actor, locked):
            raise AppraisalPermissionDenied(_("Chỉ thủ trưởng đơn vị mới được gửi giải trình."))
        _require_explanation_open(assessment=locked, now=now)
    locked = move_assessment(assessment=locked, to=Status.ROUND_2, actor=actor)
    notify(
        users=_assigned_appraisers(locked),
        body=locked.period.body,
        verb="explanation_submitted",
        text=_("%(unit)s đã gửi giải trình kết quả thẩm định vòng 1 năm %(year)s.")
        % {"unit": locked.unit.name, "year": locked.period.year},
        url=page_url("appraisal:sheet", locked.pk),
    )
    assessment.status = locked.status
    return locked


def _assigned_appraisers(assessment: Assessment) -> list[User]:
    """Return the appraisers assigned to the unit, or to a field holding an item flagged for explanation."""
    flagged_fields = {
        item.field_code
        for item in CriteriaItem.objects.filter(pk__in=flagged_item_ids(assessment)).only("code")
    }
    return list(
        User.objects.filter(
            Q(appraiser_assignments__unit_id=assessment.unit_id)
            | Q(
                appraiser_assignments__unit__isnull=True, appraiser_assignments__field_code__in=flagged_fields
            ),
            appraiser_assignments__period_id=assessment.period_id,
        ).distinct()
    )
