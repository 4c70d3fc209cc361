"""Reminder e-mails to units that have not submitted their self-assessment when the deadline is near or past."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scoring.access import unit_people_assignments
from scoring.assessment.selectors import progress_board
from scoring.models import EvaluatingBody, Period, RoleAssignment, User
from scoring.progress.board import is_submitted, percent_text
from scoring.workflow import Status

logger = logging.getLogger(__name__)

# The daily run stops reminding a period this long after its deadline: by then the appraisal has begun
# and a unit that still has not submitted is a matter for a phone call, not a daily e-mail.
LATE_REMINDER_WINDOW_DAYS = 30


def reminder_horizon(now: datetime) -> datetime:
    """Return the latest deadline that is reminded of today (deadlines up to N days ahead)."""
    return now + timedelta(days=settings.REMINDER_DAYS_BEFORE_DEADLINE)


def _due(row: object, *, now: datetime) -> bool:
    return not is_submitted(row) and row.deadline is not None and row.deadline <= reminder_horizon(now)


def sheet_url(*, assessment_id: int | None) -> str:
    """Return the absolute address of the unit's scoring page, or of the list where a unit not started opens it."""
    try:
        if assessment_id is None:
            path = reverse("assessment:list")
        else:
            path = reverse("assessment:sheet", kwargs={"pk": assessment_id})
    except NoReverseMatch:
        path = reverse("home")
    return settings.SITE_URL + path


@dataclass(frozen=True, slots=True)
class Reminder:
    """One e-mail to send: one person of one unit."""

    recipient: User
    unit_name: str
    year: int
    deadline: datetime
    is_late: bool
    status_label: str
    scored_text: str
    url: str


def _recipients(*, body: EvaluatingBody, unit_ids: Sequence[int]) -> QuerySet[RoleAssignment]:
    return (
        unit_people_assignments(body=body, unit_ids=unit_ids)
        .exclude(user__email="")
        .select_related("user")
        .order_by("unit_id", "user__username")
    )


def reminders_for(*, body: EvaluatingBody, period: Period, now: datetime | None = None) -> list[Reminder]:
    """Return the reminders due now: each unit officer and unit head of every unit not submitted in time."""
    now = now or timezone.now()
    rows = {row.unit_id: row for row in progress_board(body=body, period=period) if _due(row, now=now)}
    reminders = []
    seen: set[tuple[int, int]] = set()
    for assignment in _recipients(body=body, unit_ids=list(rows)):
        # Officer and head of the same unit at once: one e-mail is enough.
        if (assignment.unit_id, assignment.user_id) in seen:
            continue
        seen.add((assignment.unit_id, assignment.user_id))
        row = rows[assignment.unit_id]
        reminders.append(
            Reminder(
                recipient=assignment.user,
                unit_name=row.unit_name,
                year=period.year,
                deadline=row.deadline,
                is_late=row.deadline <= now,
                status_label=Status(row.status).label if row.status else _("Chưa bắt đầu"),
                scored_text=percent_text(row.scored_percent),
                url=sheet_url(assessment_id=row.assessment_id),
            )
        )
    return reminders


def _message(*, reminder: Reminder, sender_name: str) -> EmailMessage:
    context = {
        "recipient_name": str(reminder.recipient),
        "unit_name": reminder.unit_name,
        "year": reminder.year,
        "deadline_text": timezone.localtime(reminder.deadline).strftime("%H:%M ngày %d/%m/%Y"),
        "is_late": reminder.is_late,
        "status_label": reminder.status_label,
        "scored_text": reminder.scored_text,
        "sheet_url": reminder.url,
        "sender_name": sender_name,
    }
    subject = render_to_string("emails/assessment_reminder_subject.txt", context)
    return EmailMessage(
        # A header cannot hold a line break; the template's trailing newline would break the mail.
        subject=" ".join(subject.split()),
        body=render_to_string("emails/assessment_reminder_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.recipient.email],
    )


def assessment_reminders_send(*, body: EvaluatingBody, period: Period, actor: User | None) -> int:
    """Return how many reminders were e-mailed to the people of units that have not submitted in time."""
    # Sent from a task with no request: the e-mails are in the site's language, not the last user's.
    with translation.override(settings.LANGUAGE_CODE):
        reminders = reminders_for(body=body, period=period)
        sender_name = body.administrator_name or body.name
        messages = [_message(reminder=r, sender_name=sender_name) for r in reminders]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    logger.info(
        "Assessment reminders for %s %s by %s: %d e-mail(s) to %d unit(s)",
        body.code,
        period.year,
        actor.username if actor else "schedule",
        len(messages),
        len({r.unit_name for r in reminders}),
    )
    return len(messages)


def periods_to_remind(*, now: datetime | None = None) -> QuerySet[Period]:
    """Return the unpublished periods whose self-assessment deadline is near or not long past."""
    now = now or timezone.now()
    return Period.objects.filter(
        published_on__isnull=True,
        self_assessment_deadline__lte=reminder_horizon(now),
        self_assessment_deadline__gte=now - timedelta(days=LATE_REMINDER_WINDOW_DAYS),
    ).select_related("body")
