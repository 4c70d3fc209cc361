"""Read-only queries for importing published results, scoped to the bodies a user administers."""

from __future__ import annotations

from django.db.models import QuerySet

from reports.access import importing_bodies
from scoring.models import EvaluatingBody, Job, User

# The kind of job (scoring.models.Job) that imports published results.
IMPORT_KIND = "published_results"


def import_body_list_for_user(*, user: User) -> QuerySet[EvaluatingBody]:
    """Return the bodies into which the user may import results: those they administer."""
    if not user.is_authenticated:
        return EvaluatingBody.objects.none()
    return importing_bodies(user)


def import_body_for_user(*, user: User, code: str) -> tuple[EvaluatingBody | None, list[EvaluatingBody]]:
    """Return the body asked for (or the first) among those the user administers (None if not one), and them all."""
    bodies = list(import_body_list_for_user(user=user))
    # A body the user does not administer is reported as missing, so its existence is not revealed.
    body = next((b for b in bodies if b.code == code), None) if code else next(iter(bodies), None)
    return body, bodies


def import_job_list(*, body: EvaluatingBody, limit: int = 10) -> list[Job]:
    """Return the body's latest import jobs, newest first."""
    return list(Job.objects.filter(body=body, kind=IMPORT_KIND).select_related("requested_by")[:limit])


def import_job_get_for_user(*, user: User, pk: int) -> Job | None:
    """Return the job if it belongs to a body the user administers."""
    return (
        Job.objects.filter(pk=pk, kind=IMPORT_KIND, body__in=import_body_list_for_user(user=user))
        .select_related("body", "requested_by")
        .first()
    )


def import_job_moved_for_user(*, user: User, legacy_id: int) -> Job | None:
    """Return the job an address from before the one job model named (its old id), if the user may see it."""
    return (
        Job.objects.filter(
            kind=IMPORT_KIND, params__legacy_id=legacy_id, body__in=import_body_list_for_user(user=user)
        )
        .order_by("pk")
        .first()
    )
