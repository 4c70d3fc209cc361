"""Background work of the reports app: thin wrappers that load objects by id and call one service."""

from celery import shared_task


@shared_task
def published_results_import_task(job_id: int, replace: bool = False) -> None:
    """Run the import job (replacing results imported before only if chosen); a job taken or deleted is left alone."""
    from .models import ImportJob
    from .services import import_job_run

    job = ImportJob.objects.filter(pk=job_id).select_related("body", "requested_by").first()
    if job is None:
        return
    import_job_run(job=job, replace=replace)


@shared_task
def report_job_task(job_id: int) -> None:
    """Render the report job (or recompute); a job already taken, finished or deleted is left alone."""
    from .models import ReportJob
    from .report_jobs import report_job_run

    job = ReportJob.objects.filter(pk=job_id).select_related("body", "unit", "period", "requested_by").first()
    if job is None:
        return
    report_job_run(job)
