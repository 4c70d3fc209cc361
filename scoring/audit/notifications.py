"""In-app notifications, and their e-mails: at once, or gathered in one daily digest, as each user prefers."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from scoring.models import EvaluatingBody, Notification, NotificationMode, NotificationPreference, User

logger = logging.getLogger(__name__)


def absolute_url(url: str) -> str:
    """Return a link usable from an e-mail: site-relative paths get the site's address."""
    return settings.SITE_URL + url if url.startswith("/") else url


def notification_mode(*, user: User) -> str:
    pref = NotificationPreference.objects.filter(user=user).values_list("mode", flat=True).first()
    return pref or NotificationMode.IMMEDIATE


@transaction.atomic
def notification_preference_set(*, user: User, mode: str) -> NotificationPreference:
    if mode not in NotificationMode.values:
        raise ValueError(mode)
    pref, _created = NotificationPreference.objects.update_or_create(user=user, defaults={"mode": mode})
    return pref


@transaction.atomic
def notify(*, users: Iterable[User], body: EvaluatingBody, verb: str, text: str, url: str) -> int:
    """Create one notification per distinct active user and return how many; e-mail "immediate" users after commit."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    if not recipients:
        return 0
    rows = Notification.objects.bulk_create(
        [Notification(user_id=pk, body=body, verb=verb[:60], text=text, url=url[:500]) for pk in recipients]
    )
    digest_ids = set(
        NotificationPreference.objects.filter(
            user_id__in=recipients, mode=NotificationMode.DIGEST
        ).values_list("user_id", flat=True)
    )
    immediate_ids = [n.pk for n in rows if n.user_id not in digest_ids and recipients[n.user_id].email]
    if immediate_ids:
        # After commit: a rolled-back change must not have been announced by e-mail.
        transaction.on_commit(partial(_enqueue_immediate, notification_ids=immediate_ids))
    return len(rows)


def _enqueue_immediate(*, notification_ids: list[int]) -> None:
    from scoring.jobs.queue import task_publish
    from scoring.tasks import notification_emails_send_task

    # The change is committed: a broker that is away must not turn it into an error page. The rows stay
    # un-e-mailed (emailed_at is empty) and are still listed in the application.
    task_publish(notification_emails_send_task, args=[notification_ids])


def _sender_name(body: EvaluatingBody) -> str:
    return body.administrator_name or body.name


def notification_emails_send(*, notification_ids: list[int]) -> int:
    """E-mail each notification not yet e-mailed to its recipient; return how many mails were sent."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user", "body")
    )
    if not pending:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        messages = []
        for n in pending:
            context = {
                "recipient_name": str(n.user),
                "text": n.text,
                "url": absolute_url(n.url) if n.url else "",
                "sender_name": _sender_name(n.body),
            }
            subject = render_to_string("emails/notification_subject.txt", context)
            messages.append(
                EmailMessage(
                    subject=" ".join(subject.split()),
                    body=render_to_string("emails/notification_body.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[n.user.email],
                )
            )
    with get_connection() as connection:
        connection.send_messages(messages)
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return len(messages)


def notification_digests_send(*, now: datetime | None = None) -> int:
    """Send each "digest" user one e-mail listing their unread notifications not yet e-mailed; return mails sent."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            user__is_active=True,
            user__notification_preference__mode=NotificationMode.DIGEST,
        )
        .exclude(Q(user__email=""))
        .select_related("user", "body")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for n in pending:
        by_user[n.user_id].append(n)
    if not by_user:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        messages = []
        for rows in by_user.values():
            user = rows[0].user
            context = {
                "recipient_name": str(user),
                "count": len(rows),
                "entries": [
                    {
                        "text": n.text,
                        "url": absolute_url(n.url) if n.url else "",
                        "at_text": timezone.localtime(n.created_at).strftime("%H:%M %d/%m/%Y"),
                    }
                    for n in rows
                ],
                "list_url": absolute_url(_list_path()),
                "date_text": timezone.localtime(now).strftime("%d/%m/%Y"),
            }
            subject = render_to_string("emails/digest_subject.txt", context)
            messages.append(
                EmailMessage(
                    subject=" ".join(subject.split()),
                    body=render_to_string("emails/digest_body.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.email],
                )
            )
    with get_connection() as connection:
        connection.send_messages(messages)
    Notification.objects.filter(pk__in=[n.pk for rows in by_user.values() for n in rows]).update(
        emailed_at=now
    )
    logger.info("Notification digests: %d e-mail(s)", len(messages))
    return len(messages)


def _list_path() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("audit:notification_list")
    except NoReverseMatch:
        return "/"


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread when no ids given); return how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
