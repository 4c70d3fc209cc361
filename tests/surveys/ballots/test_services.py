"""Recording ballots: every refusal leaves nothing behind, every rejection is stored with its reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scoring.models import Period
from surveys.ballots.services import ballot_record
from surveys.design.services import question_create, sample_plan_set
from surveys.models import Ballot, BallotAnswer, BallotStatus, RejectReason
from surveys.stats.selectors import tracking_table
from tests.scoring.factories import PeriodFactory, UnitFactory, UnitGroupFactory
from tests.surveys.helpers import ballot, survey_period

ALL_A = {1: "A", 2: "A", 3: "A", 4: "A"}


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=2)


def record(survey, unit, number, answers=ALL_A, **kwargs):
    form = kwargs.pop("form", survey.form("M1"))
    return ballot_record(period=survey.period, form=form, unit=unit, number=number, answers=answers, **kwargs)


def test_a_complete_ballot_within_the_quota_is_accepted_with_its_answers(survey, unit, body_admin):
    made = record(
        survey, unit, "0001", {1: "A", 2: "b", 3: "C", 4: "E"}, actor=body_admin, respondent={"sex": "nữ"}
    )

    assert (made.status, made.reject_reason) == (BallotStatus.ACCEPTED, "")
    assert made.entered_by == body_admin
    assert made.respondent == {"sex": "nữ"}
    chosen = dict(BallotAnswer.objects.filter(ballot=made).values_list("question__number", "option__code"))
    assert chosen == {1: "A", 2: "B", 3: "C", 4: "E"}


def test_a_duplicate_number_is_refused_and_not_stored_twice(survey, unit):
    record(survey, unit, "0001")

    with pytest.raises(ValidationError, match="0001"):
        record(survey, unit, "0001", {1: "D", 2: "D", 3: "D", 4: "D"})

    assert Ballot.objects.filter(number="0001").count() == 1
    assert BallotAnswer.objects.count() == 4


def test_round_two_of_double_entry_may_repeat_a_round_one_number(survey, unit):
    record(survey, unit, "0001")

    second = record(survey, unit, "0001", entry_round=2)

    assert second.entry_round == 2
    assert Ballot.objects.accepted().count() == 1


@pytest.mark.parametrize(
    "answers",
    [{1: "A", 2: "A", 3: "A", 4: "F"}, {1: "A", 9: "A"}],
    ids=["unknown option", "unknown question"],
)
def test_an_unknown_option_or_question_is_refused_and_nothing_is_stored(survey, unit, answers):
    with pytest.raises(ValidationError):
        record(survey, unit, "0001", answers)

    assert not Ballot.objects.exists()


def test_a_form_of_another_period_is_refused(survey, unit, body):
    other_period = PeriodFactory(body=body, year=2025)

    with pytest.raises(ValidationError):
        ballot_record(period=other_period, form=survey.form("M1"), unit=unit, number="1", answers=ALL_A)

    assert not Ballot.objects.exists()


def test_an_incomplete_ballot_is_stored_rejected_with_its_answers(survey, unit):
    made = record(survey, unit, "0001", {1: "A", 2: "", 3: "B"})

    assert (made.status, made.reject_reason) == (BallotStatus.REJECTED, RejectReason.INCOMPLETE)
    assert made.answers.count() == 3
    assert made.reject_reason_label == "Trả lời không đầy đủ"


def test_a_ballot_about_a_unit_of_another_group_is_stored_rejected_as_wrong_form_or_unit(survey, body):
    district = UnitFactory(body=body, group=UnitGroupFactory(body=body, code="huyen"), code="phong-tho")

    made = record(survey, district, "0001")

    assert (made.status, made.reject_reason) == (BallotStatus.REJECTED, RejectReason.WRONG_FORM_OR_UNIT)


def test_ballots_beyond_the_issued_quota_are_stored_rejected_as_over_quota(survey, unit, other_unit):
    first, second = record(survey, unit, "1"), record(survey, unit, "2")
    third = record(survey, unit, "3")
    elsewhere = record(survey, other_unit, "4")

    assert [b.status for b in (first, second, elsewhere)] == [BallotStatus.ACCEPTED] * 3
    assert (third.status, third.reject_reason) == (BallotStatus.REJECTED, RejectReason.OVER_QUOTA)


def test_rejected_ballots_do_not_use_up_the_quota(survey, unit):
    record(survey, unit, "1", {1: "A"})  # incomplete

    assert record(survey, unit, "2").status == BallotStatus.ACCEPTED
    assert record(survey, unit, "3").status == BallotStatus.ACCEPTED
    assert record(survey, unit, "4").reject_reason == RejectReason.OVER_QUOTA


def test_every_rejection_reason_reaches_the_tracking_table(survey, unit, body):
    district = UnitFactory(body=body, group=UnitGroupFactory(body=body, code="huyen"), code="phong-tho")
    record(survey, unit, "1")
    record(survey, unit, "2")
    record(survey, unit, "3")  # over quota
    record(survey, unit, "4", {1: "A"})  # incomplete
    record(survey, district, "5")  # wrong form or unit
    with pytest.raises(ValidationError):
        record(survey, unit, "1")  # duplicate: refused, not counted

    total = tracking_table(period=survey.period).tracking.total

    assert total.accepted == 2
    assert total.rejected == {"over_quota": 1, "incomplete": 1, "wrong_form_or_unit": 1}
    assert total.returned == 5
    assert total.issued == 8  # 2 forms × 2 units × 2


def test_tracking_table_counts_round_one_only_and_names_units_and_forms(survey, unit):
    ballot(form=survey.form("M2"), unit=unit, number="1")
    ballot(form=survey.form("M2"), unit=unit, number="1", entry_round=2)

    table = tracking_table(period=survey.period)

    row = next(r for r in table.tracking.rows if r.unit_id == unit.pk and r.form_id == survey.form("M2").pk)
    assert (row.issued, row.returned, row.accepted) == (2, 1, 1)
    assert table.units[unit.pk].name == unit.name
    assert table.forms[row.form_id].code == "M2"


def test_question_create_gives_the_default_options_and_refuses_an_appraisal_item(survey):
    form = survey.form("M1")
    appraisal_item = survey.criteria_set.items.filter(method="appraisal").first()

    question = question_create(form=form, number=9, text="Câu mới", item=survey.survey_items[0])

    assert [(o.code, o.share) for o in question.options.order_by("code")] == [
        ("A", Decimal("1.000")),
        ("B", Decimal("0.600")),
        ("C", Decimal("0.200")),
        ("D", Decimal("0.000")),
    ]
    with pytest.raises(ValidationError):
        question_create(form=form, number=10, text="Sai", item=appraisal_item)


def test_sample_plan_set_updates_and_removes(survey, unit, body_admin):
    form = survey.form("M1")

    sample_plan_set(form=form, unit=unit, issued=30, actor=body_admin)
    assert form.sample_plans.get(unit=unit).issued == 30
    sample_plan_set(form=form, unit=unit, issued=0, actor=body_admin)
    assert not form.sample_plans.filter(unit=unit).exists()


def test_no_sample_plan_means_no_quota(survey, unit):
    survey.form("M1").sample_plans.all().delete()

    assert all(record(survey, unit, str(n)).status == BallotStatus.ACCEPTED for n in range(4))
    assert Period.objects.count() == 1
