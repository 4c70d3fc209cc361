"""The states of an assessment and the moves between them; pure, no database."""

from __future__ import annotations

from collections.abc import Iterable
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
    # Round 1 → round 2 directly: nothing to explain, on the administrator's word; → self-assessment: returned.
    S.ROUND_1: frozenset({S.EXPLANATION, S.ROUND_2, S.SELF_ASSESSMENT}),
    S.EXPLANATION: frozenset({S.ROUND_2}),
    S.ROUND_2: frozenset(
        {S.COUNCIL_APPROVED, S.EXPLANATION}
    ),  # back to explanation = returned for correction
    S.COUNCIL_APPROVED: frozenset({S.PUBLISHED, S.ROUND_2}),  # back to round 2 = the council returns it
    # Published is final until the council reopens the dossier (with a reason) to correct it; the published
    # figures stay those of the decision in force until an amending decision publishes the corrected ones.
    S.PUBLISHED: frozenset({S.ROUND_2}),
}


class Role(StrEnum):
    """Role codes as stored in scoring.models.Role (repeated here: the workflow may not import models)."""

    BODY_ADMIN = "body_admin"
    UNIT_OFFICER = "unit_officer"
    UNIT_HEAD = "unit_head"
    APPRAISER = "appraiser"
    COUNCIL_MEMBER = "council_member"
    VIEWER = "viewer"


Role.values = [r.value for r in Role]

R = Role
# Who may make each move. Council members and viewers make none: the council's decision is recorded by the
# administrator (council_meeting_record), so that every move has one accountable actor.
TRANSITION_ROLES: dict[tuple[str, str], frozenset[str]] = {
    (S.SELF_ASSESSMENT, S.SUBMITTED): frozenset({R.UNIT_HEAD}),
    (S.SUBMITTED, S.SELF_ASSESSMENT): frozenset({R.UNIT_HEAD}),
    (S.SUBMITTED, S.ROUND_1): frozenset({R.BODY_ADMIN, R.APPRAISER}),
    (S.ROUND_1, S.EXPLANATION): frozenset({R.BODY_ADMIN}),
    (S.ROUND_1, S.ROUND_2): frozenset({R.BODY_ADMIN}),
    (S.ROUND_1, S.SELF_ASSESSMENT): frozenset({R.BODY_ADMIN}),
    (S.EXPLANATION, S.ROUND_2): frozenset({R.UNIT_HEAD, R.BODY_ADMIN}),
    (S.ROUND_2, S.EXPLANATION): frozenset({R.BODY_ADMIN}),
    (S.ROUND_2, S.COUNCIL_APPROVED): frozenset({R.BODY_ADMIN}),
    (S.COUNCIL_APPROVED, S.ROUND_2): frozenset({R.BODY_ADMIN}),
    (S.COUNCIL_APPROVED, S.PUBLISHED): frozenset({R.BODY_ADMIN}),
    # The council's reopening, recorded by the administrator like every council decision.
    (S.PUBLISHED, S.ROUND_2): frozenset({R.BODY_ADMIN}),
}

# The moves that send a dossier back: each must say why, so that the unit (or the appraisers) know what to fix.
REASON_REQUIRED: frozenset[tuple[str, str]] = frozenset(
    {
        (S.ROUND_1, S.SELF_ASSESSMENT),
        (S.ROUND_2, S.EXPLANATION),
        (S.COUNCIL_APPROVED, S.ROUND_2),
        (S.PUBLISHED, S.ROUND_2),
    }
)

# The unit may change its self-assessment only in this state; everything after is the council's.
EDITABLE_STATUSES = frozenset({S.SELF_ASSESSMENT})


class TransitionError(Exception):
    """A move the workflow does not allow; the message is for the user, in Vietnamese."""


def check_transition(current: str, target: str, roles: Iterable[str] | None = None) -> None:
    """Raise TransitionError unless an assessment may move from current to target (by one of `roles`, if given)."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            _("Không thể chuyển hồ sơ từ trạng thái «%(current)s» sang «%(target)s».")
            % {"current": Status(current).label, "target": Status(target).label}
        )
    if roles is None:
        return
    if not TRANSITION_ROLES.get((current, target), frozenset()) & set(roles):
        raise TransitionError(
            _("Bạn không có quyền chuyển hồ sơ từ trạng thái «%(current)s» sang «%(target)s».")
            % {"current": Status(current).label, "target": Status(target).label}
        )


def status_at_least(status: str, floor: str) -> bool:
    """Return whether the status is floor or later in the yearly cycle."""
    order = [s.value for s in Status]
    return order.index(status) >= order.index(floor)
