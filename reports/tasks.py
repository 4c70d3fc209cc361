"""Background work of the reports app: thin wrappers that load objects by id and call one service."""

from celery import shared_task


@shared_task
def published_results_import_task(job_id: int) -> None:
    """Run the import job; a job already taken or deleted is left alone."""
    from .models import ImportJob
    from .services import import_job_run

    job = ImportJob.objects.filter(pk=job_id).select_related("body", "requested_by").first()
    if job is None:
        return
    import_job_run(job=job)
