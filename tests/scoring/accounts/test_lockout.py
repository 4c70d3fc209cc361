"""Lockout after repeated wrong passwords (django-axes), through the real login page, and lifting it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from scoring.accounts.backends import client_address
from scoring.models import AuditEvent
from tests.conftest_constants import PASSWORD

LOGIN = "/accounts/login/"
LIMIT = 10


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client, unit_officer):
    statuses = [_login(client, "canbo-snv", f"sai-{n}").status_code for n in range(30)]
    # The limit-th wrong password already answers with the lockout page.
    assert statuses.index(429) == LIMIT - 1
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)
    assert set(statuses[LIMIT - 1 :]) == {429}

    response = _login(client, "canbo-snv", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)
    text = response.content.decode()
    assert "Tạm khoá đăng nhập" in text
    assert f"mật khẩu bị nhập sai {LIMIT} lần" in text
    assert "(30 phút)" in text
    assert reverse("password_reset") in text


def test_the_account_stays_locked_from_another_address(client, unit_officer):
    for n in range(LIMIT):
        _login(client, "canbo-snv", f"sai-{n}", address="10.0.0.1")

    response = _login(client, "canbo-snv", PASSWORD, address="10.9.9.9")

    assert response.status_code == 429
    assert not _signed_in(client)


def test_an_address_trying_many_accounts_is_locked_for_every_account(client, unit_officer, unit_head):
    for n in range(LIMIT):
        _login(client, f"khong-co-{n}", "sai", address="10.0.0.7")

    assert _login(client, "thutruong-snv", PASSWORD, address="10.0.0.7").status_code == 429
    # Someone elsewhere is not affected.
    assert _login(client, "thutruong-snv", PASSWORD, address="10.0.0.8").status_code == 302


def test_fewer_wrong_passwords_than_the_limit_still_let_the_right_one_in(client, unit_officer):
    for n in range(LIMIT - 1):
        _login(client, "canbo-snv", f"sai-{n}")

    assert _login(client, "canbo-snv", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_django_admin_login_is_locked_too(client, admin_user):
    for n in range(LIMIT):
        client.post("/admin/login/", {"username": "admin", "password": f"sai-{n}"}, REMOTE_ADDR="10.0.0.3")

    response = client.post(
        "/admin/login/", {"username": "admin", "password": "password"}, REMOTE_ADDR="10.0.0.4"
    )

    assert response.status_code == 429


def _lock(client, username):
    for n in range(LIMIT):
        _login(client, username, f"sai-{n}")


def test_the_body_administrator_sees_and_unlocks_an_account_of_their_body(client, body_admin, unit_officer):
    _lock(client, "canbo-snv")
    client.force_login(body_admin)

    page = client.get(reverse("account_lockouts"))
    assert page.status_code == 200
    assert "canbo-snv" in page.content.decode()

    response = client.post(reverse("account_lockout_release", args=[unit_officer.pk]))

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="canbo-snv").exists()
    assert AuditEvent.objects.filter(action="account_unlock", object_id=str(unit_officer.pk)).count() == 1
    assert "canbo-snv" not in client.get(reverse("account_lockouts")).content.decode()
    client.logout()
    # The failed attempts were all this account's, so clearing them frees the address too.
    assert _login(client, "canbo-snv", PASSWORD).status_code == 302


def test_another_bodys_administrator_can_neither_see_nor_unlock(client, outsider, unit_officer):
    _lock(client, "canbo-snv")
    client.force_login(outsider)

    assert "canbo-snv" not in client.get(reverse("account_lockouts")).content.decode()
    response = client.post(reverse("account_lockout_release", args=[unit_officer.pk]))

    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="canbo-snv").exists()


@pytest.mark.parametrize("persona", ["unit_officer", "appraiser", "council_member"])
def test_people_who_administer_no_body_do_not_get_the_lockout_page(client, request, persona, unit_head):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("account_lockouts")).status_code == 404
    assert client.post(reverse("account_lockout_release", args=[unit_head.pk])).status_code == 404


def test_the_django_admin_action_unlocks(client, admin_user, unit_officer):
    _lock(client, "canbo-snv")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:scoring_user_changelist"),
        {"action": "unlock_logins", "_selected_action": [unit_officer.pk]},
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="canbo-snv").exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.1"),  # no proxy: a client-written header proves nothing
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the proxy appended what it saw; the left entry is forged
        (2, "6.6.6.6, 1.1.1.1, 172.16.0.2", "1.1.1.1"),
        (2, "1.1.1.1", "10.0.0.1"),  # fewer entries than proxies: not as configured, use the connection
    ],
)
def test_the_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post(LOGIN, HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")

    assert client_address(request) == expected


def test_the_wait_is_said_in_hours_and_minutes():
    from datetime import timedelta

    from scoring.templatetags.duration_tags import wait_text

    assert wait_text(timedelta(minutes=30)) == "30 phút"
    assert wait_text(timedelta(hours=1, minutes=30)) == "1 giờ 30 phút"
    assert wait_text(timedelta(hours=2)) == "2 giờ"
    assert wait_text(timedelta(seconds=10)) == "1 phút"
