"""What every app tells the results about: a change that moves them, and the freeze once they are published.

Scores, appraisals, ballots, SIPAS, not-applicable items and criteria live in three apps; the results are
computed in `reports`, above all of them. So the apps below announce a change with `results_changed_notify`
(a signal the reports app listens to, to recompute the period in the background), and ask
`results_frozen_check` before they change anything a published result was computed from.
"""

from __future__ import annotations

from django.dispatch import Signal
from django.utils.translation import gettext as _

from scoring.models import Assessment
from scoring.workflow import Status

# Sent inside the transaction that made the change, with period_id; receivers must be cheap and leave the
# heavy work to transaction.on_commit.
results_changed = Signal()


def results_changed_notify(*, period_id: int) -> None:
    """Tell the results that something they are computed from changed in the period."""
    results_changed.send(sender=Assessment, period_id=period_id)


class ResultsFrozen(Exception):
    """A change refused because a published result was computed from it; .message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


def published_unit_ids(*, period_id: int) -> set[int]:
    """Return the ids of the units whose result of the period is published (and not reopened)."""
    return set(
        Assessment.objects.filter(period_id=period_id, status=Status.PUBLISHED).values_list(
            "unit_id", flat=True
        )
    )


def results_frozen_check(
    *, period_id: int, unit_id: int | None = None, criteria_set_id: int | None = None
) -> None:
    """Refuse (ResultsFrozen) a change to what a published result of the period was computed from.

    With unit_id: a change to that unit only (its scores, ballots, SIPAS, exemptions). With criteria_set_id: a
    change to that criteria set (every unit scored on it). With neither: a change to the whole period.
    """
    published = Assessment.objects.filter(period_id=period_id, status=Status.PUBLISHED)
    if unit_id is not None:
        published = published.filter(unit_id=unit_id)
    if criteria_set_id is not None:
        published = published.filter(criteria_set_id=criteria_set_id)
    first = published.select_related("unit", "period").order_by("unit__name").first()
    if first is None:
        return
    if unit_id is not None:
        message = _(
            "Kết quả năm %(year)s của %(unit)s đã được công bố nên không thể thay đổi. Muốn sửa, Hội đồng "
            "thẩm định phải mở lại hồ sơ (có lý do) rồi ban hành quyết định sửa đổi."
        ) % {"year": first.period.year, "unit": first.unit.name}
    else:
        message = _(
            "Kết quả năm %(year)s đã được công bố (ví dụ: %(unit)s) nên không thể thay đổi dữ liệu dùng để "
            "tính kết quả. Muốn sửa, Hội đồng thẩm định phải mở lại hồ sơ (có lý do) rồi ban hành quyết định "
            "sửa đổi."
        ) % {"year": first.period.year, "unit": first.unit.name}
    raise ResultsFrozen(message)
