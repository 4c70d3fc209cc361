"""Two-factor login (TOTP with backup codes) for the roles of TWO_FACTOR_REQUIRED_ROLES."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from scoring.accounts import services as account_services
from tests.conftest_constants import PASSWORD

LOGIN = "/accounts/login/"
API = "/api/v1/assessments/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["body_admin", "council_member"]


def _password_login(client, username):
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def enrolled_admin(body_admin):
    device = TOTPDevice.objects.create(user=body_admin, name="app", confirmed=True)
    codes = account_services.backup_codes_renew(user=body_admin)
    return body_admin, device, codes


def test_an_administrator_without_a_device_enrols_after_the_password(client, body_admin):
    _password_login(client, "admin-snv")

    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == reverse("two_factor_setup") + "?next=%2F"
    # Every other page sends there too, until the enrolment is done.
    assert client.get(reverse("assessment:list"))["Location"].startswith(reverse("two_factor_setup"))

    page = client.get(home["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text
    assert "Bật xác thực hai bước" in text
    device = TOTPDevice.objects.get(user=body_admin, confirmed=False)
    key = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', text).group(1).replace(" ", "")
    assert len(key) == 32

    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": "/"})
    assert "Mã không đúng" in wrong.content.decode()
    assert client.get("/").status_code == 302

    # A wrong code makes the device wait (1 s, doubling with each further miss) before it checks another.
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        done = client.post(reverse("two_factor_setup"), {"token": _code(device), "next": "/"})

    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == account_services.BACKUP_CODE_COUNT
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_an_enrolled_administrator_gives_a_code_after_the_password(client, enrolled_admin):
    _admin, device, _codes = enrolled_admin
    _password_login(client, "admin-snv")

    response = client.get(reverse("assessment:list"))
    assert response["Location"] == reverse("two_factor_verify") + "?next=%2Ftu-danh-gia%2F"
    # The enrolment page cannot be used to put another phone on the account with the password alone.
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("two_factor_verify"))
    assert "Mã không đúng" in client.post(reverse("two_factor_verify"), {"token": "123456"}).content.decode()

    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        verified = client.post(
            reverse("two_factor_verify"), {"token": _code(device), "next": "/tu-danh-gia/"}
        )

    assert verified.status_code == 302
    assert verified["Location"] == "/tu-danh-gia/"
    assert client.get(reverse("assessment:list")).status_code == 200


def test_a_backup_code_works_once(client, enrolled_admin):
    _admin, _device, codes = enrolled_admin
    _password_login(client, "admin-snv")

    assert client.post(reverse("two_factor_verify"), {"token": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(token=codes[0]).count() == 0

    client.logout()
    _password_login(client, "admin-snv")
    again = client.post(reverse("two_factor_verify"), {"token": codes[0]})
    assert again.status_code == 200
    assert client.get("/").status_code == 302


def test_a_council_member_and_a_superuser_must_enrol_too(client, council_member, admin_user):
    client.force_login(council_member)
    assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))
    client.force_login(admin_user)
    assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))


def test_roles_outside_the_setting_are_not_asked(client, unit_officer, appraiser):
    for user in (unit_officer, appraiser):
        client.force_login(user)
        assert client.get("/").status_code == 200


def test_an_empty_setting_asks_nobody(client, settings, body_admin):
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(body_admin)

    assert client.get("/").status_code == 200


def test_the_api_refuses_an_unverified_session_but_not_a_token(client, body_admin):
    client.force_login(body_admin)
    refused = client.get(API)
    assert refused.status_code == 403
    assert refused.json()["code"] == "two_factor_required"

    client.logout()
    token = Token.objects.create(user=body_admin)
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200


def test_backup_codes_are_renewed_only_in_a_verified_session(client, enrolled_admin):
    _admin, device, codes = enrolled_admin
    client.force_login(enrolled_admin[0])
    assert client.post(reverse("two_factor_backup_codes"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    client.post(reverse("two_factor_verify"), {"token": _code(device)})

    assert "Còn 10 mã dự phòng" in client.get(reverse("two_factor_backup_codes")).content.decode()
    renewed = client.post(reverse("two_factor_backup_codes"))

    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", renewed.content.decode())
    assert len(new_codes) == account_services.BACKUP_CODE_COUNT
    assert not StaticToken.objects.filter(token__in=codes).exclude(token__in=new_codes).exists()


def test_a_temporary_password_is_changed_after_the_second_factor(client, enrolled_admin):
    admin, device, _codes = enrolled_admin
    admin.must_change_password = True
    admin.save(update_fields=["must_change_password"])
    _password_login(client, "admin-snv")

    assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"token": _code(device)})

    assert client.get("/")["Location"].startswith(reverse("password_change"))
