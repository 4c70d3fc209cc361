"""The demo's 2026 sociological survey: six ballot forms, sample plans, ≈1,200 ballots and SIPAS, deterministic.

Who rates whom follows the typical six-form design (domain.md §5). Each form asks one question per survey item
of its target group's criteria set, except the SIPAS items (8.1.x), which take their points from SIPAS. Answers
are drawn from a fixed seed, leaning on a per-unit "quality" so that units differ believably; a few ballots are
rejected as in real life (over the quota, incomplete). Idempotent: a period that has ballot forms is left as is.
"""

from __future__ import annotations

import hashlib
import random
from decimal import Decimal

from scoring.models import CriteriaItem, CriteriaSet, Method, Period, Unit, User
from surveys.models import (
    DEFAULT_OPTIONS,
    AnswerOption,
    Ballot,
    BallotAnswer,
    BallotForm,
    BallotSource,
    BallotStatus,
    Question,
    RejectReason,
    SamplePlan,
    SipasConversion,
    SipasResult,
    SurveySettings,
)

from . import data as demo_data

SEED = 2026
NO_ANSWER = ("E", "Không biết/không trả lời")
SIPAS_ITEM_PREFIX = "8.1."
SIPAS_SOURCE = "Kết quả khảo sát SIPAS năm 2026 (minh họa)"

DISTRICTS, DEPARTMENTS = demo_data.DISTRICTS_GROUP[0], demo_data.DEPARTMENTS_GROUP[0]

# (code, name, respondent group, target group code, ballots issued per target unit)
FORMS = [
    ("M1", "Phiếu 1: đánh giá UBND cấp huyện", "Đại biểu HĐND tỉnh, lãnh đạo UBMTTQ tỉnh", DISTRICTS, 12),
    ("M2", "Phiếu 2: đánh giá sở, ban, ngành", "Đại biểu HĐND tỉnh, lãnh đạo UBMTTQ tỉnh", DEPARTMENTS, 12),
    ("M3", "Phiếu 3: đánh giá UBND cấp huyện", "Lãnh đạo sở, ban, ngành", DISTRICTS, 18),
    ("M4", "Phiếu 4: đánh giá sở, ban, ngành", "Lãnh đạo UBND cấp huyện", DEPARTMENTS, 10),
    ("M5", "Phiếu 5: đánh giá sở, ban, ngành", "Trưởng phòng chuyên môn cấp huyện", DEPARTMENTS, 18),
    ("M6", "Phiếu 6: đánh giá UBND cấp huyện", "Lãnh đạo UBND cấp xã", DISTRICTS, 25),
]

# Form × unit pairs where one ballot too many came back (kept, rejected over the quota), as in Lai Châu 2020.
OVER_QUOTA = [("M1", 0), ("M4", 2), ("M6", 5)]
# Form × unit pairs with one ballot missing answers (kept, rejected as incomplete).
INCOMPLETE = [("M3", 1), ("M5", 4)]
# Roughly 2 % of issued ballots do not come back.
NOT_RETURNED_EVERY = 50

GENDERS = ("Nam", "Nữ")
AGE_GROUPS = ("Dưới 35", "35–45", "46–55", "Trên 55")


def _quality(unit: Unit) -> float:
    """Return a stable 0.55–0.95 level of how well the unit is rated (from its code, not from run order)."""
    digest = hashlib.sha256(unit.code.encode()).digest()
    return 0.55 + (digest[0] / 255) * 0.40


def _answer(rng: random.Random, quality: float) -> str:
    draw = rng.random()
    if draw < 0.03:
        return NO_ANSWER[0]
    draw = rng.random()
    if draw < quality * 0.75:
        return "A"
    if draw < quality * 0.75 + 0.22:
        return "B"
    if draw < 0.97:
        return "C"
    return "D"


def _survey_items(period: Period, group_code: str) -> list[CriteriaItem]:
    criteria_set = CriteriaSet.objects.get(
        period=period, unit_group__body=period.body, unit_group__code=group_code
    )
    return list(
        CriteriaItem.objects.filter(criteria_set=criteria_set, method=Method.SURVEY)
        .scored()
        .order_by("order", "pk")
    )


def _forms(period: Period) -> dict[str, tuple[BallotForm, list[Question]]]:
    groups = {g: _survey_items(period, g) for g in (DISTRICTS, DEPARTMENTS)}
    created: dict[str, tuple[BallotForm, list[Question]]] = {}
    for order, (code, name, respondents, group_code, _issued) in enumerate(FORMS, start=1):
        items = [i for i in groups[group_code] if not i.code.startswith(SIPAS_ITEM_PREFIX)]
        form = BallotForm.objects.create(
            period=period,
            code=code,
            name=name,
            respondent_group=respondents,
            target_group=items[0].criteria_set.unit_group,
            order=order,
        )
        questions = Question.objects.bulk_create(
            Question(
                form=form,
                number=number,
                text=f"Ông/Bà đánh giá thế nào về: {item.name[0].lower()}{item.name[1:]}?",
                item=item,
                order=number,
            )
            for number, item in enumerate(items, start=1)
        )
        AnswerOption.objects.bulk_create(
            [
                *(
                    AnswerOption(question=q, code=c, label=label, share=share)
                    for q in questions
                    for c, label, share in DEFAULT_OPTIONS
                ),
                *(
                    AnswerOption(
                        question=q, code=NO_ANSWER[0], label=NO_ANSWER[1], share=Decimal(0), counts=False
                    )
                    for q in questions
                ),
            ]
        )
        created[code] = (form, questions)
    return created


