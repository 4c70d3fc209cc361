"""The home page's countdown and next step: pure, no database."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scoring.home.calc import UnitStep, countdown, unit_step
from scoring.workflow import Status

NOW = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)


def test_no_deadline_no_countdown():
    assert countdown(None, NOW) is None


def test_part_of_a_day_counts_as_a_day_left():
    left = countdown(NOW + timedelta(hours=2), NOW)
    assert (left.days_left, left.overdue, left.urgent) == (1, False, True)


def test_three_days_is_urgent_four_is_not():
    assert countdown(NOW + timedelta(days=3), NOW).urgent
    assert not countdown(NOW + timedelta(days=3, seconds=1), NOW).urgent


def test_overdue_counts_days_late():
    late = countdown(NOW - timedelta(days=1, hours=1), NOW)
    assert (late.days_left, late.days, late.overdue) == (-2, 2, True)


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_countdown_is_never_zero_days_and_overdue_iff_past(seconds):
    result = countdown(NOW + timedelta(seconds=seconds), NOW)
    assert result.overdue == (seconds < 0)
    assert result.days >= (0 if seconds == 0 else 1)
    assert result.days_left * timedelta(days=1) >= timedelta(seconds=seconds) or result.overdue


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=500))
def test_self_assessment_step_is_score_until_every_item_is_scored(scored, applicable):
    step = unit_step(Status.SELF_ASSESSMENT, scored=scored, applicable=applicable)
    assert step == (UnitStep.SCORE if scored < applicable else UnitStep.SUBMIT)


def test_steps_follow_the_dossier_state():
    assert unit_step(None, scored=0, applicable=5) == UnitStep.START
    assert unit_step(Status.SUBMITTED, scored=5, applicable=5) == UnitStep.WAIT_APPRAISAL
    assert unit_step(Status.ROUND_1, scored=5, applicable=5) == UnitStep.WAIT_APPRAISAL
    assert unit_step(Status.EXPLANATION, scored=5, applicable=5) == UnitStep.EXPLAIN
    assert unit_step(Status.ROUND_2, scored=5, applicable=5) == UnitStep.WAIT_COUNCIL
    assert unit_step(Status.COUNCIL_APPROVED, scored=5, applicable=5) == UnitStep.DONE
    assert unit_step(Status.PUBLISHED, scored=5, applicable=5) == UnitStep.DONE


def test_every_workflow_status_has_a_step():
    steps = {unit_step(s.value, scored=1, applicable=1) for s in Status}
    assert steps == {
        UnitStep.SUBMIT,
        UnitStep.WAIT_APPRAISAL,
        UnitStep.EXPLAIN,
        UnitStep.WAIT_COUNCIL,
        UnitStep.DONE,
    }
