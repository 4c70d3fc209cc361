"""What the home page says about a deadline and a dossier's next step; pure, no database."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Countdown:
    """How far a deadline is: whole days left (counted up, so 2 h left is "1 day"), or how late."""

    days_left: int
    overdue: bool
    urgent: bool  # three days or fewer: the page shows it in the warning colour

    @property
    def days(self) -> int:
        """Days left, or days late once overdue."""
        return abs(self.days_left)


def countdown(deadline: datetime | None, now: datetime) -> Countdown | None:
    if deadline is None:
        return None
    remaining = deadline - now
    if remaining < timedelta(0):
        late_days = math.ceil(-remaining / timedelta(days=1))
        return Countdown(days_left=-late_days, overdue=True, urgent=True)
    days = math.ceil(remaining / timedelta(days=1))
    return Countdown(days_left=days, overdue=False, urgent=days <= 3)


class UnitStep:
    """The next step of a unit's dossier, by its state; the template words each one."""

    START = "start"  # not opened yet
    SCORE = "score"  # items left to score
    SUBMIT = "submit"  # every item scored: check and submit
    WAIT_APPRAISAL = "wait_appraisal"  # submitted, the appraisers are at work
    EXPLAIN = "explain"  # round 1 sent: answer the appraisers
    WAIT_COUNCIL = "wait_council"  # round 2 / council
    DONE = "done"  # approved or published


# The stored values of scoring.workflow.Status, which calc may not import (it carries Django's labels).
_STEP_BY_STATUS = {
    "submitted": UnitStep.WAIT_APPRAISAL,
    "round_1": UnitStep.WAIT_APPRAISAL,
    "explanation": UnitStep.EXPLAIN,
    "round_2": UnitStep.WAIT_COUNCIL,
}


def unit_step(status: str | None, *, scored: int, applicable: int) -> str:
    if status is None:
        return UnitStep.START
    if status == "self_assessment":
        return UnitStep.SCORE if scored < applicable else UnitStep.SUBMIT
    return _STEP_BY_STATUS.get(status, UnitStep.DONE)
