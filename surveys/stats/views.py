"""How many ballots are in and what they say: the tracking page (issued / returned / accepted / rejected by reason
and rates) and the statistics page with its charts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from scoring.formatting import format_count, format_percent
from scoring.models import Period

from ..access import admin_period
from ..calc import TrackingRow
from ..models import BallotAnswer, BallotForm, BallotStatus, RejectReason
from .selectors import tracking_table, voided_ballots

# Short reasons for the totals line ("loại 3 (vượt số lượng)"); the table uses the model's labels.
SHORT_REASONS = {
    RejectReason.OVER_QUOTA: gettext_lazy("vượt số lượng"),
    RejectReason.INCOMPLETE: gettext_lazy("trả lời không đầy đủ"),
    RejectReason.DUPLICATE: gettext_lazy("trùng số phiếu"),
    RejectReason.WRONG_FORM_OR_UNIT: gettext_lazy("sai mẫu phiếu hoặc đơn vị"),
}


def count_vn(n: int) -> str:
    return format_count(n)


def rate_vn(value: Decimal | None) -> str:
    return format_percent(value, 1)


def totals_line(row: TrackingRow) -> str:
    """Return e.g. "Phát ra 1.160, thu về 1.138 (98,1 %), nghiệm thu 1.135, loại 3 (vượt số lượng)"."""
    reasons = [(SHORT_REASONS.get(code, code), n) for code, n in sorted(row.rejected.items()) if n]
    if len(reasons) == 1:
        why = f" ({reasons[0][0]})"
    elif reasons:
        why = " (" + "; ".join(f"{label}: {count_vn(n)}" for label, n in reasons) + ")"
    else:
        why = ""
    return _(
        "Phát ra %(issued)s, thu về %(returned)s (%(rate)s), nghiệm thu %(accepted)s, loại %(rejected)s%(why)s"
    ) % {
        "issued": count_vn(row.issued),
        "returned": count_vn(row.returned),
        "rate": rate_vn(row.return_rate),
        "accepted": count_vn(row.accepted),
        "rejected": count_vn(row.rejected_total),
        "why": why,
    }


@dataclass(frozen=True, slots=True)
class Line:
    """One printed row: a label and the counts, already formatted."""

    label: str
    kind: str
    issued: str
    returned: str
    return_rate: str
    accepted: str
    accepted_rate: str
    rejected: list[str]
    rejected_total: str


def _line(label: str, kind: str, row: TrackingRow, reasons: list[str]) -> Line:
    return Line(
        label=label,
        kind=kind,
        issued=count_vn(row.issued),
        returned=count_vn(row.returned),
        return_rate=rate_vn(row.return_rate),
        accepted=count_vn(row.accepted),
        accepted_rate=rate_vn(row.accepted_rate),
        rejected=[count_vn(row.rejected.get(code, 0)) for code in reasons],
        rejected_total=count_vn(row.rejected_total),
    )


def _reason_label(code: str) -> str:
    return str(RejectReason(code).label) if code in RejectReason.values else code


@login_required
@require_GET
def tracking(request: HttpRequest, period_id: int) -> HttpResponse:
    period = admin_period(request, period_id)
    table = tracking_table(period=period)
    data = table.tracking
    # Only the reasons that occur get a column; the known ones first, in their usual order.
    occurring = {code for row in data.rows for code, n in row.rejected.items() if n}
    reasons = [c for c in RejectReason.values if c in occurring] + sorted(
        occurring - set(RejectReason.values)
    )
    forms = sorted(table.forms.values(), key=lambda f: (f.order, f.code))
    by_form: list[Line] = []
    for form in forms:
        if form.pk not in data.by_form:
            continue
        by_form.append(_line(f"{form.code}. {form.name}", "form", data.by_form[form.pk], reasons))
        for row in sorted(
            (r for r in data.rows if r.form_id == form.pk),
            key=lambda r: table.units[r.unit_id].name if r.unit_id in table.units else "",
        ):
            unit = table.units.get(row.unit_id)
            by_form.append(_line(unit.name if unit else "—", "unit", row, reasons))
    by_unit = [
        _line(unit.name, "unit", data.by_unit[unit.pk], reasons)
        for unit in sorted(table.units.values(), key=lambda u: u.name)
        if unit.pk in data.by_unit
    ]
    context = {
        "period": period,
        "totals_line": totals_line(data.total),
        "total": _line(_("Tổng cộng"), "total", data.total, reasons),
        "reasons": [_reason_label(code) for code in reasons],
        "by_form": by_form,
        "by_unit": by_unit,
    }
    context["voided_count"], context["voided"] = voided_ballots(period=period)
    return render(request, "surveys/stats/tracking.html", context)


def answer_distribution(
    *, period: Period, form: BallotForm, unit_id: int | None
) -> dict[int, dict[str, int]]:
    """Return {question number: {option code ("" = blank): count}} over the accepted round-1 ballots; one query."""
    answers = BallotAnswer.objects.filter(
        ballot__period=period, ballot__form=form, ballot__status=BallotStatus.ACCEPTED, ballot__entry_round=1
    )
    if unit_id:
        answers = answers.filter(ballot__unit_id=unit_id)
    result: dict[int, dict[str, int]] = {}
    for number, code, n in (
        answers.values("question__number", "option__code")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("question__number", "option__code", "n")
    ):
        result.setdefault(number, {})[code or ""] = n
    return result


@login_required
@require_GET
def statistics(request: HttpRequest, period_id: int) -> HttpResponse:
    """Charts: return rate per unit and form (bars); answer distribution per question for a form and unit (stacked)."""
    period = admin_period(request, period_id)
    table = tracking_table(period=period)
    forms = sorted(table.forms.values(), key=lambda f: (f.order, f.code))
    units = sorted(table.units.values(), key=lambda u: u.name)
    rates = {(r.unit_id, r.form_id): r.return_rate for r in table.tracking.rows}
    rate_chart = {
        "labels": [u.name for u in units],
        "datasets": [
            {
                "label": f.code,
                "data": [
                    str(rates[(u.pk, f.pk)]) if rates.get((u.pk, f.pk)) is not None else None for u in units
                ],
            }
            for f in forms
        ],
    }
    code = (request.GET.get("mau") or "").strip().upper()
    form = next((f for f in forms if f.code.upper() == code), forms[0] if forms else None)
    raw_unit = (request.GET.get("don_vi") or "").strip()
    unit_id = int(raw_unit) if raw_unit.isdigit() and int(raw_unit) in table.units else None
    distribution = answer_distribution(period=period, form=form, unit_id=unit_id) if form else {}
    numbers = sorted(distribution)
    codes = sorted({c for counts in distribution.values() for c in counts}, key=lambda c: (c == "", c))
    answer_chart = {
        "labels": [_("Câu %(n)s") % {"n": n} for n in numbers],
        "datasets": [
            {"label": c or _("Bỏ trống"), "data": [distribution[n].get(c, 0) for n in numbers]} for c in codes
        ],
    }
    context = {
        "period": period,
        "forms": forms,
        "form": form,
        "units": [u for u in units if form is None or u.group_id == form.target_group_id],
        "unit_id": unit_id,
        "rate_chart": rate_chart,
        "answer_chart": answer_chart,
        "rate_rows": [
            {"unit": u.name, "rates": [rate_vn(rates.get((u.pk, f.pk))) for f in forms]} for u in units
        ],
        "answer_rows": [
            {"label": label, "counts": [d["data"][i] for d in answer_chart["datasets"]]}
            for i, label in enumerate(answer_chart["labels"])
        ],
        "answer_codes": [d["label"] for d in answer_chart["datasets"]],
    }
    return render(request, "surveys/stats/statistics.html", context)
