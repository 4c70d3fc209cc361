"""Changes to recovery plans: one function per change, each checking who acts and what is typed, then auditing.

The province's plan (unit=None) is kept by the body's administrator; a unit's plan by the administrator or by
the unit's own officers and head. Points are checked here (the database constraints only back this up).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reports.access import may_edit_plan, may_read_drafts
from reports.models import RecoveryAction
from reports.rankings.selectors import published_results
from reports.results.selectors import lost_items
from scoring.audit.services import audit_record
from scoring.formatting import format_number
from scoring.models import EvaluatingBody, Period, Unit, User

from .selectors import PlanError

Status = RecoveryAction.Status
ZERO = Decimal(0)
PLACES = Decimal("0.0001")
# What a service may change on an action; body, year and unit are fixed once it exists.
EDITABLE = (
    "field_code",
    "item_code",
    "item_name",
    "lost_points",
    "recoverable",
    "recoverable_points",
    "action",
    "responsible",
    "responsible_unit",
    "due_date",
    "status",
    "note",
    "order",
)
MAX_YEAR_SPAN = (2000, 2100)

__all__ = [
    "PlanError",
    "may_edit_plan",
    "recovery_action_create",
    "recovery_action_delete",
    "recovery_action_update",
    "unit_plan_build",
]


def _check_may_edit(actor: User, body: EvaluatingBody, unit: Unit | None) -> None:
    if may_edit_plan(actor, body, unit):
        return
    if unit is None:
        raise PermissionDenied(_("Chỉ quản trị của cơ quan đánh giá mới được sửa kế hoạch của tỉnh."))
    raise PermissionDenied(_("Chỉ quản trị hoặc cán bộ, thủ trưởng của đơn vị mới được sửa kế hoạch này."))


def _validate(body: EvaluatingBody, values: dict[str, Any]) -> None:
    """Raise ValidationError (per field, in Vietnamese) when the action's values break a rule."""
    errors: dict[str, str] = {}
    if not (values.get("field_code") or "").strip():
        errors["field_code"] = _("Chọn lĩnh vực.")
    lost = values.get("lost_points")
    points = values.get("recoverable_points")
    if lost is None:
        errors["lost_points"] = _("Nhập số điểm bị mất.")
    elif lost < 0:
        errors["lost_points"] = _("Điểm bị mất không được âm.")
    if points is None:
        errors["recoverable_points"] = _("Nhập số điểm có thể khắc phục (0 nếu không khắc phục được).")
    elif points < 0:
        errors["recoverable_points"] = _("Điểm có thể khắc phục không được âm.")
    elif not values.get("recoverable") and points != 0:
        errors["recoverable_points"] = _(
            "Tiêu chí được đánh giá là không thể khắc phục thì điểm có thể khắc phục phải bằng 0."
        )
    elif lost is not None and lost >= 0 and points > lost:
        errors["recoverable_points"] = _(
            "Điểm có thể khắc phục (%(points)s) không được lớn hơn điểm bị mất (%(lost)s)."
        ) % {"points": format_number(points), "lost": format_number(lost)}
    for name in ("lost_points", "recoverable_points"):
        value = values.get(name)
        # Stored with 4 places (points lost on a survey item are a mean over ballots), under 1.000.
        if name not in errors and value is not None and (value >= 1000 or value != value.quantize(PLACES)):
            errors[name] = _("Điểm có tối đa 4 chữ số thập phân và nhỏ hơn 1.000.")
    if values.get("status") not in Status.values:
        errors["status"] = _("Tình trạng không hợp lệ.")
    owner = values.get("responsible_unit")
    if owner is not None and owner.body_id != body.pk:
        errors["responsible_unit"] = _("Đơn vị chủ trì phải thuộc cơ quan đánh giá này.")
    due = values.get("due_date")
    if due is not None and not isinstance(due, date):
        errors["due_date"] = _("Hạn hoàn thành không hợp lệ.")
    if errors:
        raise ValidationError(errors)


def _check_year(year: int) -> None:
    if not MAX_YEAR_SPAN[0] <= year <= MAX_YEAR_SPAN[1]:
        raise ValidationError({"year": _("Năm kế hoạch không hợp lệ.")})


@transaction.atomic
def recovery_action_create(
    *,
    actor: User,
    body: EvaluatingBody,
    year: int,
    unit: Unit | None = None,
    field_code: str,
    lost_points: Decimal,
    recoverable_points: Decimal,
    recoverable: bool = True,
    item_code: str = "",
    item_name: str = "",
    action: str = "",
    responsible: str = "",
    responsible_unit: Unit | None = None,
    due_date: date | None = None,
    status: str = Status.PLANNED,
    note: str = "",
    order: int = 0,
) -> RecoveryAction:
    """Return a new action of the province's plan (unit=None) or of the unit's plan."""
    _check_may_edit(actor, body, unit)
    _check_year(year)
    values = {
        "field_code": (field_code or "").strip(),
        "item_code": (item_code or "").strip(),
        "item_name": (item_name or "").strip(),
        "lost_points": lost_points,
        "recoverable": recoverable,
        "recoverable_points": recoverable_points,
        "action": action or "",
        "responsible": (responsible or "").strip(),
        "responsible_unit": responsible_unit,
        "due_date": due_date,
        "status": status,
        "note": note or "",
        "order": order,
    }
    _validate(body, values)
    created = RecoveryAction.objects.create(body=body, year=year, unit=unit, updated_by=actor, **values)
    audit_record(
        body=body,
        actor=actor,
        action="recovery_action_created",
        obj=created,
        unit=unit,
        item_code=created.item_code,
        new=created.recoverable_points,
        note=_("Kế hoạch năm %(year)s, lĩnh vực %(field)s") % {"year": year, "field": created.field_code},
    )
    return created


