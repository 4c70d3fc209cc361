"""Where each survey setting is fixed, and the lines the survey adds to the period's setup page (scoring.periods)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from scoring.models import Period
from scoring.periods.hooks import SetupLine

from . import calc, selectors
from .texts import problem_text

_FIX_PAGES = {
    calc.FORMS: "surveys:form_list",
    calc.PLAN: "surveys:sample_plan",
    calc.SIPAS: "surveys:sipas_conversions",
    calc.SIPAS_RESULTS: "surveys:sipas_results",
}


def problem_url(problem: calc.Problem, period: Period) -> str:
    """Return the page that fixes the problem."""
    return reverse(_FIX_PAGES[problem.kind], args=[period.pk])


def setup_lines(period: Period) -> list[SetupLine]:
    """Return the survey's links and what it still lacks, for the period's setup page (three queries).

    SIPAS results are left out there: they are entered when the national survey publishes them, months after the
    year is set up; the survey settings page shows them.
    """
    problems = calc.settings_problems(selectors.settings_inputs(period=period, with_sipas_results=False))
    return [
        SetupLine(_("Cài đặt điều tra xã hội học"), reverse("surveys:settings", args=[period.pk])),
        SetupLine(_("Quy đổi điểm từ SIPAS"), reverse("surveys:sipas_conversions", args=[period.pk])),
        *(SetupLine(problem_text(p), problem_url(p, period), todo=True) for p in problems),
    ]
