"""The states of an assessment and the moves between them; pure, no database."""

from __future__ import annotations

from enum import StrEnum

# Labels only: the translation machinery, not the database (import-linter keeps workflow off django.db).
from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    """An assessment's state; a plain enum with the TextChoices surface (label, values, choices)."""

    SELF_ASSESSMENT = "self_assessment"
    SUBMITTED = "submitted"
    ROUND_1 = "round_1"
    EXPLANATION = "explanation"
    ROUND_2 = "round_2"
    COUNCIL_APPROVED = "council_approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.SELF_ASSESSMENT: _("Đang tự đánh giá"),
    Status.SUBMITTED: _("Đã gửi"),
    Status.ROUND_1: _("Thẩm định vòng 1"),
    Status.EXPLANATION: _("Giải trình"),
    Status.ROUND_2: _("Thẩm định vòng 2"),
    Status.COUNCIL_APPROVED: _("Hội đồng đã thông qua"),
    Status.PUBLISHED: _("Đã công bố"),
}
Status.values = [s.value for s in Status]
Status.choices = [(s.value, _LABELS[s]) for s in Status]


S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SELF_ASSESSMENT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.ROUND_1, S.SELF_ASSESSMENT}),  # back to self-assessment = withdrawal
    S.ROUND_1: frozenset({S.EXPLANATION}),
    S.EXPLANATION: frozenset({S.ROUND_2}),
    S.ROUND_2: frozenset({S.COUNCIL_APPROVED}),
    S.COUNCIL_APPROVED: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset(),
}

# The unit may change its self-assessment only in this state; everything after is the council's.
EDITABLE_STATUSES = frozenset({S.SELF_ASSESSMENT})


class TransitionError(Exception):
    """A move the workflow does not allow; the message is for the user, in Vietnamese."""


def check_transition(current: str, target: str) -> None:
    """Raise TransitionError unless an assessment may move from current to target."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            _("Không thể chuyển hồ sơ từ trạng thái «%(current)s» sang «%(target)s».")
            % {"current": Status(current).label, "target": Status(target).label}
        )
