"""Personal API tokens: made on the "Mã truy cập API" page, shown once, used as Bearer, expired and revoked."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from scoring.models import ApiToken, AuditEvent
from tests.scoring.factories import UserFactory

PAGE = reverse("api_tokens")
API = "/api/v1/assessments/"


def _create(client, name="Bảng tính của phòng", days=30, key="k1"):
    expires = (timezone.localdate() + timedelta(days=days)).isoformat()
    return client.post(PAGE, {"name": name, "expires_on": expires, "submission_key": key})


def _key_in(response) -> str:
    found = re.search(r'value="(pi_[A-Za-z0-9_-]+)"', response.content.decode())
    assert found, "the new key is not on the page"
    return found.group(1)


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_is_shown_once_stored_hashed_and_lets_its_holder_call_the_api(client, unit_officer):
    client.force_login(unit_officer)

    response = _create(client)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = _key_in(response)
    token = ApiToken.objects.get(user=unit_officer)
    assert token.key_hash == ApiToken.hash_key(key) and key not in (token.key_hash, token.prefix)
    assert key.startswith(token.prefix)
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + timedelta(days=30)
    # Listed by its prefix, never again in full.
    page = client.get(PAGE).content.decode()
    assert token.prefix in page and key not in page
    assert AuditEvent.objects.filter(action="api_token_created", object_id=str(token.pk)).count() == 1

    client.logout()
    assert client.get(API, **_bearer(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_double_submit_creates_one_token_and_does_not_show_a_key_again(client, unit_officer):
    client.force_login(unit_officer)
    _key_in(_create(client, key="same"))

    again = _create(client, key="same")

    assert again.status_code == 302
    assert ApiToken.objects.filter(user=unit_officer).count() == 1
    assert "pi_" not in client.get(again["Location"]).content.decode().split("<h2")[0]


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [
        ("   ", 30, "Hãy đặt tên cho mã truy cập"),
        ("Quá hạn", 366, "có hạn tối đa 365 ngày"),
        ("Hôm qua", -1, "Ngày hết hạn phải sau hôm nay"),
    ],
)
def test_bad_input_is_refused_with_a_message_the_typed_values_kept_and_nothing_made(
    client, unit_officer, name, days, message
):
    client.force_login(unit_officer)

    response = _create(client, name=name, days=days)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    if name.strip():
        assert f'value="{name}"' in page
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="api_token_created").exists()


def test_an_expired_token_gets_a_vietnamese_401(client, unit_officer):
    client.force_login(unit_officer)
    key = _key_in(_create(client, days=1))
    client.logout()

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        response = client.get(API, **_bearer(key))

    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_at_once_and_the_revocation_is_audited(client, unit_officer):
    client.force_login(unit_officer)
    key = _key_in(_create(client))
    token = ApiToken.objects.get()

    response = client.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token_revoked")
    assert event.actor == unit_officer and token.prefix in event.old_value and event.new_value == "đã thu hồi"
    client.logout()
    refused = client.get(API, **_bearer(key))
    assert refused.status_code == 401
    assert "thu hồi" in refused.json()["detail"]


def test_an_unknown_bearer_key_is_refused_and_legacy_token_keys_still_work(client, unit_officer):
    from rest_framework.authtoken.models import Token

    assert client.get(API, **_bearer("pi_khong-co")).status_code == 401
    legacy = Token.objects.create(user=unit_officer)
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {legacy.key}").status_code == 200


def test_the_body_administrator_sees_and_revokes_the_tokens_of_their_body(client, body_admin, unit_officer):
    client.force_login(unit_officer)
    key = _key_in(_create(client, name="Script của cán bộ"))
    token = ApiToken.objects.get()
    client.force_login(body_admin)

    assert "Script của cán bộ" in client.get(PAGE).content.decode()
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.get(action="api_token_revoked").actor == body_admin
    client.logout()
    assert client.get(API, **_bearer(key)).status_code == 401


@pytest.mark.parametrize("persona", ["outsider", "appraiser", "unit_head"])
def test_other_peoples_tokens_are_neither_visible_nor_revocable(client, request, persona, unit_officer):
    client.force_login(unit_officer)
    _create(client, name="Script của cán bộ")
    token = ApiToken.objects.get()
    client.force_login(request.getfixturevalue(persona))

    assert "Script của cán bộ" not in client.get(PAGE).content.decode()
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="api_token_revoked").exists()


def test_revoking_twice_changes_nothing_the_second_time(client, unit_officer):
    client.force_login(unit_officer)
    _create(client)
    token = ApiToken.objects.get()
    client.post(reverse("api_token_revoke", args=[token.pk]))
    first = ApiToken.objects.get().revoked_at

    client.post(reverse("api_token_revoke", args=[token.pk]))

    assert ApiToken.objects.get().revoked_at == first
    assert AuditEvent.objects.filter(action="api_token_revoked").count() == 1


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def _tokens_for_people(body, n):
    from scoring.accounts import services
    from scoring.models import Role
    from tests.scoring.factories import RoleAssignmentFactory

    for i in range(n):
        person = UserFactory(username=f"nguoi-{body.pk}-{n}-{i}")
        RoleAssignmentFactory(user=person, body=body, role=Role.VIEWER)
        services.api_token_create(user=person, name=f"mã {i}", expires_on=None)


def test_the_page_reads_a_fixed_number_of_queries_however_many_tokens(
    client, body_admin, body, django_assert_max_num_queries
):
    client.force_login(body_admin)
    _tokens_for_people(body, 2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(PAGE).status_code == 200
    _tokens_for_people(body, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(PAGE)
    assert page.content.decode().count("mã 11") == 1


def test_a_bearer_token_does_not_bypass_the_temporary_password_rule(client, unit_officer):
    from scoring.accounts import services

    _token, key = services.api_token_create(user=unit_officer, name="script", expires_on=None)
    unit_officer.must_change_password = True
    unit_officer.save(update_fields=["must_change_password"])

    response = client.get(API, **_bearer(key))

    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


def test_the_default_life_is_the_setting_and_the_longest_is_enforced_by_the_service(settings, unit_officer):
    from scoring.accounts import services

    settings.API_TOKEN_DEFAULT_DAYS, settings.API_TOKEN_MAX_DAYS = 7, 10
    token, _key = services.api_token_create(user=unit_officer, name="script", expires_on=None)
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + timedelta(days=7)
    with pytest.raises(services.ApiTokenError, match="tối đa 10 ngày"):
        services.api_token_create(
            user=unit_officer, name="script", expires_on=timezone.localdate() + timedelta(days=11)
        )
