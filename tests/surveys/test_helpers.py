from decimal import Decimal

from surveys.models import Ballot, BallotAnswer
from tests.surveys.helpers import ballot, survey_period


def test_survey_period_builds_two_forms_with_a_question_per_survey_item(departments, unit, other_unit):
    survey = survey_period(unit_group=departments, issued=5)

    assert [f.code for f in survey.forms] == ["M1", "M2"]
    assert len(survey.survey_items) == 4
    assert all(len(qs) == 4 for qs in survey.questions.values())
    assert survey.form("M1").sample_plans.count() == 2
    first = survey.questions["M1"][0]
    assert [(o.code, o.share, o.counts) for o in first.options.order_by("code")][0] == (
        "A",
        Decimal("1.000"),
        True,
    )


def test_ballot_stores_one_answer_per_question(departments, unit):
    survey = survey_period(unit_group=departments)

    made = ballot(form=survey.form("M1"), unit=unit, answers={1: "A", 2: "B", 3: None})

    assert Ballot.objects.accepted().count() == 1
    assert BallotAnswer.objects.filter(ballot=made).count() == 3
