"""The login lockout (django-axes) as the first authentication backend."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuse a locked account or address before any password is checked; never log anyone in itself.

    Every password login over HTTP passes the request (Django's login and admin forms, DRF's
    authentication), so it is counted and can be locked. A call without a request is not a login
    from outside: Django's test client, the shell, a management command. Axes would raise for it;
    here it is left to the next backend, so that `client.login()` keeps working in the test suite.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """Return the address a login comes from, for the per-address lock.

    Behind TRUSTED_PROXY_COUNT reverse proxies, each appending the address it saw to X-Forwarded-For, the
    client is that many entries from the right; anything further left was written by the client and
    proves nothing. Without proxies (the default) the header is ignored, since anyone can send it.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
