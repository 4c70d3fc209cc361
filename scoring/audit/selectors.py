"""Reads of the audit trail: one dossier's history, and the body administrator's filtered log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scoring.access import audit_log_hidden, history_hidden_actions
from scoring.formatting import format_number
from scoring.models import Assessment, AuditEvent, EvaluatingBody, Unit, User
from scoring.workflow import Status

# The log page shows this many rows; the export carries everything the filters select, up to EXPORT_LIMIT.
PAGE_SIZE = 100
EXPORT_LIMIT = 50_000

ACTION_LABELS = {
    "account_unlock": _("Mở khoá đăng nhập"),
    "user_invite": _("Mời người dùng"),
    "user_import": _("Tạo tài khoản từ tệp"),
    "user_deactivate": _("Ngừng hoạt động tài khoản"),
    "user_reactivate": _("Kích hoạt lại tài khoản"),
    "password_link_sent": _("Gửi đường dẫn đặt mật khẩu"),
    "password_temporary_set": _("Đặt mật khẩu tạm"),
    "self_score_save": _("Lưu điểm tự chấm"),
    "recovery_action_created": _("Thêm nội dung kế hoạch khắc phục"),
    "recovery_action_updated": _("Sửa nội dung kế hoạch khắc phục"),
    "recovery_action_status": _("Cập nhật tình trạng khắc phục"),
    "recovery_action_deleted": _("Xoá nội dung kế hoạch khắc phục"),
    "unit_plan_built": _("Lập kế hoạch khắc phục từ kết quả năm trước"),
    "evidence_upload": _("Tải lên tài liệu kiểm chứng"),
    "evidence_link": _("Gắn tài liệu kiểm chứng"),
    "evidence_unlink": _("Bỏ gắn tài liệu kiểm chứng"),
    "evidence_delete": _("Xoá tài liệu kiểm chứng"),
    "deadline_extension_grant": _("Gia hạn tự đánh giá"),
    "assessment_transition": _("Chuyển trạng thái hồ sơ"),
    "role_assign": _("Phân quyền"),
    "role_change": _("Sửa phân quyền"),
    "role_remove": _("Thu hồi quyền"),
    # Written by the appraisal and the publication (scoring cannot import them; the slugs are their contract).
    "appraisal_round1": _("Thẩm định vòng 1"),
    "appraisal_round2": _("Thẩm định vòng 2"),
    "explanation": _("Giải trình"),
    "explanation_evidence": _("Tài liệu bổ sung khi giải trình"),
    "council_meeting": _("Họp Hội đồng thẩm định"),
    "council_returned": _("Hội đồng trả lại hồ sơ"),
    "appraiser_assignment_added": _("Phân công thẩm định"),
    "appraiser_assignment_changed": _("Sửa phân công thẩm định"),
    "appraiser_assignment_removed": _("Bỏ phân công thẩm định"),
    "period_published": _("Công bố kết quả"),
    "period_amendment_published": _("Công bố quyết định sửa đổi"),
    "report_particulars": _("Sửa thông tin văn bản báo cáo"),
    # The year's setup (scoring/periods/).
    "period_create": _("Tạo kỳ đánh giá"),
    "period_deadline": _("Đặt thời hạn kỳ đánh giá"),
    "period_bands": _("Sửa mức xếp loại"),
    "period_open": _("Mở kỳ đánh giá"),
    # Unit kinds (scoring/units/).
    "unit_kind_created": _("Thêm loại đơn vị"),
    "unit_kind_updated": _("Sửa loại đơn vị"),
    "unit_kind_deleted": _("Xoá loại đơn vị"),
    # The survey settings (surveys/settings/; the slugs are its contract).
    "survey.settings_set": _("Sửa cài đặt điều tra xã hội học"),
    "survey.form_weight_set": _("Sửa trọng số mẫu phiếu"),
    "survey.sipas_conversion_set": _("Sửa quy đổi điểm từ SIPAS"),
    "survey.sipas_conversions_clone": _("Sao chép quy đổi điểm từ SIPAS"),
}

FIELD_LABELS = {
    "points": _("Điểm"),
    "justification": _("Giải thích, căn cứ"),
    "no_evidence_reason": _("Lý do không có tài liệu kiểm chứng"),
    "evidence": _("Tài liệu kiểm chứng"),
    "deadline": _("Hạn tự đánh giá"),
    "status": _("Trạng thái"),
    "role": _("Vai trò"),
    "comment": _("Nhận xét"),
    "needs_explanation": _("Cần giải trình"),
    "text": pgettext_lazy("audit field", "Nội dung"),
    "assignment": _("Phân công"),
    "held_on": _("Ngày họp"),
    # The year's setup (scoring/periods/).
    "year": _("Năm đánh giá"),
    "starts_on": _("Ngày bắt đầu"),
    "self_assessment_deadline": _("Hạn tự đánh giá"),
    "explanation_deadline": _("Hạn giải trình"),
    "round2_deadline": _("Hạn thẩm định vòng 2"),
    "council_deadline": _("Hạn họp Hội đồng thẩm định"),
    "bands": _("Mức xếp loại"),
    "method": _("Cách quy đổi"),
    "aggregation": _("Cách tính trung bình"),
    # The particulars of a period's papers (reports/papers/).
    "number": _("Số văn bản"),
    "place": _("Địa danh"),
    "issued_on": _("Ngày ban hành"),
    "recipients": _("Nơi nhận"),
    "signer_title": _("Chức vụ người ký"),
    "signer_name": _("Họ và tên người ký"),
    "order": _("Thứ tự trong nhóm"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def field_label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


# Fields whose stored value is a number ("2.5"): shown the Vietnamese way with two places ("2,50").
NUMERIC_FIELDS = frozenset({"points", "max_points", "weight", "min_index", "target_index", "index"})


def value_label(field: str, value: str) -> str:
    """Return a stored value as people read it: a status by its name, a number as "2,50", anything else as stored."""
    if field == "status" and value in Status.values:
        return str(Status(value).label)
    if field in NUMERIC_FIELDS and value:
        try:
            return format_number(Decimal(value))
        except InvalidOperation:
            return value
    return value


def _events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor", "unit").order_by("-at", "-pk")


def hidden_actions(*, assessment: Assessment, user: User) -> list[str]:
    """Return the actions of the dossier's history the user may not see yet (drafts; see scoring.access)."""
    return history_hidden_actions(user, assessment)