def _ballots(
    period: Period,
    forms: dict[str, tuple[BallotForm, list[Question]]],
    units: dict[str, list[Unit]],
    actor: User,
) -> int:
    rng = random.Random(SEED)
    options = {
        (o.question_id, o.code): o.pk for o in AnswerOption.objects.filter(question__form__period=period)
    }
    plans: list[SamplePlan] = []
    ballots: list[Ballot] = []
    answers: list[tuple[int, list[tuple[int, str]]]] = []  # (ballot index, [(question id, option code)])
    returned_count = 0
    for code, _name, _respondents, group_code, issued in FORMS:
        form, questions = forms[code]
        number = 0
        for index, unit in enumerate(units[group_code]):
            plans.append(SamplePlan(form=form, unit=unit, issued=issued))
            quality = _quality(unit)
            returned = issued + (1 if (code, index) in OVER_QUOTA else 0)
            for n in range(returned):
                returned_count += 1
                if returned_count % NOT_RETURNED_EVERY == 0 and (code, index) not in OVER_QUOTA:
                    continue  # lost in the post: issued, never returned
                number += 1
                status, reason = BallotStatus.ACCEPTED, ""
                chosen = [(q.pk, _answer(rng, quality)) for q in questions]
                if n >= issued:
                    status, reason = BallotStatus.REJECTED, RejectReason.OVER_QUOTA
                elif (code, index) in INCOMPLETE and n == 0:
                    status, reason = BallotStatus.REJECTED, RejectReason.INCOMPLETE
                    chosen = chosen[: len(chosen) // 2]
                ballots.append(
                    Ballot(
                        period=period,
                        form=form,
                        unit=unit,
                        number=f"{code}-{number:04d}",
                        respondent={"gender": rng.choice(GENDERS), "age_group": rng.choice(AGE_GROUPS)},
                        status=status,
                        reject_reason=reason,
                        entered_by=actor,
                        source=BallotSource.ENTRY,
                    )
                )
                answers.append((len(ballots) - 1, chosen))
    SamplePlan.objects.bulk_create(plans)
    created = Ballot.objects.bulk_create(ballots, batch_size=500)
    BallotAnswer.objects.bulk_create(
        (
            BallotAnswer(ballot_id=created[i].pk, question_id=q, option_id=options[(q, c)])
            for i, chosen in answers
            for q, c in chosen
        ),
        batch_size=2000,
    )
    return len(created)


def _sipas(period: Period, units: dict[str, list[Unit]]) -> None:
    """SIPAS for every evaluated unit, and its conversion into the 8.1.x items of both criteria sets."""
    rng = random.Random(SEED + 1)
    results = []
    for unit in (*units[DISTRICTS], *units[DEPARTMENTS]):
        base = Decimal(str(round(60 + _quality(unit) * 35, 1)))
        components = {
            name: min(Decimal(100), max(Decimal(0), base + Decimal(rng.randint(-60, 60)) / 10))
            for name in ("access_pct", "procedures_pct", "civil_servants_pct", "results_pct")
        }
        # Handling of feedback is the weak spot everywhere (Mường Tè 2022: 18,67 %).
        components["feedback_pct"] = Decimal(rng.randint(150, 700)) / 10
        results.append(
            SipasResult(period=period, unit=unit, overall_pct=base, source=SIPAS_SOURCE, **components)
        )
    SipasResult.objects.bulk_create(results)
    items = [
        i
        for g in (DISTRICTS, DEPARTMENTS)
        for i in _survey_items(period, g)
        if i.code.startswith(SIPAS_ITEM_PREFIX)
    ]
    SipasConversion.objects.bulk_create(SipasConversion(period=period, item=i) for i in items)


def demo_survey_load(*, period: Period, actor: User) -> int:
    """Create the period's demo survey unless it has ballot forms already; return the number of ballots created."""
    if BallotForm.objects.filter(period=period).exists():
        return 0
    SurveySettings.objects.get_or_create(period=period)
    units = {
        g: list(Unit.objects.filter(body=period.body, group__code=g).order_by("name", "pk"))
        for g in (DISTRICTS, DEPARTMENTS)
    }
    forms = _forms(period)
    count = _ballots(period, forms, units, actor)
    _sipas(period, units)
    return count
