"""The states of an assessment and the moves between them; pure, no database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi")
    ROUND_1 = "round_1", _("Thẩm định vòng 1")
    EXPLANATION = "explanation", _("Giải trình")
    ROUND_2 = "round_2", _("Thẩm định vòng 2")
    COUNCIL_APPROVED = "council_approved", _("Hội đồng đã thông qua")
    PUBLISHED = "published", _("Đã công bố")


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
