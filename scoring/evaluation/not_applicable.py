"""Not-applicable items (per period, per unit): set, change and remove, refused once a result depends on them.

An exemption changes a unit's max scale and therefore its index: after publication it is part of the decided
result, so a change must wait for the council to reopen the dossier (or, period-wide, every dossier of the set).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.audit.services import audit_record
from scoring.models import CriteriaItem, NotApplicableItem, Unit, User
from scoring.results.guards import not_applicable_check
from scoring.results.state import results_changed_notify

__all__ = ["NotApplicableError", "not_applicable_delete", "not_applicable_save"]


class NotApplicableError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


@transaction.atomic
def not_applicable_save(
    *,
    row: NotApplicableItem | None = None,
    item: CriteriaItem,
    unit: Unit | None,
    reason: str,
    actor: User | None,
) -> NotApplicableItem:
    """Return the exemption created (row None) or changed to (item, unit, reason); ResultsFrozen if published."""
    reason = (reason or "").strip()
    if not reason:
        raise NotApplicableError(_("Hãy ghi lý do không đánh giá tiêu chí."))
    if unit is not None and unit.body_id != item.criteria_set.period.body_id:
        raise NotApplicableError(_("Đơn vị không thuộc cơ quan đánh giá của bộ tiêu chí."))
    not_applicable_check(item=item, unit=unit)
    old = None
    if row is not None and row.pk:
        before = NotApplicableItem.objects.select_related("item__criteria_set", "unit").get(pk=row.pk)
        not_applicable_check(item=before.item, unit=before.unit)  # what it was must be changeable too
        old = f"{before.item.code} {before.unit or '*'}: {before.reason}"
    elif row is None:
        row = NotApplicableItem()
    row.item, row.unit, row.reason = item, unit, reason
    row.save()
    _recorded(
        row=row,
        actor=actor,
        action="not_applicable_saved",
        old=old,
        new=f"{item.code} {unit or '*'}: {reason}",
    )
    return row


@transaction.atomic
def not_applicable_delete(*, row: NotApplicableItem, actor: User | None) -> None:
    """Remove the exemption (the item counts again); ResultsFrozen if a published result depends on it."""
    row = NotApplicableItem.objects.select_related("item__criteria_set__period__body", "unit").get(pk=row.pk)
    not_applicable_check(item=row.item, unit=row.unit)
    old = f"{row.item.code} {row.unit or '*'}: {row.reason}"
    row.delete()
    _recorded(row=row, actor=actor, action="not_applicable_deleted", old=old, new=None)


def _recorded(
    *, row: NotApplicableItem, actor: User | None, action: str, old: str | None, new: str | None
) -> None:
    period = row.item.criteria_set.period
    audit_record(
        body=period.body, actor=actor, action=action, obj=row, unit=row.unit, item_code=row.item.code,
        field="not_applicable", old=old, new=new,
    )  # fmt: skip
    # The unit's (or, period-wide, every unit's) scale and index move with it.
    results_changed_notify(period_id=period.pk)
