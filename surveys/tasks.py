"""Background work of the surveys app: thin wrappers that load objects by id and call one service."""

from celery import shared_task


@shared_task
def ballots_import_task(job_id: int) -> None:
    """Run the ballot import job; a job already taken or deleted is left alone."""
    from .ballot_import.services import ballot_import_job_run
    from .models import BallotImportJob

    job = BallotImportJob.objects.filter(pk=job_id).select_related("period", "requested_by").first()
    if job is None:
        return
    ballot_import_job_run(job=job)
