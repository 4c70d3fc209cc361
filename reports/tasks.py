"""Background work of the reports app: thin wrappers that load objects by id and call one service."""

from celery import shared_task


@shared_task
def published_results_import_task(job_id: int, replace: bool = False) -> None:
    """Run the import job (replacing results imported before only if chosen); a job taken or deleted is left alone."""
    from .models import ImportJob
    from .published.services import import_job_run

    job = ImportJob.objects.filter(pk=job_id).select_related("body", "requested_by").first()
    if job is None:
        return
    import_job_run(job=job, replace=replace)


@shared_task
def report_job_task(job_id: int) -> None:
    """Render the report job (or recompute); a job already taken, finished or deleted is left alone."""
    from .jobs.services import report_job_run
    from .models import ReportJob

    job = ReportJob.objects.filter(pk=job_id).select_related("body", "unit", "period", "requested_by").first()
    if job is None:
        return
    report_job_run(job)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def results_refresh_task(period_id: int) -> None:
    """Recompute a period's live results after a change; a period already current is left alone."""
    from .results.services import results_refresh_run

    results_refresh_run(period_id=period_id)


@shared_task
def results_refresh_sweep_task() -> int:
    """Queue the recompute of every period whose results are older than its last change."""
    from .results.services import results_refresh_sweep

    return results_refresh_sweep()
