"""The checks and errors every appraisal write shares; the service modules use them, views do not."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from scoring.assessment.rules import (
    AssessmentError,
    check_points,
    check_text,
    not_applicable_reason,
    require_scored_leaf,
)
from scoring.assessment.rules import PermissionDenied as AssessmentPermissionDenied
from scoring.assessment.services import assessment_transition
from scoring.audit.services import audit_record
from scoring.evidence.files import EvidenceFileError, check_evidence_file
from scoring.models import Assessment, CriteriaItem, Evidence, Method, User
from scoring.workflow import Status

from .access import appraiser_scope, unit_people  # noqa: F401  (unit_people: re-exported for the services)
from .models import CouncilMeeting, Explanation, ItemAppraisal

logger = logging.getLogger(__name__)

ROUND_STATUS = {1: Status.ROUND_1, 2: Status.ROUND_2}


class AppraisalError(AssessmentError):
    """An appraisal operation refused; .message is for the user (Vietnamese), .field names the form field if any."""


class AppraisalPermissionDenied(AppraisalError, DjangoPermissionDenied):
    """The actor may not do this; unhandled, Django and DRF answer 403."""


class VersionConflict(AppraisalError):
    """Someone saved the row since the page was loaded; .current is their (newer) row."""

    def __init__(self, message: str, *, current: ItemAppraisal | Explanation | None) -> None:
        super().__init__(message, field="version")
        self.current = current


# --- shared checks --------------------------------------------------------------------------------------


def move_assessment(
    *, assessment: Assessment, to: str, actor: User, reason: str = "", note: str = ""
) -> Assessment:
    """Return the assessment moved by scoring's one writer of .status, its refusals as appraisal errors."""
    try:
        return assessment_transition(
            assessment=assessment, to=to, actor=actor, reason=reason, note=note, check_roles=True
        )
    except AssessmentPermissionDenied as exc:
        raise AppraisalPermissionDenied(exc.message, field=exc.field) from exc
    except AssessmentError as exc:
        raise AppraisalError(exc.message, field=exc.field) from exc


def require_status(assessment: Assessment, *statuses: str) -> None:
    if assessment.status not in statuses:
        raise AppraisalError(
            _("Hồ sơ đang ở trạng thái «%(status)s», không thể thực hiện thao tác này.")
            % {"status": Status(assessment.status).label}
        )


def require_appraiser(*, actor: User, assessment: Assessment, field_codes: Iterable[str]) -> None:
    scope = appraiser_scope(user=actor, assessment=assessment)
    if scope is None:
        return
    missing = sorted(set(field_codes) - scope)
    if not scope or missing:
        raise AppraisalPermissionDenied(
            _("Bạn không được phân công thẩm định đơn vị này (hoặc lĩnh vực %(fields)s).")
            % {"fields": ", ".join(missing) or "—"}
        )


def require_appraisable(*, assessment: Assessment, item: CriteriaItem) -> None:
    try:
        require_scored_leaf(assessment=assessment, item=item)
    except AssessmentError as exc:
        raise AppraisalError(exc.message, field=exc.field) from exc
    if item.method != Method.APPRAISAL:
        raise AppraisalError(
            _("Tiêu chí %(code)s được chấm qua điều tra xã hội học, không thẩm định.") % {"code": item.code},
            field="item",
        )
    if not_applicable_reason(item=item, unit_id=assessment.unit_id) is not None:
        raise AppraisalError(
            _("Tiêu chí %(code)s không đánh giá đối với đơn vị.") % {"code": item.code}, field="item"
        )


def check_item_points(*, item: CriteriaItem, points: Decimal | None) -> None:
    try:
        check_points(item=item, points=points)
    except AssessmentError as exc:
        raise AppraisalError(exc.message, field="points") from exc


def clean_text(value: str, *, field: str) -> str:
    try:
        return check_text(value, field=field)
    except AssessmentError as exc:
        raise AppraisalError(exc.message, field=field) from exc


def audit(
    *,
    assessment: Assessment,
    actor: User | None,
    action: str,
    obj: Any = None,
    item_code: str = "",
    field: str = "",
    old: Any = None,
    new: Any = None,
    note: str = "",
) -> None:
    audit_record(
        body=assessment.period.body,
        actor=actor,
        action=action,
        obj=obj,
        unit=assessment.unit,
        item_code=item_code,
        field=field,
        old=old,
        new=new,
        note=note,
    )


def page_url(name: str, pk: int) -> str:
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


def flagged_item_ids(assessment: Assessment) -> set[int]:
    return set(
        ItemAppraisal.objects.filter(assessment=assessment, round=1, needs_explanation=True).values_list(
            "item_id", flat=True
        )
    )


def checked_file(uploaded_file: Any) -> Any:
    try:
        return check_evidence_file(
            name=getattr(uploaded_file, "name", "") or "",
            file=uploaded_file,
            max_bytes=settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024,
        )
    except EvidenceFileError as exc:
        raise AppraisalError(exc.message, field="file") from exc
    except OSError as exc:  # the temporary file of a broken upload cannot be read
        raise AppraisalError(
            _("Tệp bị hỏng hoặc tải lên chưa hết. Hãy kiểm tra tệp rồi tải lên lại."), field="file"
        ) from exc


def delete_stored(row: Evidence | CouncilMeeting, name: str) -> None:
    field = row.file if isinstance(row, Evidence) else row.minutes
    try:
        field.storage.delete(name)
    except Exception:  # the row is gone either way; an orphan file is logged for the operator
        logger.exception("could not delete stored file %s", name)
