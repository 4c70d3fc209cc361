"""Who may see and do what in appraisal: the only module of the app that decides it.

Views, API views and services ask the functions below; the role lookups come from scoring.access. Rules of the
appraisal itself (states, deadlines, versions) stay in appraisal.rules and the services, which refuse what the
workflow does not allow. Anyone who may not see an assessment at all gets 404 (an appraiser not assigned to the
unit, a user of another body). A superuser holds every role.

=========================  ===============  ======================  ==============  ===========================
object                     body admin       appraiser               council member  unit officer / unit head
                                                                    and viewer
=========================  ===============  ======================  ==============  ===========================
a period's appraisal list  every dossier    the dossiers assigned   every dossier   —
                           submitted        (unit or field)         submitted
appraisal sheet (rounds)   see              assigned: see, appraise see             own unit: its explanation
                                            assigned fields;                        page instead
                                            not assigned: 404
round 1 before it is sent  see              assigned: see (every    —               —
to the unit (a draft)                       field of the dossier)
round 1 once sent          see              assigned: see           see             own unit: see
round 2 before council     see              assigned: see           see             —
approval
explanation before the     —                —                       —               officer, head: see, write
head submits it (a draft:
text and files)
explanation once submitted see              assigned: see           see             own unit: see
(status round 2 or later)
start round 1              yes              assigned only           —               —
send round 1, returns      yes              —                       —               —
explanation                close any time   —                       —               officer, head: write;
                                                                                    head: submit (before the
                                                                                    deadline)
council page               see, record      —                       see             —
council minutes            read             read                    read            —
reopen a published dossier record           —                       —               —
council meeting members    any user holding a role in the body (a superuser too)
appraiser assignments      see, assign,     — (404)                 — (404)         — (404)
(pages and API)            remove; only the
                           body's appraisers
                           may be named
=========================  ===============  ======================  ==============  ===========================

The drafts are decided once, by scoring.access.drafts_released (pages, item histories, the dossier's history,
the audit log, evidence downloads and the API all ask it); Access.released carries its answer to the pages.
An explanation closed by the administrator at its deadline counts as submitted. The README's "Who sees what"
table is this one and scoring.access's, merged.

Status moves are scoring.workflow.TRANSITION_ROLES (an appraiser's role counts only where they are assigned).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from scoring.access import (
    ALL_ROLES,
    Released,
    bodies_administered,
    body_roles,
    council_members,
    drafts_released,
    holds_any_role,
    is_body_admin,
    may_edit_self_assessment,
    own_unit_ids,
    register_appraiser_assignments,
    roles_for_assessment,
)
from scoring.access import unit_people as _unit_people
from scoring.models import (
    UNIT_ROLES,
    Assessment,
    EvaluatingBody,
    Period,
    PeriodStatus,
    Role,
    RoleAssignment,
    User,
)
from scoring.workflow import TRANSITION_ROLES, TRANSITIONS, Status, status_at_least

from .models import AppraiserAssignment

# The body-wide roles that read every submitted dossier's appraisal (appraisers read only what they are assigned).
READER_ROLES = frozenset({Role.BODY_ADMIN, Role.COUNCIL_MEMBER, Role.VIEWER})
# Body-wide roles that read the minutes: the staff, the council and its working group (Tổ giúp việc).
MINUTES_READERS = frozenset({Role.BODY_ADMIN, Role.VIEWER, Role.COUNCIL_MEMBER, Role.APPRAISER})

__all__ = [
    "Access",
    "Action",
    "PeriodAccess",
    "Visibility",
    "access_for",
    "actions_for",
    "appraisal_periods",
    "appraisers_of_body",
    "assignment_get",
    "assignment_period_get",
    "assignment_periods",
    "appraisal_visibility",
    "appraiser_scope",
    "assessment_load",
    "assigned_assessments",
    "council_members_of",
    "may_appraise_in_body",
    "may_close_explanation",
    "may_explain",
    "may_read_minutes",
    "may_record_council",
    "may_reopen",
    "may_sit_on_council",
    "may_start_any_round",
    "may_submit_explanation",
    "period_access",
    "period_roles",
    "register_assignments_with_scoring",
    "status_at_least",
    "unit_people",
]


@dataclass(frozen=True, slots=True)
class Access:
    """What one user is to one assessment: their roles and, for an appraiser, what they were assigned."""

    roles: frozenset[str]
    # None: assigned to the whole unit; otherwise the field codes assigned across all units.
    appraiser_fields: frozenset[str] | None
    is_assigned_appraiser: bool
    # Which drafts the user sees now: round 1 before it is sent, the explanation before it is submitted.
    released: Released

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
        everything = drafts_released(
            roles=ALL_ROLES, status=assessment.status, assigned_appraiser=True, is_superuser=True
        )
        return Access(roles=ALL_ROLES, appraiser_fields=None, is_assigned_appraiser=True, released=everything)
    roles = roles_for_assessment(user, assessment)
    fields: frozenset[str] | None = frozenset()
    if Role.APPRAISER in roles:
        # The services' rule of who appraises what, so that the page offers exactly what they accept.
        fields = appraiser_scope(user=user, assessment=assessment)
    assigned = fields is None or bool(fields)
    released = drafts_released(roles=roles, status=assessment.status, assigned_appraiser=assigned)
    access = Access(roles=roles, appraiser_fields=fields, is_assigned_appraiser=assigned, released=released)
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
    return body_roles(user, period.body_id)


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


# --- appraisers ------------------------------------------------------------------------------------------


def may_appraise_in_body(user: User, body_id: int) -> bool:
    """Return whether the user holds the appraiser role in the body (superusers do everywhere)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.APPRAISER in body_roles(user, body_id)


