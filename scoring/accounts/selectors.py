"""Reading the login locks (django-axes' failed-attempt rows) and the second-factor devices of accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from scoring.models import ApiToken, User


@dataclass(frozen=True, slots=True)
class LockedAccount:
    user: User
    failures: int
    last_attempt: datetime


def locked_accounts(*, accounts: QuerySet[User]) -> list[LockedAccount]:
    """Return those of the accounts whose login is locked now, by their failed passwords, newest first.

    The same rule as axes' own check with the username parameter: the failures of all addresses
    since the cool-off window opened, summed, reach the limit.
    """
    attempts = AccessAttempt.objects.filter(username__in=accounts.values("username"))
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    rows = (
        attempts.values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    by_name = {row["username"]: row for row in rows}
    users = User.objects.filter(username__in=by_name).order_by("username")
    locked = [
        LockedAccount(
            user=u, failures=by_name[u.username]["failures"], last_attempt=by_name[u.username]["last"]
        )
        for u in users
    ]
    return sorted(locked, key=lambda a: a.last_attempt, reverse=True)


def has_second_factor(*, user: User) -> bool:
    """Return whether the user has a confirmed authenticator app (TOTP device)."""
    return any(not isinstance(d, StaticDevice) for d in devices_for_user(user, confirmed=True))


def backup_codes_remaining(*, user: User) -> int:
    """Return how many unused backup codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def api_tokens_own(*, tokens: QuerySet[ApiToken], user: User) -> list[ApiToken]:
    """Return the user's own tokens among `tokens`, newest first, revoked and expired ones included."""
    return list(tokens.filter(user=user).order_by("-created_at", "-pk"))


def api_tokens_of_others(*, tokens: QuerySet[ApiToken], user: User) -> list[ApiToken]:
    """Return the still active tokens among `tokens` held by other people, by holder then newest first."""
    return list(
        tokens.exclude(user=user)
        .active()
        .select_related("user")
        .order_by("user__username", "-created_at", "-pk")
    )
