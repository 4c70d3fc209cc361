"""Builders for the survey tests: a period with survey items, two ballot forms and sample plans; accepted ballots.

Shared by the service, selector, import, page and integration tests; keep the names and signatures stable.
Everything here writes straight to the database on purpose (fast set-up); the service tests drive the services.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from scoring.models import CriteriaItem, CriteriaSet, Method, Period, Unit, UnitGroup, User
from surveys.double_entry.calc import answers_key
from surveys.models import (
    DEFAULT_OPTIONS,
    AnswerOption,
    Ballot,
    BallotAnswer,
    BallotForm,
    BallotSource,
    BallotStatus,
    Question,
    SamplePlan,
)
from tests.scoring.assessment_helpers import DEFAULT_YEAR, build_criteria_set, leaf_items
from tests.scoring.factories import PeriodFactory

NO_ANSWER_CODE = "E"
_numbers = itertools.count(1)


@dataclass
class SurveyPeriod:
    period: Period
    criteria_set: CriteriaSet
    survey_items: list[CriteriaItem]
    forms: list[BallotForm]
    units: list[Unit]
    questions: dict[str, list[Question]] = field(default_factory=dict)  # form code → questions by number

    def form(self, code: str) -> BallotForm:
        return next(f for f in self.forms if f.code == code)


def add_question(
    *,
    form: BallotForm,
    number: int,
    item: CriteriaItem,
    text: str = "",
    no_answer: bool = True,
) -> Question:
    """Return a question on the item with the default options A–D (and E "no answer", not counted)."""
    question = Question.objects.create(
        form=form, number=number, item=item, text=text or f"Đánh giá về {item.name}", order=number
    )
    options = [
        AnswerOption(question=question, code=code, label=label, share=share)
        for code, label, share in DEFAULT_OPTIONS
    ]
    if no_answer:
        options.append(
            AnswerOption(
                question=question,
                code=NO_ANSWER_CODE,
                label="Không biết/không trả lời",
                share=Decimal(0),
                counts=False,
            )
        )
    AnswerOption.objects.bulk_create(options)
    return question


def survey_period(
    *,
    unit_group: UnitGroup,
    units: Sequence[Unit] | None = None,
    period: Period | None = None,
    issued: int = 10,
    form_codes: Sequence[str] = ("M1", "M2"),
    max_points: Decimal = Decimal("1.00"),
) -> SurveyPeriod:
    """Return a period (2026 unless given) whose criteria set for the group has survey items, with forms and plans.

    The criteria set is 2 fields × 2 criteria × 2 sub-criteria, every second leaf a survey item (4 survey items,
    each worth max_points); an existing set for the group is reused. Each form (M1, M2) targets the group and has
    one question per survey item (numbers 1..n in tree order) with options A 1.00, B 0.60, C 0.20, D 0.00 and
    E "no answer" (not counted). Each form × unit has a sample plan of `issued` ballots. `units` defaults to the
    group's units.
    """
    if period is None:
        period = Period.objects.filter(body=unit_group.body, year=DEFAULT_YEAR).first() or PeriodFactory(
            body=unit_group.body, year=DEFAULT_YEAR
        )
    criteria_set = CriteriaSet.objects.filter(period=period, unit_group=unit_group).first()
    if criteria_set is None:
        criteria_set = build_criteria_set(
            period=period, unit_group=unit_group, survey_every=2, max_points=max_points
        )
    survey_items = [i for i in leaf_items(criteria_set) if i.method == Method.SURVEY]
    units = list(units) if units is not None else list(unit_group.units.order_by("code"))
    result = SurveyPeriod(
        period=period, criteria_set=criteria_set, survey_items=survey_items, forms=[], units=units
    )
    for order, code in enumerate(form_codes, start=1):
        form = BallotForm.objects.create(
            period=period,
            code=code,
            name=f"Phiếu {code}: đánh giá {unit_group.name}",
            respondent_group="Đại biểu HĐND tỉnh, lãnh đạo UBMTTQ"
            if order == 1
            else "Lãnh đạo UBND cấp huyện",
            target_group=unit_group,
            order=order,
        )
        result.forms.append(form)
        result.questions[code] = [
            add_question(form=form, number=n, item=item) for n, item in enumerate(survey_items, start=1)
        ]
        SamplePlan.objects.bulk_create([SamplePlan(form=form, unit=u, issued=issued) for u in units])
    return result


def ballot(
    *,
    form: BallotForm,
    unit: Unit,
    answers: Mapping[int, str | None] | str | None = "A",
    number: str | None = None,
    status: str = BallotStatus.ACCEPTED,
    reject_reason: str = "",
    entry_round: int = 1,
    source: str = BallotSource.ENTRY,
    respondent: Mapping | None = None,
    entered_by: User | None = None,
) -> Ballot:
    """Return one ballot (accepted unless told) written straight, with answers.

    `answers` is one option code for every question of the form, or {question number: option code or None}
    (None = left blank; questions not in the mapping get no answer row).
    """
    questions = list(form.questions.prefetch_related("options"))
    if isinstance(answers, str) or answers is None:
        chosen: Mapping[int, str | None] = {q.number: answers for q in questions}
    else:
        chosen = answers
    rows = []
    for question in questions:
        if question.number not in chosen:
            continue
        code = chosen[question.number]
        option = next(o for o in question.options.all() if o.code == code) if code else None
        rows.append(BallotAnswer(question=question, option=option))
    created = Ballot.objects.create(
        # Written like the services do, so the reconciliation page compares these ballots as it would real ones.
        answers_key=answers_key((r.question_id, r.option_id) for r in rows),
        period_id=form.period_id,
        form=form,
        unit=unit,
        number=number or f"{form.code}-{next(_numbers):06d}",
        respondent=dict(respondent or {}),
        status=status,
        reject_reason=reject_reason,
        entered_by=entered_by,
        source=source,
        entry_round=entry_round,
    )
    for row in rows:
        row.ballot = created
    BallotAnswer.objects.bulk_create(rows)
    return created
