"""Background work of the reports app: thin wrappers that load objects by id and call one service."""

from celery import shared_task


@shared_task
def published_results_import_task(job_id: int, replace: bool = False) -> None:
    """Forward a message queued before jobs became one model: run the import job it names by its old id.

    Imports are `scoring.models.Job` rows run by `scoring.tasks.job_run_task`; the data migration kept each old
    import's id in its params, and the message's `replace` choice is applied as it was.
    """
    from scoring.models import Job

    from .published.selectors import IMPORT_KIND
    from .published.services import import_job_run

    job = Job.objects.filter(kind=IMPORT_KIND, params__legacy_id=job_id).select_related("body").first()
    if job is None:
        return
    import_job_run(job=job, replace=replace)


@shared_task
def report_job_task(job_id: int) -> None:
    """Forward a message queued before jobs became one model: report jobs kept their ids in the move."""
    from scoring.jobs.services import job_run

    job_run(job_id=job_id)


# No result kept: nobody reads it, and asking a Redis that is down to keep one costs ~19 s in the request.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def results_refresh_task(period_id: int) -> None:
    """Recompute a period's live results after a change; a period already current is left alone."""
    from .results.services import results_refresh_run

    results_refresh_run(period_id=period_id)


@shared_task
def results_refresh_sweep_task() -> int:
    """Queue the recompute of every period whose results are older than its last change."""
    from .results.services import results_refresh_sweep

    return results_refresh_sweep()
