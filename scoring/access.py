"""Who may see and do what in scoring: the only module of the app that decides it.

Every view, API view, service and selector of scoring asks one of the functions below; the access modules of
appraisal, surveys and reports build on the role lookups at the bottom, which nothing else calls.
A superuser holds every role in every body; an inactive or anonymous user holds none.

Roles (``scoring.models.Role``) are held in one evaluating body, the two unit roles for one unit of it.

============================  ==========================  ===========================  =========================
object                        body admin                  appraiser, council, viewer   unit officer / unit head
============================  ==========================  ===========================  =========================
body (its pages, periods)     see                         see                          see
criteria sets                 see, change (import,        see                          see
                              clone, delete)
units' dossiers (assessment)  see all units               see all units                see own unit only
self-assessment scores,       see                         see                          officer and head: change
evidence                                                                               (own unit)
submit / withdraw the         —                           —                            head only (own unit)
self-assessment
deadline extension            grant                       —                            —
progress board, audit log     see, act                    —                            —
login locks of its people     see, lift                   —                            —
dossier history               everything                  everything                   what is released to the
                                                                                       unit at its status
============================  ==========================  ===========================  =========================

Anyone of another body sees nothing of this body: its dossiers answer 404, as if they did not exist.
Who must give a one-time code after the password is ``must_use_two_factor`` (the roles of the setting
TWO_FACTOR_REQUIRED_ROLES). Status moves (who may send a dossier from one state to the next) are the table
``TRANSITION_ROLES`` of ``scoring/workflow.py``, checked against ``roles_for_assessment`` below.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from scoring.models import (
    UNIT_ROLES,
    Assessment,
    EvaluatingBody,
    Notification,
    Role,
    RoleAssignment,
    Unit,
    User,
)

# Roles that see every unit of their body (the unit roles see only their own units).
BODY_WIDE_ROLES = frozenset({Role.BODY_ADMIN, Role.APPRAISER, Role.COUNCIL_MEMBER, Role.VIEWER})
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


def assessments_visible(user: User, assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Return those of the assessments the user may see (body-wide roles: all units of their bodies)."""
    if not user.is_authenticated:
        return assessments.none()
    if user.is_superuser:
        return assessments
    roles = RoleAssignment.objects.filter(user=user)
    wide_bodies = roles.filter(role__in=BODY_WIDE_ROLES).values("body_id")
    own_units = roles.filter(role__in=UNIT_ROLES, unit__isnull=False).values("unit_id")
    return assessments.filter(Q(period__body_id__in=wide_bodies) | Q(unit_id__in=own_units))


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


def sees_unreleased_history(roles: Iterable[str], *, is_superuser: bool = False) -> bool:
    """Return whether the holder of `roles` sees the dossier's history before it is released to the unit."""
    return is_superuser or bool(set(roles) & BODY_WIDE_ROLES)


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


def bodies_shared_with(user: User, account: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies that the user administers and in which the account holds a role (whose logs record an unlock)."""
    return bodies_administered(user).filter(role_assignments__user=account).distinct()


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


def council_members(*, body_id: int) -> QuerySet[User]:
    """Return the active council members of the body."""
    return User.objects.filter(roles__body_id=body_id, roles__role=Role.COUNCIL_MEMBER, is_active=True)


def nav_state(user: User) -> tuple[frozenset[str], int]:
    """Return the roles the user holds anywhere (the menu shows what they lead to) and their unread count, in one query."""
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
        .values_list("roles__role", "unread")
    )
    count = rows[0][1] if rows else 0
    if user.is_superuser:
        return ALL_ROLES, count
    return frozenset(role for role, _unread in rows if role), count


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
