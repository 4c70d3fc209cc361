"""The login lockout (django-axes) as the first authentication backend."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


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
