"""Notifications: created for users, e-mailed at once or in a daily digest, counted in the menu, read and set."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scoring.audit.notifications import notification_preference_set, notifications_mark_read, notify
from scoring.context_processors import nav_state
from scoring.models import Notification, NotificationMode, NotificationPreference
from scoring.tasks import notification_digests_daily_task
from tests.scoring.factories import UserFactory

URL = "/tu-danh-gia/1/"


def _notify(users, body, text="Hồ sơ của Sở Nội vụ đã được trả lại để sửa", url=URL):
    return notify(users=users, body=body, verb="assessment_returned", text=text, url=url)


@pytest.fixture
def digest_user(body):
    user = UserFactory(username="tong-hop", email="tonghop@laichau.gov.vn")
    notification_preference_set(user=user, mode=NotificationMode.DIGEST)
    return user


# --- the service ------------------------------------------------------------------------------------------


def test_notify_creates_one_row_per_distinct_active_user(
    body, unit_officer, unit_head, django_capture_on_commit_callbacks
):
    inactive = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        count = _notify([unit_officer, unit_head, unit_officer, inactive, None], body)

    assert count == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        unit_officer.username,
        unit_head.username,
    }


def test_immediate_users_get_an_email_after_commit_in_vietnamese(
    body, unit_officer, mailoutbox, django_capture_on_commit_callbacks
):
    unit_officer.email = "canbo@laichau.gov.vn"
    unit_officer.save()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify([unit_officer], body)
        assert mailoutbox == []  # nothing leaves before the change is committed
    for callback in callbacks:
        callback()

    (mail,) = mailoutbox
    assert mail.to == ["canbo@laichau.gov.vn"]
    assert "Hồ sơ của Sở Nội vụ đã được trả lại để sửa" in mail.subject
    assert "Kính gửi" in mail.body and settings.SITE_URL + URL in mail.body
    assert Notification.objects.get().emailed_at is not None


def test_digest_users_get_no_immediate_email(
    body, digest_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([digest_user], body)

    assert mailoutbox == []
    assert Notification.objects.get().emailed_at is None


def test_daily_digest_sends_one_mail_per_user_once(
    body, digest_user, unit_officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([digest_user], body, text="Thông báo thứ nhất")
        _notify([digest_user], body, text="Thông báo thứ hai")
        _notify([digest_user], body, text="Thông báo đã đọc")
    notifications_mark_read(
        user=digest_user,
        ids=Notification.objects.filter(text="Thông báo đã đọc").values_list("pk", flat=True),
    )

    sent = notification_digests_daily_task.delay().get()

    assert sent == 1
    (mail,) = mailoutbox
    assert mail.to == [digest_user.email]
    assert "2 thông báo mới" in mail.subject
    assert "Thông báo thứ nhất" in mail.body and "Thông báo thứ hai" in mail.body
    assert "Thông báo đã đọc" not in mail.body
    assert notification_digests_daily_task.delay().get() == 0


def test_the_daily_digest_is_scheduled():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "scoring.tasks.notification_digests_daily_task" in tasks


def test_mark_read_touches_only_the_users_own_notifications(body, unit_officer, unit_head):
    _notify([unit_officer, unit_head], body)
    theirs = Notification.objects.get(user=unit_head)

    assert notifications_mark_read(user=unit_officer, ids=[theirs.pk]) == 0
    assert notifications_mark_read(user=unit_officer) == 1
    assert Notification.objects.filter(user=unit_head).unread().count() == 1


# --- the menu ---------------------------------------------------------------------------------------------


def test_roles_and_unread_count_come_from_one_query(body, unit_officer, django_assert_num_queries):
    _notify([unit_officer], body)
    _notify([unit_officer], body)

    with django_assert_num_queries(1):
        state = nav_state(unit_officer)

    assert state.roles == frozenset({"unit_officer"}) and state.unread == 2
    assert [code for _pk, code, _name in state.bodies] == [body.code]


def test_a_user_without_roles_still_gets_the_count(body):
    user = UserFactory()
    _notify([user], body)

    state = nav_state(user)

    assert (state.roles, state.unread, state.bodies) == (frozenset(), 1, ())


def test_menu_shows_the_unread_count_without_an_extra_query(client, body, unit_officer):
    client.force_login(unit_officer)
    home = reverse("home")
    with CaptureQueriesContext(connection) as before:
        client.get(home)
    _notify([unit_officer], body)
    _notify([unit_officer], body)
    _notify([unit_officer], body)

    with CaptureQueriesContext(connection) as after:
        response = client.get(home)

    assert len(after) == len(before)
    assert '<mark class="nav-unread">3</mark>' in response.text


# --- the page ---------------------------------------------------------------------------------------------


def test_page_lists_only_the_users_own_notifications(client, body, unit_officer, unit_head):
    _notify([unit_officer], body, text="Cho cán bộ")
    _notify([unit_head], body, text="Cho thủ trưởng")
    client.force_login(unit_officer)

    response = client.get(reverse("audit:notification_list"))

    assert "Cho cán bộ" in response.text and "Cho thủ trưởng" not in response.text


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, body, unit_officer):
    _notify([unit_officer], body)
    notification = Notification.objects.get()
    client.force_login(unit_officer)

    response = client.post(reverse("audit:notification_open", args=[notification.pk]))

    assert response.status_code == 302 and response["Location"] == URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_foreign_link_is_not_followed(client, body, unit_officer):
    _notify([unit_officer], body, url="https://evil.example/")
    client.force_login(unit_officer)

    response = client.post(reverse("audit:notification_open", args=[Notification.objects.get().pk]))

    assert response["Location"] == reverse("audit:notification_list")


def test_someone_elses_notification_is_404(client, body, unit_officer, unit_head):
    _notify([unit_head], body)
    client.force_login(unit_officer)

    response = client.post(reverse("audit:notification_open", args=[Notification.objects.get().pk]))

    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_mark_all_read_clears_the_count(client, body, unit_officer):
    _notify([unit_officer], body)
    _notify([unit_officer], body)
    client.force_login(unit_officer)

    client.post(reverse("audit:notifications_read_all"))

    assert not Notification.objects.unread().exists()
    assert "nav-unread" not in client.get(reverse("audit:notification_list")).text


def test_preference_form_switches_to_the_daily_digest(client, unit_officer):
    client.force_login(unit_officer)

    client.post(reverse("audit:notification_preference"), {"mode": "digest"})
    page = client.get(reverse("audit:notification_list"))

    assert NotificationPreference.objects.get(user=unit_officer).mode == NotificationMode.DIGEST
    assert page.context["preference_form"].initial == {"mode": "digest"}
    assert 'value="digest" required id="id_mode_1" checked' in page.text


def test_preference_rejects_an_unknown_mode(client, unit_officer):
    client.force_login(unit_officer)

    client.post(reverse("audit:notification_preference"), {"mode": "hourly"})

    assert not NotificationPreference.objects.filter(user=unit_officer).exists()


def test_pages_need_a_login(client):
    assert client.get(reverse("audit:notification_list")).status_code == 302


def test_read_at_is_set_to_now(body, unit_officer, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    _notify([unit_officer], body)

    notifications_mark_read(user=unit_officer)

    assert Notification.objects.get().read_at == now
