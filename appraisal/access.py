"""Who may open which appraisal page, and which buttons they see.

Nothing here decides a rule of the appraisal: every change goes through appraisal.rounds.services, which
refuses what is not allowed. This module only chooses what to show and returns 404 to anyone who may not see the
assessment at all (an appraiser not assigned to the unit, a user of another body).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from scoring.models import UNIT_ROLES, Assessment, Period, Role, RoleAssignment, User
from scoring.workflow import TRANSITION_ROLES, TRANSITIONS, Status

from .rounds.selectors import status_at_least
from .rounds.services import appraiser_scope

ALL_ROLES = frozenset(r.value for r in Role)
__all__ = [
    "Access",
    "Action",
    "access_for",
    "actions_for",
    "assessment_load",
    "period_roles",
    "status_at_least",
]


@dataclass(frozen=True, slots=True)
class Access:
    """What one user is to one assessment: their roles and, for an appraiser, what they were assigned."""

    roles: frozenset[str]
    # None: assigned to the whole unit; otherwise the field codes assigned across all units.
    appraiser_fields: frozenset[str] | None
    is_assigned_appraiser: bool

    @property
    def is_admin(self) -> bool:
        return Role.BODY_ADMIN in self.roles

    @property
    def is_reader(self) -> bool:
        return bool(self.roles & {Role.COUNCIL_MEMBER, Role.VIEWER})

    @property
    def is_unit(self) -> bool:
        return bool(self.roles & UNIT_ROLES)

    @property
    def is_head(self) -> bool:
        return Role.UNIT_HEAD in self.roles

    @property
    def sees_sheet(self) -> bool:
        """Return whether the user sees the appraisers' sheet (the unit has its own explanation page)."""
        return self.is_admin or self.is_assigned_appraiser or self.is_reader

    def may_appraise_field(self, field_code: str) -> bool:
        if not self.is_assigned_appraiser:
            return False
        return self.appraiser_fields is None or field_code in self.appraiser_fields

    def may_move(self, current: str, target: str) -> bool:
        """Return whether the workflow lets one of the user's roles make this move (buttons only)."""
        if target not in TRANSITIONS.get(current, frozenset()):
            return False
        allowed = TRANSITION_ROLES.get((current, target), frozenset())
        roles = set(self.roles)
        if not self.is_assigned_appraiser:
            roles.discard(Role.APPRAISER)
        return bool(roles & allowed)


def access_for(*, user: User, assessment: Assessment) -> Access:
    """Return the user's access to the assessment; Http404 when they may not see it at all."""
    if not user.is_authenticated or not user.is_active:
        raise Http404(_("Không tìm thấy hồ sơ."))
    if user.is_superuser:
        return Access(roles=ALL_ROLES, appraiser_fields=None, is_assigned_appraiser=True)
    rows = RoleAssignment.objects.filter(user=user, body_id=assessment.period.body_id).filter(
        Q(unit__isnull=True) | Q(unit_id=assessment.unit_id)
    )
    roles = frozenset(rows.values_list("role", flat=True))
    fields: frozenset[str] | None = frozenset()
    if Role.APPRAISER in roles:
        # The services' rule of who appraises what, so that the page offers exactly what they accept.
        fields = appraiser_scope(user=user, assessment=assessment)
    assigned = fields is None or bool(fields)
    access = Access(roles=roles, appraiser_fields=fields, is_assigned_appraiser=assigned)
    if not (access.is_admin or access.is_assigned_appraiser or access.is_reader or access.is_unit):
        raise Http404(_("Không tìm thấy hồ sơ."))
    return access


def assessment_load(pk: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("unit", "unit__group", "period", "period__body", "criteria_set")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return assessment


def period_roles(*, user: User, period: Period) -> frozenset[str]:
    """Return the body-wide roles the user holds in the period's body (all of them for a superuser)."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return ALL_ROLES
    return frozenset(
        RoleAssignment.objects.filter(user=user, body_id=period.body_id, unit__isnull=True).values_list(
            "role", flat=True
        )
    )


@dataclass(frozen=True, slots=True)
class Action:
    """A workflow button of the sheet: the URL name it posts to and whether it asks for a reason."""

    url_name: str
    label: str
    needs_reason: bool = False
    target: str = ""
    style: str = ""


def actions_for(*, access: Access, status: str) -> list[Action]:
    """Return the workflow buttons the user may press on an assessment in this status."""
    actions = []
    if access.may_move(Status.SUBMITTED, Status.ROUND_1) and status == Status.SUBMITTED:
        actions.append(Action("appraisal:start", _("Bắt đầu thẩm định")))
    if status == Status.ROUND_1:
        if access.may_move(status, Status.EXPLANATION):
            actions.append(Action("appraisal:send", _("Gửi kết quả thẩm định vòng 1")))
        if access.may_move(status, Status.ROUND_2):
            actions.append(
                Action("appraisal:skip", _("Không cần giải trình — chuyển vòng 2"), style="secondary")
            )
    returns = {
        Status.ROUND_1: Status.SELF_ASSESSMENT,
        Status.ROUND_2: Status.EXPLANATION,
        Status.COUNCIL_APPROVED: Status.ROUND_2,
    }
    target = returns.get(status)
    if target and access.may_move(status, target):
        actions.append(
            Action(
                "appraisal:return",
                _("Trả lại để sửa (%(target)s)") % {"target": Status(target).label},
                needs_reason=True,
                target=target,
                style="secondary outline",
            )
        )
    return actions
