"""Changes to a period's paper particulars: the body's administrator only, every changed field audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reports.access import may_edit_particulars
from reports.models import ReportParticulars
from scoring.audit.services import audit_record
from scoring.models import Period, User

EDITABLE = ("number", "place", "issued_on", "recipients", "signer_title", "signer_name")
# A report about a year is signed that year or within the next two (late publications, amendments).
LATEST_YEARS_AFTER = 2


@transaction.atomic
def report_particulars_update(*, actor: User, period: Period, **values: object) -> ReportParticulars:
    """Return the period's particulars with the values saved; each changed field is one audit row."""
    if not may_edit_particulars(actor, period.body):
        raise PermissionDenied(_("Chỉ quản trị của cơ quan đánh giá được sửa thông tin văn bản."))
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    issued_on = values.get("issued_on")
    if isinstance(issued_on, date) and not period.year <= issued_on.year <= period.year + LATEST_YEARS_AFTER:
        raise ValidationError(
            {
                "issued_on": _("Ngày ban hành phải trong các năm %(first)d–%(last)d.")
                % {"first": period.year, "last": period.year + LATEST_YEARS_AFTER}
            }
        )
    row, _created = ReportParticulars.objects.select_for_update().get_or_create(period=period)
    changed = []
    for field in EDITABLE:
        if field not in values:
            continue
        new = values[field] if values[field] is not None else ("" if field != "issued_on" else None)
        old = getattr(row, field)
        if old == new:
            continue
        setattr(row, field, new)
        changed.append(field)
        audit_record(
            body=period.body,
            actor=actor,
            action="report_particulars",
            obj=row,
            field=field,
            old=old,
            new=new,
            note=_("Năm %(year)s") % {"year": period.year},
        )
    if changed:
        row.updated_by = actor
        row.save()
    return row
