"""Changes to appraiser assignments: one function per change, each checking its input, writing and auditing.

Who may call them (the body's administrator) is decided by appraisal.access at the edge; these functions check
what is assigned: only the body's appraisers, only the body's units, only the period's fields. A bulk create
either creates every new row or, on a refusal, nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from scoring.audit.services import audit_record
from scoring.models import Period, Unit, User

from ..models import AppraiserAssignment
from .selectors import appraiser_choices, field_choices


@dataclass(frozen=True, slots=True)
class BulkResult:
    """The rows a bulk assignment created and the ones it left alone because they existed already."""

    created: list[AppraiserAssignment]
    existing: list[AppraiserAssignment]


def _targets(
    *, period: Period, unit_ids: Iterable[int], field_codes: Iterable[str]
) -> tuple[list[Unit], list[str]]:
    unit_ids = sorted(set(unit_ids))
    codes = sorted({c.strip() for c in field_codes if c.strip()})
    if not unit_ids and not codes:
        raise ValidationError({"units": _("Chọn ít nhất một đơn vị hoặc một lĩnh vực để phân công.")})
    units = list(Unit.objects.filter(body_id=period.body_id, pk__in=unit_ids).in_official_order())
    if len(units) != len(unit_ids):
        raise ValidationError({"units": _("Có đơn vị không thuộc cơ quan đánh giá này.")})
    known = {code for code, _name in field_choices(period=period)}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError(
            {
                "field_codes": _("Không có lĩnh vực mã %(codes)s trong kỳ đánh giá này.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return units, codes


@transaction.atomic
def assignments_create(
    *,
    actor: User,
    period: Period,
    appraiser: User,
    unit_ids: Iterable[int] = (),
    field_codes: Iterable[str] = (),
) -> BulkResult:
    """Return the assignments made of the appraiser to the units and fields; those already made are skipped.

    Refuses (ValidationError, nothing written) an appraiser who does not hold the appraiser role in the body,
    a unit of another body, an unknown field, or a request where every assignment exists already.
    """
    if not appraiser_choices(period=period).filter(pk=appraiser.pk).exists():
        raise ValidationError(
            {
                "appraiser": _(
                    "%(name)s không giữ vai trò thẩm định viên của cơ quan đánh giá này nên không thể được phân công."
                )
                % {"name": str(appraiser)}
            }
        )
    units, codes = _targets(period=period, unit_ids=unit_ids, field_codes=field_codes)
    # Locks the appraiser's rows of the period so that two admins' bulk creates do not both pass the check.
    # Ordered by pk: the model's ordering joins the (nullable) unit, which PostgreSQL cannot lock FOR UPDATE.
    mine = (
        AppraiserAssignment.objects.select_for_update()
        .filter(period=period, appraiser=appraiser)
        .order_by("pk")
    )
    have_units = {a.unit_id: a for a in mine if a.unit_id is not None}
    have_fields = {a.field_code: a for a in mine if a.unit_id is None}
    existing = [have_units[u.pk] for u in units if u.pk in have_units]
    existing += [have_fields[c] for c in codes if c in have_fields]
    new = [
        AppraiserAssignment(period=period, appraiser=appraiser, unit=u)
        for u in units
        if u.pk not in have_units
    ]
    new += [
        AppraiserAssignment(period=period, appraiser=appraiser, field_code=c)
        for c in codes
        if c not in have_fields
    ]
    if not new:
        raise ValidationError(
            {
                "units": _("%(name)s đã được phân công tất cả các mục đã chọn; không có gì thay đổi.")
                % {"name": str(appraiser)}
            }
        )
    for assignment in new:
        assignment.full_clean()
        try:
            # A savepoint: another admin's insert of the same row between our check and here breaks only it.
            with transaction.atomic():
                assignment.save()
        except IntegrityError:
            raise ValidationError(
                {
                    "units": _("Vừa có người khác phân công %(what)s; hãy tải lại trang.")
                    % {"what": assignment}
                }
            ) from None
        audit_record(
            body=period.body,
            actor=actor,
            action="appraiser_assignment_added",
            obj=assignment,
            unit=assignment.unit,
            field="assignment",
            new=str(assignment),
        )
    return BulkResult(created=new, existing=existing)


@transaction.atomic
def assignment_delete(*, actor: User, assignment: AppraiserAssignment) -> None:
    """Remove the assignment and record who removed what."""
    audit_record(
        body=assignment.period.body,
        actor=actor,
        action="appraiser_assignment_removed",
        obj=assignment,
        unit=assignment.unit,
        field="assignment",
        old=str(assignment),
    )
    assignment.delete()