@transaction.atomic
def recovery_action_update(*, actor: User, recovery_action: RecoveryAction, **changes: Any) -> RecoveryAction:
    """Return the action with the changes saved (only the fields of EDITABLE); the status change is audited."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    current = (
        RecoveryAction.objects.select_for_update(of=("self",))
        .select_related("body", "unit")
        .get(pk=recovery_action.pk)
    )
    _check_may_edit(actor, current.body, current.unit)
    values = {name: getattr(current, name) for name in EDITABLE}
    for name in ("field_code", "item_code", "item_name", "responsible"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    values.update(changes)
    _validate(current.body, values)
    changed = [name for name in EDITABLE if values[name] != getattr(current, name)]
    if not changed:
        return current
    old_status = current.status
    for name in changed:
        setattr(current, name, values[name])
    current.updated_by = actor
    current.save(update_fields=[*changed, "updated_by", "updated_at"])
    if "status" in changed:
        audit_record(
            body=current.body,
            actor=actor,
            action="recovery_action_status",
            obj=current,
            unit=current.unit,
            item_code=current.item_code,
            field="status",
            old=Status(old_status).label,
            new=Status(current.status).label,
        )
    others = [name for name in changed if name != "status"]
    if others:
        audit_record(
            body=current.body,
            actor=actor,
            action="recovery_action_updated",
            obj=current,
            unit=current.unit,
            item_code=current.item_code,
            field=",".join(others),
            note=", ".join(str(RecoveryAction._meta.get_field(n).verbose_name) for n in others),
        )
    return current


@transaction.atomic
def recovery_action_delete(*, actor: User, recovery_action: RecoveryAction) -> None:
    """Delete the action from its plan."""
    current = (
        RecoveryAction.objects.select_for_update(of=("self",))
        .select_related("body", "unit")
        .get(pk=recovery_action.pk)
    )
    _check_may_edit(actor, current.body, current.unit)
    audit_record(
        body=current.body,
        actor=actor,
        action="recovery_action_deleted",
        obj=current,
        unit=current.unit,
        item_code=current.item_code,
        old=current.recoverable_points,
        note=current.item_name[:200],
    )
    current.delete()


@transaction.atomic
def unit_plan_build(*, unit: Unit, year: int, actor: User) -> int:
    """Add to the unit's plan of the year one action per item it lost points on the year before; return how many.

    Idempotent: items already in the plan (by item code) are left as people typed them; only missing ones
    are added, recoverable by default with all their lost points. The unit's own people may build it only
    from published results; the body's staff also from a period not yet published.
    """
    body = unit.body
    _check_may_edit(actor, body, unit)
    _check_year(year)
    period = Period.objects.filter(body=body, year=year - 1).first()
    if period is None:
        raise PlanError(_("Chưa có kỳ đánh giá năm %(year)s để lập kế hoạch.") % {"year": year - 1})
    if not may_read_drafts(actor, body) and not published_results().filter(period=period, unit=unit).exists():
        raise PlanError(
            _("Kết quả năm %(year)s của đơn vị chưa được công bố; chưa thể lập kế hoạch.")
            % {"year": year - 1}
        )
    items = lost_items(period=period, unit_ids=[unit.pk]).get(unit.pk, [])
    # The unit's row is the lock: two builds at once run one after the other and add each item once.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    existing = set(
        RecoveryAction.objects.filter(body=body, year=year, unit=unit).values_list("item_code", flat=True)
    )
    next_order = RecoveryAction.objects.filter(body=body, year=year, unit=unit).count()
    new = []
    for item in items:
        if item.item_code in existing:
            continue
        next_order += 1
        new.append(
            RecoveryAction(
                body=body,
                year=year,
                unit=unit,
                field_code=item.field_code,
                item_code=item.item_code,
                item_name=item.item_name[:1000],
                lost_points=item.lost_points,
                recoverable=True,
                recoverable_points=item.lost_points,
                note=item.comment,
                order=next_order,
                updated_by=actor,
            )
        )
    RecoveryAction.objects.bulk_create(new)
    audit_record(
        body=body,
        actor=actor,
        action="unit_plan_built",
        unit=unit,
        new=len(new),
        note=_("Kế hoạch năm %(year)s lập từ kết quả năm %(previous)s")
        % {"year": year, "previous": year - 1},
    )
    return len(new)
