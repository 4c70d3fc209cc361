"""Background work of the surveys app: thin wrappers that load objects by id and call one service."""

from celery import shared_task


@shared_task
def ballots_import_task(job_id: int) -> None:
    """Forward a message queued before jobs became one model: run the job it names by its old id.

    Ballot imports are `scoring.models.Job` rows run by `scoring.tasks.job_run_task`; a message of this name
    can only come from before the move, whose data migration kept the old id in the job's params.
    """
    from scoring.jobs.services import job_run
    from scoring.models import Job

    from .ballot_import.services import BALLOT_IMPORT_KIND

    job = Job.objects.filter(kind=BALLOT_IMPORT_KIND, params__legacy_id=job_id).first()
    if job is not None:
        job_run(job_id=job.pk)
