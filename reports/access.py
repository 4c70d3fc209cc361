"""Who may see and do what in reports: the only module of the app that decides it.

Every report page, job, download and API endpoint asks the functions below; they build on scoring.access (the
role lookups) and appraisal/surveys never decide for reports. A superuser holds every role in every body. A body
the user has no role in answers 404, as if it did not exist; the public (not logged in) reads only what is
published (the public pages, the public rankings API, decision files).

=============================================  ==========  =========================  ============================
object                                         body admin  appraiser, council member  unit officer / unit head
                                                           and viewer
=============================================  ==========  =========================  ============================
the body's reports (annual, rankings, body     read        read                       — (dashboards: published years,
dashboards, province plan export)                                                     own unit only)
figures not yet published (drafts)            read        read                       —
a unit's analysis and plan                     read        read                       read (own unit only)
province's recovery plan                       change      read                       read
a unit's recovery plan                         change      read                       change (own unit only)
province's national results, targets, import   change      read                       read
publication: decisions, publish, amend         change      —                          —
papers' particulars (number, signer)           change      read                       —
import of published results                    change      —                          —
recompute of a period's results                change      —                          —
report jobs of the body (list, retry)          all         their own                  their own
=============================================  ==========  =========================  ============================

Rules of the reports themselves (a year not published yet, a frozen snapshot) stay in the services.
"""

from __future__ import annotations

from django.db.models import QuerySet

from scoring.access import (
    bodies_administered,
    bodies_for_user,
    body_assignments,
    holds_unit_role,
    is_body_admin,
    is_body_staff,
    units_visible_to,
)
from scoring.models import EvaluatingBody, Period, RoleAssignment, Unit, User


def bodies_readable(user: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies whose reports the user opens (those they hold any role in)."""
    return bodies_for_user(user)


def units_readable(user: User, body: EvaluatingBody) -> QuerySet[Unit]:
    """Return the units of the body whose analysis and plan the user reads (staff: all; unit people: theirs)."""
    return units_visible_to(user, body)


def may_read_body_reports(user: User, body: EvaluatingBody) -> bool:
    """The body's own staff (admin, appraisers, council, viewers) read the reports on all units, drafts too."""
    return is_body_staff(user, body)


def may_read_unit_reports(user: User, unit: Unit) -> bool:
    """The body's staff, and the unit's own people, read a unit's analysis and plan."""
    return units_visible_to(user, unit.body).filter(pk=unit.pk).exists()


def may_read_drafts(user: User, body: EvaluatingBody) -> bool:
    """Figures of a period not yet published (last recompute) are for the body's staff only."""
    return may_read_body_reports(user, body)


def may_read_plan(user: User, body: EvaluatingBody, unit: Unit | None) -> bool:
    """Return whether the user reads the plan: the province's to anyone of the body, a unit's as its analysis."""
    if unit is None:
        return bodies_for_user(user).filter(pk=body.pk).exists()
    return may_read_unit_reports(user, unit)


def may_edit_plan(user: User, body: EvaluatingBody, unit: Unit | None) -> bool:
    """Return whether the user may change the plan: the body's admin; for a unit's plan also its own people."""
    if unit is not None and unit.body_id != body.pk:
        return False
    if is_body_admin(user, body):
        return True
    if unit is None or not user.is_authenticated:
        return False
    return holds_unit_role(user, unit)


def may_manage_province(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user imports the province's national results and sets its targets (the body's admin)."""
    return is_body_admin(user, body)


def may_edit_particulars(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user sets the number, recipients and signer of the body's papers (the body's admin)."""
    return is_body_admin(user, body)


def may_publish(user: User, period: Period) -> bool:
    """Return whether the user records publication decisions, publishes and amends (the body's admin)."""
    return is_body_admin(user, period.body)


def may_import_results(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user imports published results of earlier years into the body (the body's admin)."""
    return is_body_admin(user, body)


def importing_bodies(user: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies into which the user may import published results (those they administer), by name."""
    return bodies_administered(user).order_by("name")


def may_recompute(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user recomputes a period's live results by hand (the body's admin)."""
    return is_body_admin(user, body)


def may_see_all_jobs(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user sees and retries every report job of the body, not only their own (its admin)."""
    return is_body_admin(user, body)


def publishing_bodies(user: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies whose publication pages the user opens (those they administer), by name."""
    return bodies_administered(user).order_by("name")


def publication_recipients(period: Period) -> QuerySet[RoleAssignment]:
    """Return the role rows of everyone of the body, who are told when its results are published."""
    return body_assignments(period.body)