def assessment_history(
    *, assessment: Assessment, item_code: str = "", hidden: Iterable[str] = ()
) -> QuerySet[AuditEvent]:
    """Return the dossier's changes, newest first, without the hidden actions; one item's when item_code is given."""
    events = _events().filter(assessment=assessment)
    hidden = list(hidden)
    if hidden:
        events = events.exclude(action__in=hidden)
    if item_code:
        events = events.filter(item_code=item_code)
    return events


def history_item_codes(*, assessment: Assessment, hidden: Iterable[str] = ()) -> list[str]:
    """Return the item codes that appear in the dossier's history, in the criteria's natural order."""
    codes = (
        AuditEvent.objects.filter(assessment=assessment)
        .exclude(item_code="")
        .exclude(action__in=list(hidden))
        .order_by()
        .values_list("item_code", flat=True)
        .distinct()
    )
    return sorted(codes, key=lambda code: tuple(int(p) if p.isdecimal() else 0 for p in code.split(".")))


@dataclass(frozen=True, slots=True)
class AuditFilters:
    unit: Unit | None = None
    actor: User | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_log(*, body: EvaluatingBody, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Return the body's changes matching the filters, newest first (dates are whole local days)."""
    # The unit's explanation drafts stay out of the log until submitted, as from every other page.
    events = _events().filter(body=body).exclude(audit_log_hidden())
    if filters.unit is not None:
        events = events.filter(unit=filters.unit)
    if filters.actor is not None:
        events = events.filter(actor=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.date_from is not None:
        events = events.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        events = events.filter(at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return events


def audit_actions(*, body: EvaluatingBody) -> list[tuple[str, str]]:
    """Return (action, label) for every action recorded in the body, for the filter's choices."""
    actions = set(AuditEvent.objects.filter(body=body).order_by().values_list("action", flat=True).distinct())
    return sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1])


def audit_actors(*, body: EvaluatingBody) -> QuerySet[User]:
    """Return the people who made changes in the body, for the filter's choices."""
    return User.objects.filter(pk__in=AuditEvent.objects.filter(body=body).values("actor_id")).order_by(
        "username"
    )
