"""Who may read which report: asked by every report page, job, download and API endpoint."""

from __future__ import annotations

from scoring.access import BODY_WIDE_ROLES, has_role, units_visible_to
from scoring.models import EvaluatingBody, Unit, User


def may_read_body_reports(user: User, body: EvaluatingBody) -> bool:
    """The body's own staff (admin, appraisers, council, viewers) read the reports on all units, drafts too."""
    return has_role(user, body, *BODY_WIDE_ROLES)


def may_read_unit_reports(user: User, unit: Unit) -> bool:
    """The body's staff, and the unit's own people, read a unit's analysis and plan."""
    return units_visible_to(user, unit.body).filter(pk=unit.pk).exists()


def may_read_drafts(user: User, body: EvaluatingBody) -> bool:
    """Figures of a period not yet published (last recompute) are for the body's staff only."""
    return may_read_body_reports(user, body)
