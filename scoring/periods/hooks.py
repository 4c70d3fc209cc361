"""What a year's setup asks of the apps above scoring, which scoring may not import (scoring <- appraisal, surveys).

- ``period_copied``: sent inside period_create's transaction when a period is made from last year's. Each
  receiver copies what its app owns and returns ``{label: count}``; the result page shows every count. A
  receiver that raises rolls the whole creation back: a half-copied year is worse than none.
- ``register_appraiser_coverage``: appraisal tells, per period, which units and fields its appraisers cover.
  Until something registers nobody is covered: the checklist then refuses to open, it never lets through.
- ``register_setup_lines``: an app adds lines to the period's setup page: links to its own setup pages, and
  what is still missing there (shown with a link; they do not hold the opening back: the survey, for one, runs
  alongside self-assessment and may be set up after the period opens).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.dispatch import Signal

from scoring.models import Period, User

from .calc import Coverage

# Sent with source=Period (last year's), target=Period (the new one), actor=User | None.
period_copied = Signal()

_coverage: list[Callable[[Period], Coverage]] = []


@dataclass(frozen=True, slots=True)
class SetupLine:
    """A line an app adds to the setup page: a link to one of its pages, or (todo) something still missing."""

    text: str
    url: str
    todo: bool = False


_setup_lines: list[Callable[[Period], Sequence[SetupLine]]] = []


def register_setup_lines(query: Callable[[Period], Sequence[SetupLine]]) -> None:
    """Register a function returning an app's lines for the period's setup page (a fixed number of queries)."""
    if query not in _setup_lines:
        _setup_lines.append(query)


def setup_lines(period: Period) -> list[SetupLine]:
    """Return the lines every registered app adds to the period's setup page, in registration order."""
    return [line for query in _setup_lines for line in query(period)]


def register_appraiser_coverage(query: Callable[[Period], Coverage]) -> None:
    """Register a function returning the units and fields covered by the period's appraisers."""
    if query not in _coverage:
        _coverage.append(query)


def appraiser_coverage(period: Period) -> Coverage:
    """Return what every registered app says its appraisers cover in the period."""
    coverage = Coverage()
    for query in _coverage:
        coverage = coverage | query(period)
    return coverage


def copy_from(*, source: Period, target: Period, actor: User | None) -> dict[str, int]:
    """Return the counts per kind copied by the other apps' receivers."""
    counts: dict[str, int] = {}
    for _receiver, answer in period_copied.send(sender=Period, source=source, target=target, actor=actor):
        for label, count in (answer or {}).items():
            counts[str(label)] = counts.get(str(label), 0) + count
    return counts
