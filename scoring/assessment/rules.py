"""The rules every self-assessment write checks, and the errors it refuses with; used by the service modules.

The messages are Vietnamese, for the person at the screen: the server decides, whatever the page sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.access import may_edit_self_assessment, may_submit_self_assessment
from scoring.assessment.selectors import SubmissionProblem, assessment_deadline
from scoring.formatting import format_number
from scoring.models import (
    Assessment,
    CriteriaItem,
    Level,
    NotApplicableItem,
    Period,
    PeriodStatus,
    SelfScore,
    User,
)
from scoring.workflow import EDITABLE_STATUSES, Status

MAX_TEXT_LENGTH = 10_000


class AssessmentError(Exception):
    """An operation refused; .message is for the user (Vietnamese), .field names the form field if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field


class PermissionDenied(AssessmentError, DjangoPermissionDenied):
    """The actor may see the assessment but not do this; unhandled, Django and DRF answer 403."""


class VersionConflict(AssessmentError):
    """Someone saved the item since the page was loaded; .current is their (newer) row."""

    def __init__(self, message: str, *, current: SelfScore | None) -> None:
        super().__init__(message, field="points")
        self.current = current


class SubmissionBlocked(AssessmentError):
    """The dossier is not complete; .problems lists every item to fix."""

    def __init__(self, message: str, *, problems: Sequence[SubmissionProblem]) -> None:
        super().__init__(message)
        self.problems = list(problems)


# --- guards ---------------------------------------------------------------------------------------------


def when_text(value: datetime) -> str:
    """Return a moment as the unit reads it: local time, "17:00 15/01/2027"."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def lock_assessment(assessment: Assessment) -> Assessment:
    """Return the assessment row locked for this transaction, fresh from the database."""
    # Every write locks the assessment first, so that a save racing a submission lands either before it
    # (and is submitted) or after it (and is refused), never half-way.
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period", "period__body", "unit")
        .get(pk=assessment.pk)
    )


def require_editor(*, actor: User, assessment: Assessment) -> None:
    if not may_edit_self_assessment(actor, assessment.unit):
        raise PermissionDenied(_("Chỉ cán bộ và thủ trưởng của đơn vị mới được sửa hồ sơ tự đánh giá này."))


def require_head(*, actor: User, assessment: Assessment) -> None:
    if not may_submit_self_assessment(actor, assessment.unit):
        raise PermissionDenied(_("Chỉ thủ trưởng đơn vị mới được gửi hoặc rút lại hồ sơ tự đánh giá."))


def require_in_time(*, assessment: Assessment, now: datetime) -> None:
    deadline = assessment_deadline(assessment=assessment)
    if deadline is not None and now > deadline:
        raise AssessmentError(
            _("Đã quá hạn tự đánh giá (%(deadline)s). Đề nghị liên hệ cơ quan thường trực để được gia hạn.")
            % {"deadline": when_text(deadline)}
        )


def period_setup_text(period: Period) -> str:
    """Return what a unit reads while the period is still being set up."""
    return _("Kỳ đánh giá năm %(year)s đang được thiết lập, chưa mở để tự đánh giá.") % {"year": period.year}


def require_period_open(period: Period) -> None:
    # The criteria, deadlines and bands may still change while the administrator sets the year up:
    # nothing the unit scored or uploaded against them could be trusted, so nothing is accepted.
    if period.status != PeriodStatus.OPEN:
        raise AssessmentError(period_setup_text(period))


def require_editable(*, assessment: Assessment, now: datetime) -> None:
    require_period_open(assessment.period)
    if assessment.status not in EDITABLE_STATUSES:
        if assessment.status == Status.SUBMITTED:
            raise AssessmentError(
                _(
                    "Hồ sơ đã được gửi nên không thể sửa. Thủ trưởng đơn vị có thể rút lại hồ sơ "
                    "trước hạn để sửa."
                )
            )
        raise AssessmentError(
            _("Hồ sơ đang ở trạng thái «%(status)s», không thể sửa.")
            % {"status": Status(assessment.status).label}
        )
    require_in_time(assessment=assessment, now=now)


def not_applicable_reason(*, item: CriteriaItem, unit_id: int) -> str | None:
    rows = NotApplicableItem.objects.filter(item=item).filter(Q(unit__isnull=True) | Q(unit_id=unit_id))
    reasons = dict(rows.values_list("unit_id", "reason"))
    if not reasons:
        return None
    return reasons.get(unit_id) or reasons.get(None) or ""


def require_scored_leaf(*, assessment: Assessment, item: CriteriaItem) -> None:
    if item.criteria_set_id != assessment.criteria_set_id:
        raise AssessmentError(_("Tiêu chí này không thuộc bộ tiêu chí của hồ sơ."), field="item")
    if item.level == Level.FIELD or item.children.exists():
        raise AssessmentError(
            _("Tiêu chí %(code)s có các tiêu chí thành phần; hãy chấm điểm từng tiêu chí thành phần.")
            % {"code": item.code},
            field="item",
        )


def check_points(*, item: CriteriaItem, points: Decimal | None) -> None:
    if points is None:
        return
    if not isinstance(points, Decimal) or not points.is_finite():
        raise AssessmentError(_("Điểm không hợp lệ."), field="points")
    if points < 0:
        raise AssessmentError(_("Điểm không được nhỏ hơn 0."), field="points")
    if points > item.max_points:
        raise AssessmentError(
            _("Điểm tối đa của tiêu chí %(code)s là %(max)s; không thể chấm %(points)s.")
            % {"code": item.code, "max": format_number(item.max_points), "points": format_number(points)},
            field="points",
        )
    step = Decimal(item.step)
    if points % step != 0:
        raise AssessmentError(
            _("Điểm của tiêu chí %(code)s phải chấm theo bước %(step)s điểm (ví dụ 0; %(step)s; %(two)s…).")
            % {"code": item.code, "step": short_number(step), "two": short_number(step * 2)},
            field="points",
        )


def short_number(value: Decimal) -> str:
    """Return a number without trailing zeros in Vietnamese format: 0.50 -> "0,5", 1.00 -> "1"."""
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, places)


def check_text(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT_LENGTH:
        raise AssessmentError(
            _("Nội dung quá dài (tối đa %(max)s ký tự).") % {"max": f"{MAX_TEXT_LENGTH:,}".replace(",", ".")},
            field=field,
        )
    return value


def touch_activity(*, locked: Assessment, assessment: Assessment, now: datetime) -> None:
    locked.last_activity_at = now
    locked.save(update_fields=["last_activity_at"])
    assessment.last_activity_at = now
