"""Background work of the scoring app: thin wrappers that load objects by id and call one service."""

from celery import shared_task


# Its count is read only when it runs in-process; through a broker nobody waits for it, and asking Redis to
# keep a result costs ~19 s of retries before a request can tell that Redis is down.
@shared_task(ignore_result=True)
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


@shared_task(ignore_result=True)
def notification_emails_send_task(notification_ids: list[int]) -> int:
    """Return how many notification e-mails were sent to users who want them at once."""
    from scoring.audit.notifications import notification_emails_send

    return notification_emails_send(notification_ids=notification_ids)


@shared_task
def notification_digests_daily_task() -> int:
    """Return how many daily digests were sent to users who asked for one e-mail a day."""
    from scoring.audit.notifications import notification_digests_send

    return notification_digests_send()


# Acknowledged once run: a message taken by a worker that dies goes back to Redis for another one (after
# the visibility timeout, or at once when only the pool's child died). A second delivery of a job already
# taken or finished does nothing (`job_claim`). The outcome is on the job's row, not in a result backend.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def job_run_task(job_id: int) -> bool:
    """Run the job by what its kind does; a job already taken, finished or deleted is left alone."""
    from scoring.jobs.services import job_run

    return job_run(job_id=job_id)


@shared_task(ignore_result=True)
def job_sweep_task() -> dict[str, int]:
    """Queue again the jobs whose worker died or whose message was lost; fail those lost too often."""
    from dataclasses import asdict

    from scoring.jobs.lease import job_sweep

    return asdict(job_sweep())