def appraiser_scope(*, user: User, assessment: Assessment) -> frozenset[str] | None:
    """Return the field codes the user may appraise in the assessment: None = every field, empty = none.

    A superuser appraises everything; otherwise the user must hold the appraiser role in the body and be
    assigned, for the period, to the unit (every field) or to fields across all units.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    if not may_appraise_in_body(user, assessment.period.body_id):
        return frozenset()
    rows = list(
        AppraiserAssignment.objects.filter(period_id=assessment.period_id, appraiser=user)
        .filter(Q(unit_id=assessment.unit_id) | Q(unit__isnull=True))
        .values_list("unit_id", "field_code")
    )
    if any(unit_id == assessment.unit_id for unit_id, _code in rows):
        return None
    return frozenset(code for _unit, code in rows if code)


def assessments_assigned(*, user: User, base: QuerySet[Assessment], period: Period) -> QuerySet[Assessment]:
    """Return those of the period's assessments the user is assigned to appraise (a field covers every unit)."""
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.is_superuser:
        return base
    if not may_appraise_in_body(user, period.body_id):
        return base.none()
    assignments = AppraiserAssignment.objects.filter(period=period, appraiser=user)
    if assignments.filter(unit__isnull=True).exists():
        return base
    return base.filter(unit_id__in=assignments.values("unit_id"))


def assigned_assessments(user: User) -> Q:
    """Return the Q (on Assessment) of the assessments the user is assigned in their period (unit or any field)."""
    assignments = AppraiserAssignment.objects.filter(appraiser=user, period=OuterRef("period")).filter(
        Q(unit=OuterRef("unit")) | Q(unit__isnull=True)
    )
    return Q(Exists(assignments))


def register_assignments_with_scoring() -> None:
    """Let scoring.access, which may not import appraisal, ask which dossiers an appraiser is assigned."""
    register_appraiser_assignments(assigned_assessments)


def may_start_any_round(user: User, assessment: Assessment) -> bool:
    """Return whether the user starts round 1 of any dossier of the body without an assignment (its admin)."""
    return user.is_superuser or Role.BODY_ADMIN in roles_for_assessment(user, assessment)


# --- what one user sees of one assessment's appraisal ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visibility:
    """What one user sees of one assessment's appraisal, and which fields they may appraise."""

    sees_round1: bool
    sees_round2: bool
    # None: every field; an empty set: none (not an appraiser of this unit).
    appraises_fields: frozenset[str] | None
    # False while the explanation is the unit's draft and the user is not of the unit.
    sees_explanation: bool

    def may_appraise(self, field_code: str) -> bool:
        return self.appraises_fields is None or field_code in self.appraises_fields


def appraisal_visibility(*, user: User, assessment: Assessment) -> Visibility:
    """Return what the user sees of the assessment's appraisal; Http404 when they may not see it at all."""
    access = access_for(user=user, assessment=assessment)
    return Visibility(
        sees_round1=access.released.round1,
        sees_round2=access.released.round2,
        appraises_fields=access.appraiser_fields if access.is_assigned_appraiser else frozenset(),
        sees_explanation=access.released.explanation,
    )


# --- a period's pages ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodAccess:
    """What one user is to one period's appraisal: the list, the council page and its buttons."""

    is_admin: bool
    sees_all_dossiers: bool  # administrators, council members and viewers
    is_appraiser: bool
    may_start: bool
    sees_council: bool


def appraisal_periods(user: User) -> QuerySet[Period]:
    """Return the periods whose appraisal list the user opens: those of the bodies where they hold a body-wide role."""
    if user.is_superuser:
        return Period.objects.all()
    return Period.objects.filter(
        body__role_assignments__user=user, body__role_assignments__unit__isnull=True
    ).distinct()


def period_access(*, user: User, period: Period) -> PeriodAccess:
    """Return the user's access to the period's appraisal pages."""
    roles = period_roles(user=user, period=period)
    return PeriodAccess(
        is_admin=Role.BODY_ADMIN in roles,
        sees_all_dossiers=bool(roles & READER_ROLES),
        is_appraiser=Role.APPRAISER in roles,
        may_start=bool(roles & {Role.BODY_ADMIN, Role.APPRAISER}),
        sees_council=bool(roles & READER_ROLES),
    )


