"""The particulars of a period's papers, read from ReportParticulars with the defaults of `data`."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from reports.models import ReportParticulars
from scoring.models import EvaluatingBody, Period

from .data import Particulars, particulars_build


def report_particulars_get(period: Period) -> ReportParticulars | None:
    """Return the period's stored particulars (no query when the caller used select_related), or None."""
    try:
        return period.report_particulars
    except ObjectDoesNotExist:
        return None


def report_particulars_for(*, body: EvaluatingBody, year: int) -> ReportParticulars | None:
    """Return the stored particulars of the body's year, or None."""
    return ReportParticulars.objects.filter(period__body=body, period__year=year).first()


def period_particulars(
    period: Period,
    *,
    kind_code: str = "BC",
    today: date | None = None,
    with_number: bool = True,
    default_recipients: tuple[str, ...] = (),
) -> Particulars:
    """Return what the body's papers of the period print around their content.

    `with_number=False` for papers other than the annual report (a notice per unit): they share the signer and
    the place, but their number and date are filled in by hand.
    """
    row = report_particulars_get(period)
    body = period.body
    stored = {}
    if row is not None:
        stored = {
            "place": row.place,
            "signer_title": row.signer_title,
            "signer_name": row.signer_name,
        }
        if with_number:
            stored |= {"number": row.number, "issued_on": row.issued_on, "recipients": row.recipients}
    return particulars_build(
        issuer_parent=body.name,
        issuer=body.administrator_name,
        today=today or timezone.localdate(),
        kind_code=kind_code,
        default_recipients=default_recipients,
        **stored,
    )
