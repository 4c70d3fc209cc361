"""The audit trail: one row per change, written by the service that makes the change."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from scoring.models import Assessment, AuditEvent, EvaluatingBody, Unit, User

logger = logging.getLogger(__name__)

# Values longer than this are cut: the log shows what changed, the full text stays in the record itself.
MAX_VALUE_LENGTH = 10_000

# Who is acting, for changes recorded by signals (role assignments), which have no actor argument to pass.
_actor: ContextVar[User | None] = ContextVar("audit_actor", default=None)


def audit_actor() -> User | None:
    return _actor.get()


@contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    """Within the block, changes recorded by signals are attributed to `user`."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def audit_text(value: Any) -> str:
    """Return a value as the text stored in the log; never raises (a log must not break the change it records)."""
    try:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            # Normalised so that 0.5 typed and 0.50 read back from the database log the same.
            return format(value.normalize(), "f")
        if isinstance(value, bool):
            return "Có" if value else "Không"  # stored data stays Vietnamese, like the names it sits beside
        if isinstance(value, datetime):
            shown = timezone.localtime(value) if timezone.is_aware(value) else value
            return shown.strftime("%d/%m/%Y %H:%M")
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, models.Model):
            return str(value)
        if isinstance(value, (list, tuple, set, frozenset)):
            return ", ".join(audit_text(v) for v in value)
        return str(value)[:MAX_VALUE_LENGTH]
    except Exception:  # noqa: BLE001 — any odd value is logged as its repr rather than failing the change
        logger.warning("Could not format audit value %r", value, exc_info=True)
        return repr(value)[:MAX_VALUE_LENGTH]


def audit_record(
    *,
    body: EvaluatingBody,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    unit: Unit | None = None,
    item_code: str = "",
    field: str = "",
    old: Any = None,
    new: Any = None,
    note: str = "",
) -> AuditEvent:
    """Record one change and return the row. Call inside the service's transaction so both stand or fall together."""
    object_type = object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk or "")
    return AuditEvent.objects.create(
        body=body,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=action[:60],
        object_type=object_type[:60],
        object_id=object_id[:40],
        unit=unit,
        assessment_id=_assessment_id(obj),
        item_code=(item_code or "")[:40],
        field=(field or "")[:60],
        old_value=audit_text(old),
        new_value=audit_text(new),
        note=audit_text(note),
    )


def _assessment_id(obj: models.Model | None) -> int | None:
    """Return the dossier the object belongs to: itself, or the one its `assessment` foreign key names."""
    if obj is None:
        return None
    if isinstance(obj, Assessment):
        return obj.pk
    return getattr(obj, "assessment_id", None)


def audit_fields_set(
    obj: models.Model,
    changes: dict[str, Any],
    *,
    body: EvaluatingBody,
    actor: User | None,
    action: str,
    unit: Unit | None = None,
    item_code: str = "",
    note: str = "",
    save: bool = True,
) -> list[str]:
    """Set each field of `changes` that differs, audit it old → new, save those fields; return their names.

    Call inside the service's transaction. With save=False the caller saves (e.g. with more fields of its own).
    """
    changed = []
    for name, new in changes.items():
        old = getattr(obj, name)
        if old == new:
            continue
        setattr(obj, name, new)
        changed.append(name)
        audit_record(
            body=body,
            actor=actor,
            action=action,
            obj=obj,
            unit=unit,
            item_code=item_code,
            field=name,
            old=old,
            new=new,
            note=note,
        )
    if changed and save:
        obj.save(update_fields=changed)
    return changed
