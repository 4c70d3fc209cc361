"""Background work of the scoring app: thin wrappers that load objects by id and call one service."""

from celery import shared_task


@shared_task
def assessment_reminders_send_task(body_id: int, period_id: int, actor_id: int | None = None) -> int:
    """Return how many reminders were sent for the period (0 when it no longer exists)."""
    from scoring.models import Period, User
    from scoring.progress.reminders import assessment_reminders_send

    period = Period.objects.filter(pk=period_id, body_id=body_id).select_related("body").first()
    if period is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return assessment_reminders_send(body=period.body, period=period, actor=actor)


@shared_task
def assessment_reminders_daily_task() -> int:
    """Return how many reminders the morning run sent, over every period whose deadline is near or past."""
    from scoring.progress.reminders import assessment_reminders_send, periods_to_remind

    return sum(
        assessment_reminders_send(body=period.body, period=period, actor=None)
        for period in periods_to_remind()
    )


@shared_task
def notification_emails_send_task(notification_ids: list[int]) -> int:
    """Return how many notification e-mails were sent to users who want them at once."""
    from scoring.audit.notifications import notification_emails_send

    return notification_emails_send(notification_ids=notification_ids)


@shared_task
def notification_digests_daily_task() -> int:
    """Return how many daily digests were sent to users who asked for one e-mail a day."""
    from scoring.audit.notifications import notification_digests_send

    return notification_digests_send()


@shared_task
def job_run_task(job_id: int) -> bool:
    """Run the job by what its kind does; a job already taken, finished or deleted is left alone."""
    from scoring.jobs.services import job_run

    return job_run(job_id=job_id)