def may_read_minutes(user: User, period: Period) -> bool:
    """Return whether the user reads the council's minutes (never a unit's own people: they name every result)."""
    return bool(period_roles(user=user, period=period) & MINUTES_READERS)


# --- explanation and council -----------------------------------------------------------------------------


def may_explain(user: User, assessment: Assessment) -> bool:
    """Return whether the user writes the unit's explanation (its officers and its head)."""
    return may_edit_self_assessment(user, assessment.unit)


def may_close_explanation(user: User, assessment: Assessment) -> bool:
    """Return whether the user closes the explanation at any time, deadline or not (the body's admin)."""
    return Role.BODY_ADMIN in roles_for_assessment(user, assessment)


def may_submit_explanation(user: User, assessment: Assessment) -> bool:
    """Return whether the user submits the unit's explanation (its head, before the deadline)."""
    return Role.UNIT_HEAD in roles_for_assessment(user, assessment)


def may_record_council(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user records the council's meetings and decisions (the body's admin)."""
    return is_body_admin(user, body)


def may_reopen(user: User, assessment: Assessment) -> bool:
    """Return whether the user records the council's reopening of a published dossier (the body's admin)."""
    return is_body_admin(user, assessment.period.body)


def may_sit_on_council(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user may be recorded as present at a council meeting (anyone of the body)."""
    return holds_any_role(user, body)


def council_members_of(period: Period) -> QuerySet[User]:
    """Return the body's active council members, offered as the meeting's members."""
    return council_members(body_id=period.body_id)


def unit_people(assessment: Assessment) -> list[User]:
    """Return the unit's officers and head: everyone who follows the dossier on the unit's side (who is told)."""
    return _unit_people(body_id=assessment.period.body_id, unit_id=assessment.unit_id)


# --- the assignments pages (the body's administrator) ----------------------------------------------------


def appraisers_of_body(body_id: int) -> QuerySet[User]:
    """Return the body's active appraisers: the only people an assignment may name."""
    return User.objects.filter(
        roles__body_id=body_id, roles__role=Role.APPRAISER, roles__unit__isnull=True, is_active=True
    ).distinct()


def assignment_periods(user: User) -> QuerySet[Period]:
    """Return the periods whose assignments the user manages: those of the bodies they administer."""
    if not user.is_authenticated or not user.is_active:
        return Period.objects.none()
    return Period.objects.filter(body__in=bodies_administered(user))


def assignment_period_get(*, user: User, period_id: int) -> Period:
    """Return the period if the user administers its body; Http404 otherwise (another body's admin included)."""
    period = assignment_periods(user).select_related("body").filter(pk=period_id).first()
    if period is None:
        raise Http404(_("Không tìm thấy kỳ đánh giá."))
    return period


def assignment_get(*, user: User, pk: int) -> AppraiserAssignment:
    """Return the assignment if the user administers its period's body; Http404 otherwise."""
    assignment = (
        AppraiserAssignment.objects.select_related("period", "period__body", "unit", "appraiser")
        .filter(pk=pk, period__in=assignment_periods(user))
        .first()
    )
    if assignment is None:
        raise Http404(_("Không tìm thấy phân công."))
    return assignment


# --- the home page ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HomeDuties:
    """What one user does in the newest open period of one body, as the home page tells it."""

    period: Period
    appraises: bool
    administers: bool
    sits_on_council: bool


def home_duties(user: User) -> list[HomeDuties]:
    """Return the newest open period of each body where the user holds a body-wide role, with their duties there.

    Superusers get none: every body would be listed; the administrator's panel of scoring shows them the bodies.
    Two queries whatever the number of bodies and periods.
    """
    if not user.is_authenticated or user.is_superuser:
        return []
    roles: dict[int, set[str]] = {}
    for body_id, role in RoleAssignment.objects.filter(user=user, unit__isnull=True).values_list(
        "body_id", "role"
    ):
        roles.setdefault(body_id, set()).add(role)
    newest: dict[int, Period] = {}
    periods = Period.objects.filter(body_id__in=list(roles), status=PeriodStatus.OPEN).select_related("body")
    for period in periods.order_by("body_id", "-year"):
        newest.setdefault(period.body_id, period)
    return [
        HomeDuties(
            period=period,
            appraises=Role.APPRAISER in roles[body_id],
            administers=Role.BODY_ADMIN in roles[body_id],
            sits_on_council=Role.COUNCIL_MEMBER in roles[body_id],
        )
        for body_id, period in newest.items()
    ]


def own_units(user: User) -> list[int]:
    """Return the ids of the units whose officer or head the user is (their dossiers' explanations are theirs)."""
    return own_unit_ids(user)
