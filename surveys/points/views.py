"""Survey points page: the formula in force for the period, each unit's points per survey item, and the ballots
behind one point (issue 5 point 4: the formula is shown, configurable per period, each point traceable)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from scoring.calc import quantize_score
from scoring.formatting import format_number
from scoring.models import CriteriaItem, Method, Period, Unit, UnitGroup

from .. import calc
from ..access import admin_period
from ..models import Aggregation, BallotAnswer, BallotForm, BallotStatus, SipasConversion
from .selectors import survey_aggregation, survey_item_points, survey_points

BALLOT_MEAN_TEXT = gettext_lazy(
    "Điểm = trung bình trên các phiếu hợp lệ của (tỷ lệ điểm của phương án được chọn × điểm tối đa của tiêu chí)"
)
GROUP_WEIGHTED_TEXT = gettext_lazy(
    "Điểm = trung bình có trọng số của các mẫu phiếu; trong mỗi mẫu phiếu: trung bình trên các phiếu hợp lệ "
    "của (tỷ lệ điểm của phương án được chọn × điểm tối đa của tiêu chí)"
)


def formula_context(*, period: Period) -> dict:
    """Return the formula in force, the form weights (group_weighted) and where an admin changes it."""
    aggregation = survey_aggregation(period=period)
    # The body administrator changes it on the survey settings page, not in the operators' Django admin.
    change_url = reverse("surveys:settings", args=[period.pk])
    weights = []
    if aggregation == Aggregation.GROUP_WEIGHTED:
        weights = [
            (f"{form.code}. {form.name}", format_number(form.group_weight))
            for form in BallotForm.objects.filter(period=period).order_by("order", "code")
        ]
    return {
        "aggregation": aggregation,
        "aggregation_label": Aggregation(aggregation).label,
        "formula": GROUP_WEIGHTED_TEXT if aggregation == Aggregation.GROUP_WEIGHTED else BALLOT_MEAN_TEXT,
        "weights": weights,
        "settings_url": change_url,
    }


@dataclass(frozen=True, slots=True)
class PointRow:
    item: CriteriaItem
    max_points: str
    answers: int | None
    points: str
    from_sipas: bool


def _survey_items(*, period: Period) -> dict[int, list[CriteriaItem]]:
    """Return the period's scored survey items per unit group, in the criteria set's order. One query."""
    by_group: dict[int, list[CriteriaItem]] = defaultdict(list)
    items = (
        CriteriaItem.objects.scored()
        .filter(criteria_set__period=period, method=Method.SURVEY)
        .select_related("criteria_set")
        .order_by("criteria_set", "order")
    )
    for item in items:
        by_group[item.criteria_set.unit_group_id].append(item)
    return by_group


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def points(request: HttpRequest, period_id: int) -> HttpResponse:
    """Show the formula and, per unit, the survey points of each survey item (filter by group and unit)."""
    period = admin_period(request, period_id)
    groups = list(UnitGroup.objects.filter(body=period.body))
    group_id = _int_or_none(request.GET.get("nhom"))
    unit_id = _int_or_none(request.GET.get("don_vi"))
    units_qs = Unit.objects.filter(body=period.body).select_related("group")
    if group_id:
        units_qs = units_qs.filter(group_id=group_id)
    all_units = list(units_qs)
    units = [u for u in all_units if u.pk == unit_id] if unit_id else all_units
    items_by_group = _survey_items(period=period)
    item_points = survey_item_points(period=period)
    answers = survey_points(period=period).answers
    sipas_items = set(SipasConversion.objects.filter(period=period).values_list("item_id", flat=True))
    tables = []
    for unit in units:
        rows = []
        for item in items_by_group.get(unit.group_id, []):
            value = item_points.get(unit.pk, {}).get(item.pk)
            from_sipas = item.pk in sipas_items
            rows.append(
                PointRow(
                    item=item,
                    max_points=format_number(item.max_points),
                    answers=None if from_sipas else answers.get((unit.pk, item.pk)),
                    points="—" if value is None else format_number(value),
                    from_sipas=from_sipas,
                )
            )
        if rows:
            tables.append((unit, rows))
    context = {
        "period": period,
        "groups": groups,
        "filter_units": all_units,
        "group_id": group_id,
        "unit_id": unit_id,
        "tables": tables,
        **formula_context(period=period),
    }
    return render(request, "surveys/points/points.html", context)


@dataclass(frozen=True, slots=True)
class BallotLine:
    number: str
    form: str
    question: str
    option: str
    share: str
    counts: bool


@login_required
@require_GET
def points_ballots(request: HttpRequest, period_id: int, unit_id: int, item_id: int) -> HttpResponse:
    """List the accepted first-round ballots behind one unit's point on one survey item, and the computation."""
    period = admin_period(request, period_id)
    unit = Unit.objects.filter(pk=unit_id, body=period.body).first()
    item = CriteriaItem.objects.filter(pk=item_id, criteria_set__period=period, method=Method.SURVEY).first()
    if unit is None or item is None:
        raise Http404
    answers = list(
        BallotAnswer.objects.filter(
            ballot__period=period,
            ballot__unit=unit,
            ballot__status=BallotStatus.ACCEPTED,
            ballot__entry_round=1,
            question__item=item,
        )
        .select_related("ballot__form", "question", "option")
        .order_by("ballot__form__order", "ballot__form__code", "ballot__number", "question__number")
    )
    lines = [
        BallotLine(
            number=a.ballot.number,
            form=a.ballot.form.code,
            question=f"{a.question.number}. {a.question.text}",
            option=f"{a.option.code}. {a.option.label}" if a.option else "—",
            share=format_number(a.option.share, 3) if a.option else "—",
            counts=bool(a.option and a.option.counts),
        )
        for a in answers
    ]
    counting = [a for a in answers if a.option and a.option.counts]
    # The same computation as the selector, fed with these answers, so the page shows what the totals use.
    questions = {
        a.question_id: calc.QuestionInput(
            question_id=a.question_id, form_id=a.question.form_id, item_id=item.pk, max_points=item.max_points
        )
        for a in counting
    }
    tallies = [
        calc.AnswerTally(
            unit_id=unit.pk,
            form_id=a.question.form_id,
            question_id=a.question_id,
            answered=1,
            share_sum=a.option.share,
        )
        for a in counting
    ]
    aggregation = survey_aggregation(period=period)
    weights = dict(BallotForm.objects.filter(period=period).values_list("pk", "group_weight"))
    result = calc.item_points_from_tallies(tallies, questions, aggregation, weights).points.get(
        (unit.pk, item.pk)
    )
    by_form: dict[str, list[Decimal]] = defaultdict(list)
    for a in counting:
        by_form[f"{a.ballot.form.code}|{a.question.form_id}"].append(a.option.share)
    steps = []
    if aggregation == Aggregation.GROUP_WEIGHTED:
        for key, shares in by_form.items():
            code, form_id = key.split("|")
            form_points = quantize_score(sum(shares, Decimal(0)) / len(shares) * item.max_points)
            steps.append(
                _("%(form)s: %(sum)s / %(n)s × %(max)s = %(points)s (trọng số %(weight)s)")
                % {
                    "form": code,
                    "sum": format_number(sum(shares, Decimal(0)), 3),
                    "n": len(shares),
                    "max": format_number(item.max_points),
                    "points": format_number(form_points),
                    "weight": format_number(weights.get(int(form_id), Decimal(1))),
                }
            )
    elif counting:
        share_sum = sum((a.option.share for a in counting), Decimal(0))
        steps.append(
            _("%(sum)s / %(n)s × %(max)s = %(points)s")
            % {
                "sum": format_number(share_sum, 3),
                "n": len(counting),
                "max": format_number(item.max_points),
                "points": format_number(result) if result is not None else "—",
            }
        )
    context = {
        "period": period,
        "unit": unit,
        "item": item,
        "lines": lines,
        "counting": len(counting),
        "steps": steps,
        "result": "—" if result is None else format_number(result),
        "from_sipas": SipasConversion.objects.filter(period=period, item=item).exists(),
        **formula_context(period=period),
    }
    return render(request, "surveys/points/points_ballots.html", context)
