"""Carry out a create action once per submission key; a repeat of the key gets the first result back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from scoring.models import SubmissionKey, User

# Longer keys are not ours (the hidden input holds 32 hex digits); they are refused rather than cut.
KEY_MAX_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Once:
    """What the action answered the first time, and whether this call is a repeat that created nothing."""

    result: dict[str, Any]
    repeated: bool


def submission_once(*, user: User, scope: str, key: str, action: Callable[[], dict[str, Any]]) -> Once:
    """Return the result of `action`, run only if this user has not spent `key` on `scope` before.

    The key row and what the action creates commit together: if the action raises, neither stays and the same
    key can be sent again. A second POST with the key waits on the first one's row (the unique constraint; on
    SQLite the write lock) and, once that is committed, gets its stored result instead of creating again.
    Without a key the action simply runs (API clients that send no Idempotency-Key).
    """
    if not key:
        return Once(result=action(), repeated=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = SubmissionKey.objects.create(user=user, scope=scope, key=key)
        except IntegrityError:
            pass  # spent already: the first POST's result is read below, after this savepoint is undone
        else:
            record.result = action()
            record.save(update_fields=["result"])
            return Once(result=record.result, repeated=False)
    record = SubmissionKey.objects.get(user=user, scope=scope, key=key)
    return Once(result=record.result, repeated=True)
