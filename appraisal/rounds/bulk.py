"""Bulk actions of round 1: accept the unit's self-scores, flag the items without evidence.

The rule every bulk action keeps: it fills only what nobody has entered yet. An item that already carries a
person's work in this round (an appraised value, a comment or the flag) is held and listed; replacing it needs
a second call naming the item with the version the person saw when they confirmed. Everything runs under the
assessment's lock and the rows' locks, which `item_appraisal_save` takes too: a save that lands between the
page and the bulk action is seen as entered (held), and a confirmed overwrite of a row saved since is refused
for that row (its version moved), so one side always learns of the other and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.assessment.rules import lock_assessment
from scoring.models import (
    Assessment,
    CriteriaItem,
    Evidence,
    EvidenceStage,
    Method,
    NotApplicableItem,
    User,
)
from scoring.results.state import results_changed_notify
from scoring.workflow import Status

from ..models import ItemAppraisal
from ..rules import (
    AppraisalError,
    appraiser_scope,
    audit,
    require_appraisable,
    require_appraiser,
    require_status,
)


@dataclass(frozen=True, slots=True)
class HeldItem:
    """An item a bulk action left as a person entered it; the confirmation lists it with its version."""

    item_id: int
    code: str
    name: str
    points: Decimal | None
    self_points: Decimal | None
    comment: str
    needs_explanation: bool
    version: int
    # True when the person confirmed the overwrite but the row was saved again since: it was not replaced.
    changed: bool = False


@dataclass(frozen=True, slots=True)
class BulkResult:
    """What a bulk action wrote (`saved`) and what it left for an explicit choice (`held`)."""

    saved: list[ItemAppraisal] = field(default_factory=list)
    held: list[HeldItem] = field(default_factory=list)

    @property
    def changed(self) -> list[HeldItem]:
        return [h for h in self.held if h.changed]


def entered(row: ItemAppraisal | None) -> bool:
    """Return whether a person's work is in the row: a value, a comment or the flag (a blank row holds none)."""
    return row is not None and (row.points is not None or bool(row.comment) or row.needs_explanation)


def _ids(values: Iterable[object]) -> set[int]:
    try:
        return {int(v) for v in values}  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise AppraisalError(_("Tiêu chí không hợp lệ."), field="items") from exc


def _locked_rows(assessment: Assessment, items: Iterable[CriteriaItem]) -> dict[int, ItemAppraisal]:
    # The rows are locked as well as the assessment: a direct writer that skipped the assessment's lock
    # still waits here instead of being overwritten.
    return {
        r.item_id: r
        for r in ItemAppraisal.objects.select_for_update()
        .filter(assessment=assessment, round=1, item__in=list(items))
        .order_by("pk")
    }


def _held(item: CriteriaItem, row: ItemAppraisal, self_points: Decimal | None, *, changed: bool) -> HeldItem:
    return HeldItem(
        item_id=item.pk,
        code=item.code,
        name=item.name,
        points=row.points,
        self_points=self_points,
        comment=row.comment,
        needs_explanation=row.needs_explanation,
        version=row.version,
        changed=changed,
    )


@transaction.atomic
def round1_accept_self_scores(
    *,
    assessment: Assessment,
    item_ids: Sequence[int],
    actor: User,
    overwrite: Mapping[int, int] | None = None,
) -> BulkResult:
    """Return the round-1 rows set to the unit's own scores and the items held because a person entered them.

    Items nobody has appraised in round 1 get the self-score. An item with a value, comment or flag is held,
    unless `overwrite` names it with the version the person confirmed: then its value is replaced (comment and
    flag kept), provided nobody saved it since.
    """
    locked = lock_assessment(assessment)
    require_status(locked, Status.ROUND_1)
    confirmed = {int(k): int(v) for k, v in (overwrite or {}).items()}
    wanted = _ids(item_ids) | set(confirmed)
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
    existing = _locked_rows(locked, items)
    now = timezone.now()
    result = BulkResult()
    for item in sorted(items, key=lambda i: i.order):
        row = existing.get(item.pk)
        if row is not None and entered(row) and confirmed.get(item.pk) != row.version:
            result.held.append(_held(item, row, self_points[item.pk], changed=item.pk in confirmed))
            continue
        row = row or ItemAppraisal(assessment=locked, item=item, round=1)
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
            note=_("Chấp nhận điểm tự chấm (thay điểm đã nhập, đã xác nhận)")
            if item.pk in confirmed
            else _("Chấp nhận điểm tự chấm"),
        )
        result.saved.append(row)
    if result.saved:
        results_changed_notify(period_id=locked.period_id)
    return result


@transaction.atomic
def round1_flag_missing_evidence(
    *, assessment: Assessment, actor: User, overwrite: Mapping[int, int] | None = None
) -> BulkResult:
    """Return the rows flagged for explanation (items of the actor's scope without evidence) and those held.

    An item nobody has appraised is flagged; one already flagged is left alone; one a person appraised without
    the flag is held (they chose not to flag it), unless `overwrite` names it with the confirmed version. The
    flag is only ever added here: a value, a comment or a flag a person set is never cleared.
    """
    locked = lock_assessment(assessment)
    require_status(locked, Status.ROUND_1)
    scope = appraiser_scope(user=actor, assessment=locked)
    if scope is not None and not scope:
        require_appraiser(actor=actor, assessment=locked, field_codes=())
    confirmed = {int(k): int(v) for k, v in (overwrite or {}).items()}
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
    existing = _locked_rows(locked, items)
    self_points = dict(locked.scores.filter(item__in=items).values_list("item_id", "points"))
    now = timezone.now()
    result = BulkResult()
    for item in items:
        row = existing.get(item.pk)
        if row is not None and row.needs_explanation:
            continue
        if row is not None and entered(row) and confirmed.get(item.pk) != row.version:
            result.held.append(_held(item, row, self_points.get(item.pk), changed=item.pk in confirmed))
            continue
        row = row or ItemAppraisal(assessment=locked, item=item, round=1)
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
        result.saved.append(row)
    return result
