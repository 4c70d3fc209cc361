"""Who may see and do what in scoring: the only module of the app that decides it.

Every view, API view, service and selector of scoring asks one of the functions below; the access modules of
appraisal, surveys and reports build on the role lookups at the bottom, which nothing else calls.
A superuser holds every role in every body; an inactive or anonymous user holds none.

Roles (``scoring.models.Role``) are held in one evaluating body, the two unit roles for one unit of it.

=====================  ===============  ===================  ===============  ==============================
object                 body admin       appraiser            council member,  unit officer / unit head
                                                             viewer
=====================  ===============  ===================  ===============  ==============================
body (its pages,       see              see                  see              see
periods)
criteria sets          see, change      see                  see              see
                       (import, clone,
                       delete)
units' dossiers        see all units    assigned only (the   see all units    see own unit only
(scoring page,                          unit, or a field:
evidence, API,                          every unit), per
history)                                period; else 404
self-assessment        see              see (assigned)       see              officer and head: change
scores, evidence                                                              (own unit)
submit / withdraw the  —                —                    —                head only (own unit)
self-assessment
=======
units and groups       see, change      —                    —                —
(create, rename,
move, merge, split)
deadline extension     grant            —                    —                —
year setup (create,    see, change      —                    —                —
deadlines, bands, open)
progress board,        see, act         —                    —                —
audit log
login locks of its     see, lift        —                    —                —
people
its people (invite,    see, change      —                    —                —
roles, passwords)      (own body only)
round 1 before it is   see              see (assigned)       —                —
sent to the unit
round 2 before the     see              see (assigned)       see              —
council approves it
explanation (text,     —                —                    —                officer and head: see, write
files) before the
head submits it
dossier history        all of it but what the three rows above hide from the role (the same rule)
=====================  ===============  ===================  ===============  ==============================

"Before the head submits it": until the dossier reaches round 2 (the head submits, or the administrator closes
the explanation at its deadline). The body administrator's audit log and its downloads leave the explanation
drafts out the same way. The assignments themselves are kept in appraisal (AppraiserAssignment), which scoring
may not import: appraisal registers the query at start-up (register_appraiser_assignments). The reports on
units (units_visible_to) are not dossiers: the body's staff, appraisers included, read them all (reports.access).

A unit's officers and head see nothing of a period still being set up (PeriodStatus.SETUP): its dossiers
answer 404 to them and the services refuse every self-assessment write until the administrator opens it.
Anyone of another body sees nothing of this body: its dossiers answer 404, as if they did not exist.
The setup API (/api/v1/ units, groups, kinds, periods, people and roles, exemptions) follows the rows above for
units, year setup and people: objects of a body the caller does not administer answer 404, and a caller who
administers no body at all (a unit officer, a viewer…) gets 403 on the lists.
Who must give a one-time code after the password is ``must_use_two_factor`` (the roles of the setting
TWO_FACTOR_REQUIRED_ROLES). Status moves (who may send a dossier from one state to the next) are the table
``TRANSITION_ROLES`` of ``scoring/workflow.py``, checked against ``roles_for_assessment`` below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from scoring.models import (
    UNIT_ROLES,
    ApiToken,
    Assessment,
    EvaluatingBody,
    EvidenceStage,
    Notification,
    Period,
    PeriodStatus,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from scoring.workflow import Status, status_at_least

# Roles that see every unit of their body (the unit roles see only their own units).
BODY_WIDE_ROLES = frozenset({Role.BODY_ADMIN, Role.APPRAISER, Role.COUNCIL_MEMBER, Role.VIEWER})
# Of these, the roles that open every dossier of their body; an appraiser opens only the dossiers assigned to them.
DOSSIER_READER_ROLES = frozenset({Role.BODY_ADMIN, Role.COUNCIL_MEMBER, Role.VIEWER})
ALL_ROLES = frozenset(r.value for r in Role)


# --- bodies -----------------------------------------------------------------------------------------------


def bodies_for_user(user: User) -> QuerySet[EvaluatingBody]:
    """Return the evaluating bodies in which the user holds any role."""
    if not user.is_authenticated:
        return EvaluatingBody.objects.none()
    if user.is_superuser:
        return EvaluatingBody.objects.all()
    return EvaluatingBody.objects.filter(role_assignments__user=user).distinct()


def bodies_administered(user: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies the user administers (criteria sets, progress board, audit log, surveys)."""
    bodies = bodies_for_user(user)
    if user.is_superuser:
        return bodies
    return bodies.filter(role_assignments__user=user, role_assignments__role=Role.BODY_ADMIN).distinct()


