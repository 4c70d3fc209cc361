"""The API's sign-in by personal token: `Authorization: Bearer <key>`, refused with the reason when it is not valid."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from scoring.accounts.services import ApiTokenError, api_token_authenticate
from scoring.models import ApiToken


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Accept a personal token after the word `Bearer`; leave every other header to the next classes.

    `Token <key>` stays with DRF's TokenAuthentication (the older, unexpiring keys) during the move.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng “Bearer” rồi đến mã truy cập.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Mã truy cập API không hợp lệ.")) from None
        # The password-change middleware authenticates API calls before DRF does: the second time reads no row.
        http_request = getattr(request, "_request", request)
        token = getattr(http_request, "_api_token", None)
        if token is None or token.key_hash != ApiToken.hash_key(key):
            try:
                token = api_token_authenticate(key=key)
            except ApiTokenError as error:
                raise exceptions.AuthenticationFailed(error.message) from None
            http_request._api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The personal token in the API schema (Swagger's "Authorize" asks for the key only)."""

    target_class = ApiTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("Mã truy cập cá nhân, tạo ở trang “Mã truy cập API”."),
        }
