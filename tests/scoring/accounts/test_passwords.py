"""Password rules, reset by e-mail, and the temporary passwords that must be changed at first login."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from scoring.models import User
from tests.conftest_constants import PASSWORD

STRONG = "Cai-cach-hanh-chinh-2026"


def _messages(password: str, user=None) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Lc@2026xyz", "Mật khẩu quá ngắn: cần ít nhất 12 ký tự."),
        ("Abcdefg12!x", "Mật khẩu quá ngắn: cần ít nhất 12 ký tự."),
        ("password1234", "Mật khẩu này quá phổ biến."),
        ("123456789012", "Mật khẩu này hoàn toàn là số."),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(db, password, message):
    assert message in _messages(password)


def test_a_twelve_character_uncommon_password_is_accepted(db):
    validate_password("Lai-Chau-cchc")
    validate_password(STRONG)


def test_the_change_page_refuses_an_eight_character_password(client, unit_officer):
    client.force_login(unit_officer)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Lc@20266", "new_password2": "Lc@20266"},
    )

    assert response.status_code == 200
    assert "ít nhất 12 ký tự" in response.content.decode()


# --- reset by e-mail -------------------------------------------------------------------------------------


def _reset_link(client, email: str) -> str:
    assert client.get(reverse("login")).content.decode().count(reverse("password_reset")) == 1
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert "đặt lại mật khẩu" in message.subject
    return re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)


def test_password_reset_by_email(client, unit_officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    unit_officer.must_change_password = True
    unit_officer.save(update_fields=["must_change_password"])
    for n in range(3):  # someone else locked the account
        client.post("/accounts/login/", {"username": "canbo-snv", "password": f"sai-{n}"})
    assert AccessAttempt.objects.filter(username="canbo-snv").exists()

    link = _reset_link(client, unit_officer.email)
    assert "Kính gửi" in mail.outbox[0].body
    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    short = client.post(
        form.redirect_chain[-1][0], {"new_password1": "ngan-qua", "new_password2": "ngan-qua"}
    )
    assert "ít nhất 12 ký tự" in short.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})

    assert done.status_code == 302
    assert "Đã đặt mật khẩu mới" in client.get(done["Location"]).content.decode()
    unit_officer.refresh_from_db()
    assert unit_officer.check_password(STRONG)
    assert not unit_officer.must_change_password
    assert not AccessAttempt.objects.filter(username="canbo-snv").exists()
    assert client.post("/accounts/login/", {"username": "canbo-snv", "password": STRONG}).status_code == 302
    # The link works once.
    assert "không hợp lệ" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "ai-do@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []
    assert "Hãy kiểm tra hộp thư" in client.get(response["Location"]).content.decode()


# --- temporary passwords set by an administrator ----------------------------------------------------------


def test_an_account_added_in_the_admin_must_change_its_password(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:scoring_user_add"),
        {
            "username": "moi",
            "usable_password": "true",
            "password1": STRONG,
            "password2": STRONG,
            # The roles inline's empty formset.
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="moi").must_change_password


def test_a_password_set_by_an_administrator_must_be_changed(client, admin_user, unit_officer):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[unit_officer.pk]),
        {"password1": STRONG, "password2": STRONG},
    )

    assert response.status_code == 302
    unit_officer.refresh_from_db()
    assert unit_officer.must_change_password
    assert unit_officer.check_password(STRONG)


def test_an_administrator_setting_their_own_password_is_not_asked_again(client, admin_user):
    client.force_login(admin_user)

    client.post(
        reverse("admin:auth_user_password_change", args=[admin_user.pk]),
        {"password1": STRONG, "password2": STRONG},
    )

    admin_user.refresh_from_db()
    assert admin_user.check_password(STRONG)
    assert not admin_user.must_change_password