def may_administer_body(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user is an administrator of the body (or a superuser)."""
    return is_body_admin(user, body)


def may_manage_criteria(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user may import, clone and delete the body's criteria sets."""
    return is_body_admin(user, body)


def exemption_periods(user: User) -> QuerySet[Period]:
    """Return the periods in which the user may mark items not applicable to a unit: their bodies' as administrator."""
    return Period.objects.filter(body__in=bodies_administered(user))


def may_manage_units(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user may create, rename, move, merge and split the body's units, groups and kinds."""
    return is_body_admin(user, body)


def bodies_managing_units(user: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies whose units and groups the user keeps (the pages of scoring/units/ 404 elsewhere)."""
    return bodies_administered(user)


def is_body_staff(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user sees the whole body: its administrators, appraisers, council and viewers."""
    return has_role(user, body, *BODY_WIDE_ROLES)


# --- units and their dossiers ----------------------------------------------------------------------------


def units_visible_to(user: User, body: EvaluatingBody) -> QuerySet[Unit]:
    """Return the units of the body whose scores and evidence the user may see."""
    units = Unit.objects.filter(body=body)
    if has_role(user, body, *BODY_WIDE_ROLES):
        return units
    return units.filter(role_assignments__user=user, role_assignments__role__in=UNIT_ROLES).distinct()


def own_unit_ids(user: User) -> list[int]:
    """Return the ids of the units in which the user is an officer or the head."""
    if not user.is_authenticated:
        return []
    return list(
        RoleAssignment.objects.filter(user=user, role__in=UNIT_ROLES, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )


# --- appraisers' assignments (kept in appraisal, which scoring may not import) -----------------------------

# The assignments live in appraisal, above scoring (scoring <- appraisal). appraisal registers here, at start-up
# (AppraisalConfig.ready), how to tell the assessments assigned to a user; this module keeps the rule of who sees
# what. Until something is registered an appraiser is assigned nothing: a missing hook hides, it never shows.
_assignment_conditions: list[Callable[[User], Q]] = []


def register_appraiser_assignments(condition: Callable[[User], Q]) -> None:
    """Register a function returning the Q (on Assessment) of the assessments assigned to the user."""
    if condition not in _assignment_conditions:
        _assignment_conditions.append(condition)


def _assigned_to(user: User) -> Q:
    condition = Q(pk__in=[])
    for assigned in _assignment_conditions:
        condition |= assigned(user)
    return condition


def is_assigned_appraiser(user: User, assessment: Assessment) -> bool:
    """Return whether the user is assigned (for the period) to appraise the assessment's unit or any field."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Assessment.objects.filter(pk=assessment.pk).filter(_assigned_to(user)).exists()


def assessments_visible(user: User, assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Return those of the assessments the user may see.

    Administrators, council members and viewers: every dossier of their bodies; appraisers: the dossiers they
    are assigned in the period (the unit, or a field across all units); officers and heads: their own units'.
    """
    if not user.is_authenticated or not user.is_active:
        return assessments.none()
    if user.is_superuser:
        return assessments
    roles = RoleAssignment.objects.filter(user=user)
    reader_bodies = roles.filter(role__in=DOSSIER_READER_ROLES).values("body_id")
    appraiser_bodies = roles.filter(role=Role.APPRAISER, unit__isnull=True).values("body_id")
    own_units = roles.filter(role__in=UNIT_ROLES, unit__isnull=False).values("unit_id")
    # A unit sees its dossier only once the period is open: while it is set up there is nothing to score yet.
    return assessments.filter(
        Q(period__body_id__in=reader_bodies)
        | (Q(unit_id__in=own_units) & Q(period__status=PeriodStatus.OPEN))
        | (Q(period__body_id__in=appraiser_bodies) & _assigned_to(user))
    )


def may_view_assessment(user: User, assessment: Assessment) -> bool:
    """Return whether the user may see the assessment at all."""
    return assessments_visible(user, Assessment.objects.filter(pk=assessment.pk)).exists()


def may_edit_self_assessment(user: User, unit: Unit) -> bool:
    """Return whether the user may change the unit's scores and evidence (its officers and its head)."""
    return _holds_unit_role(user=user, unit=unit, roles=UNIT_ROLES)


def may_submit_self_assessment(user: User, unit: Unit) -> bool:
    """Return whether the user may submit or withdraw the unit's self-assessment (its head only)."""
    return _holds_unit_role(user=user, unit=unit, roles={Role.UNIT_HEAD})


def may_grant_extension(user: User, assessment: Assessment) -> bool:
    """Return whether the user may extend the unit's self-assessment deadline (the body's administrator)."""
    return is_body_admin(user, assessment.period.body)


def roles_for_assessment(user: User | None, assessment: Assessment) -> frozenset[str]:
    """Return the role codes the user holds for the assessment: body-wide ones and those of its unit."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL_ROLES
    return frozenset(
        RoleAssignment.objects.filter(user=user, body_id=assessment.period.body_id)
        .filter(Q(unit__isnull=True) | Q(unit_id=assessment.unit_id))
        .values_list("role", flat=True)
    )


# --- drafts: what each side sees before it is sent ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Released:
    """Which of a dossier's appraisal and explanation one user may see now (the pages, history and API alike)."""

    round1: bool
    round2: bool
    explanation: bool


def drafts_released(
    *, roles: Iterable[str], status: str, assigned_appraiser: bool, is_superuser: bool = False
) -> Released:
    """Return what the holder of `roles` sees of a dossier in `status` (the rule; no database).

    Round 1 is a draft of the appraisers' side (the body's administrators and the appraisers assigned to the
    dossier) until it is sent to the unit (status explanation or later). Round 2 is hidden from the unit only,
    until the council approves it. The explanation is a draft of the unit's side (its officers and head) until
    its head submits it, or the administrator closes the explanation (status round 2 or later).
    """
    if is_superuser:
        return Released(round1=True, round2=True, explanation=True)
    roles = set(roles)
    appraisers_side = Role.BODY_ADMIN in roles or (Role.APPRAISER in roles and assigned_appraiser)
    readers = bool(roles & {Role.COUNCIL_MEMBER, Role.VIEWER})
    return Released(
        round1=appraisers_side or status_at_least(status, Status.EXPLANATION),
        round2=appraisers_side or readers or status_at_least(status, Status.COUNCIL_APPROVED),
        explanation=bool(roles & UNIT_ROLES) or status_at_least(status, Status.ROUND_2),
    )


@dataclass(frozen=True, slots=True)
class DossierRights:
    """What one user may do on one unit's dossier and which of its drafts they see, from one role lookup."""

    may_edit: bool
    may_submit: bool
    released: Released


def dossier_rights(user: User, assessment: Assessment) -> DossierRights:
    """Return the user's rights on the dossier (the same answers as may_edit_/may_submit_self_assessment)."""
    roles = roles_for_assessment(user, assessment)
    assigned = Role.APPRAISER in roles and is_assigned_appraiser(user, assessment)
    released = drafts_released(
        roles=roles, status=assessment.status, assigned_appraiser=assigned, is_superuser=user.is_superuser
    )
    # Unit roles are held for one unit: roles_for_assessment returns them only for the dossier's own unit.
    return DossierRights(
        may_edit=bool(roles & UNIT_ROLES), may_submit=Role.UNIT_HEAD in roles, released=released
    )


def released_for(user: User, assessment: Assessment) -> Released:
    """Return what the user sees now of the assessment's appraisal rounds and explanation."""
    return dossier_rights(user, assessment).released


def hidden_evidence_stages(released: Released) -> tuple[str, ...]:
    """Return the evidence stages hidden from the user: the explanation's files while they are the unit's draft."""
    return () if released.explanation else (EvidenceStage.EXPLANATION.value,)


def may_see_evidence(user: User, assessment: Assessment, stage: str) -> bool:
    """Return whether the user, who sees the assessment, may open one of its files of the given stage."""
    return stage not in hidden_evidence_stages(released_for(user, assessment))


# The audit actions each part of Released covers (their slugs are written by appraisal: the contract).
RELEASED_ACTIONS = {
    "round1": ("appraisal_round1",),
    "round2": ("appraisal_round2",),
    "explanation": ("explanation", "explanation_evidence"),
}
# Statuses in which a dossier's explanation is still the unit's draft, for the body administrator's audit log.
EXPLANATION_DRAFT_STATUSES = tuple(s.value for s in Status if not status_at_least(s.value, Status.ROUND_2))


def history_hidden_actions(user: User, assessment: Assessment) -> list[str]:
    """Return the audit actions of the dossier's history the user may not see yet."""
    released = released_for(user, assessment)
    return [
        action
        for part, actions in RELEASED_ACTIONS.items()
        if not getattr(released, part)
        for action in actions
    ]


def audit_log_hidden() -> Q:
    """Return the Q (on AuditEvent) of the rows the body's audit log and its export leave out: explanation drafts."""
    return Q(action__in=RELEASED_ACTIONS["explanation"], assessment__status__in=EXPLANATION_DRAFT_STATUSES)


# --- the year's setup (scoring/periods/) -------------------------------------------------------------------


def periods_administered(user: User) -> QuerySet[Period]:
    """Return the periods whose setup the user may see and change: those of the bodies they administer."""
    return Period.objects.filter(body__in=bodies_administered(user))


def unit_people_held(*, body: EvaluatingBody) -> dict[int, tuple[bool, bool]]:
    """Return, per unit of the body, whether an active person is its officer and whether one is its head."""
    held = set(
        RoleAssignment.objects.filter(body=body, role__in=UNIT_ROLES, user__is_active=True).values_list(
            "unit_id", "role"
        )
    )
    units = {unit_id for unit_id, _role in held}
    return {u: ((u, Role.UNIT_OFFICER.value) in held, (u, Role.UNIT_HEAD.value) in held) for u in units}


# --- accounts: logins and their locks --------------------------------------------------------------------


def must_use_two_factor(user: User, roles: Iterable[str]) -> bool:
    """Return whether the user must sign in with a one-time code too: a holder of one of the roles, or a superuser.

    A superuser holds every role, so the rule reaches them whenever it reaches anyone.
    """
    wanted = set(roles)
    if not wanted or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role__in=wanted).exists()


def accounts_administered(user: User) -> QuerySet[User]:
    """Return the accounts holding a role in a body the user administers: those whose login lock they may lift."""
    return User.objects.filter(roles__body__in=bodies_administered(user)).distinct()


def may_unlock_account(user: User, account: User) -> bool:
    """Return whether the user may lift the login lock of the account (an administrator of one of its bodies)."""
    return accounts_administered(user).filter(pk=account.pk).exists()


def api_tokens_visible(user: User) -> QuerySet[ApiToken]:
    """Return the API tokens the user may see and revoke: their own, and those of the accounts they administer."""
    return ApiToken.objects.filter(Q(user=user) | Q(user__in=accounts_administered(user)))


def may_revoke_api_token(user: User, token: ApiToken) -> bool:
    """Return whether the user may revoke the token: its holder, or an administrator of one of the holder's bodies."""
    return token.user_id == user.pk or accounts_administered(user).filter(pk=token.user_id).exists()


def role_assignments_administered(user: User) -> QuerySet[RoleAssignment]:
    """Return the role rows the user may take away: those of the bodies they administer."""
    return RoleAssignment.objects.filter(body__in=bodies_administered(user))


def bodies_shared_with(user: User, account: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies that the user administers and in which the account holds a role (whose logs record an unlock)."""
    return bodies_administered(user).filter(role_assignments__user=account).distinct()


def may_manage_people(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user runs the body's people pages (invite, roles, deactivate, passwords)."""
    return user.is_active and is_body_admin(user, body)


def may_take_over_account(body: EvaluatingBody, account: User) -> bool:
    """Return whether the body's administrator may deactivate the account or hand out a temporary password for it.

    Only for an account of this body alone: whoever holds a role elsewhere (or runs the platform) answers to
    others too, so this body may only take its own roles away or send the reset link to the owner's mailbox.
    """
    if account.is_superuser or account.is_staff:
        return False
    return not RoleAssignment.objects.filter(user=account).exclude(body=body).exists()


def leaves_body_without_admin(
    body: EvaluatingBody, *, removed_role_ids: Iterable[int] = (), deactivated: User | None = None
) -> bool:
    """Return whether taking these roles away (or deactivating the account) removes the body's last active admin."""
    admins = RoleAssignment.objects.filter(body=body, role=Role.BODY_ADMIN, user__is_active=True)
    remaining = admins.exclude(pk__in=list(removed_role_ids))
    if deactivated is not None:
        remaining = remaining.exclude(user=deactivated)
    return admins.exists() and not remaining.exists()


# --- who is told (not a decision: the people a notification goes to) ------------------------------------


def body_admin_assignments(body: EvaluatingBody) -> QuerySet[RoleAssignment]:
    """Return the active administrators' role rows of the body."""
    return RoleAssignment.objects.filter(body=body, role=Role.BODY_ADMIN, user__is_active=True)


def unit_people(*, body_id: int, unit_id: int) -> list[User]:
    """Return the unit's officers and head: everyone who follows the dossier on the unit's side."""
    return list(
        User.objects.filter(
            roles__body_id=body_id,
            roles__unit_id=unit_id,
            roles__role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD],
        )
        .distinct()
        .order_by("pk")
    )


def unit_people_assignments(*, body: EvaluatingBody, unit_ids: Iterable[int]) -> QuerySet[RoleAssignment]:
    """Return the role rows of the active officers and heads of the units (reminders go to them)."""
    return RoleAssignment.objects.filter(
        body=body, unit_id__in=list(unit_ids), role__in=UNIT_ROLES, user__is_active=True
    )


def with_unit_people_counts(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Return the units annotated with `officer_count` and `head_count` (their people, counted in the same query)."""
    return units.annotate(
        officer_count=Count(
            "role_assignments", filter=Q(role_assignments__role=Role.UNIT_OFFICER), distinct=True
        ),
        head_count=Count("role_assignments", filter=Q(role_assignments__role=Role.UNIT_HEAD), distinct=True),
    )


def council_members(*, body_id: int) -> QuerySet[User]:
    """Return the active council members of the body."""
    return User.objects.filter(roles__body_id=body_id, roles__role=Role.COUNCIL_MEMBER, is_active=True)


@dataclass(frozen=True, slots=True)
class NavState:
    """What the header needs: the roles held anywhere, the unread count, the bodies the user may switch between."""

    roles: frozenset[str]
    unread: int
    # (id, code, name) of every body the user holds a role in, by name; the header offers a switcher when there are two.
    bodies: tuple[tuple[int, str, str], ...]


def nav_state(user: User) -> NavState:
    """Return the user's roles anywhere (the menu shows what they lead to), unread count and bodies, in one query."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # One row per role (one row with no role when the user holds none); the count repeats on each row.
    rows = list(
        User.objects.filter(pk=user.pk)
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .values_list("roles__role", "unread", "roles__body_id", "roles__body__code", "roles__body__name")
    )
    count = rows[0][1] if rows else 0
    if user.is_superuser:
        # A superuser holds every role in every body (one more query, for platform operators only).
        bodies = tuple(EvaluatingBody.objects.order_by("name").values_list("pk", "code", "name"))
        return NavState(ALL_ROLES, count, bodies)
    named = {body_id: (body_id, code, name) for _role, _unread, body_id, code, name in rows if body_id}
    bodies = tuple(sorted(named.values(), key=lambda row: (row[2], row[0])))
    return NavState(frozenset(role for role, *_rest in rows if role), count, bodies)


# --- the role lookups the access modules build on (appraisal, surveys and reports use them too) ----------


def has_role(user: User, body: EvaluatingBody, *roles: str) -> bool:
    """Return whether the user holds one of the roles in the body (superusers hold all)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, body=body, role__in=roles).exists()


def is_body_admin(user: User, body: EvaluatingBody) -> bool:
    return has_role(user, body, Role.BODY_ADMIN)


def body_roles(user: User, body_id: int) -> frozenset[str]:
    """Return the body-wide roles the user holds in the body (all of them for a superuser)."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return ALL_ROLES
    return frozenset(
        RoleAssignment.objects.filter(user=user, body_id=body_id, unit__isnull=True).values_list(
            "role", flat=True
        )
    )


def holds_any_role(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user holds any role in the body (a superuser does, in every body)."""
    return user.is_superuser or RoleAssignment.objects.filter(user=user, body=body).exists()


def holds_unit_role(user: User, unit: Unit) -> bool:
    """Return whether the user is an officer or the head of the unit (by their role rows, superusers not)."""
    return RoleAssignment.objects.filter(
        user=user, body_id=unit.body_id, unit=unit, role__in=UNIT_ROLES
    ).exists()


def body_assignments(body: EvaluatingBody) -> QuerySet[RoleAssignment]:
    """Return the role rows of the body's active people."""
    return RoleAssignment.objects.filter(body=body, user__is_active=True)


def _holds_unit_role(*, user: User, unit: Unit, roles: Iterable[str]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, body_id=unit.body_id, unit=unit, role__in=roles).exists()
