"""Role changes are audited wherever they are made (admin, shell, import): by signals on RoleAssignment."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from scoring.audit.services import audit_actor, audit_record
from scoring.models import RoleAssignment, User


def role_text(assignment: RoleAssignment) -> str:
    """Return "user: role (unit)" — the text kept in the log, readable after the assignment is gone."""
    text = f"{assignment.user.username}: {assignment.get_role_display()}"
    if assignment.unit_id:
        text += f" ({assignment.unit.name})"
    return text


def role_saved(
    sender: type[Model], instance: RoleAssignment, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:  # loading fixtures
        return
    audit_record(
        body=instance.body,
        actor=audit_actor(),
        action="role_assign" if created else "role_change",
        obj=instance,
        unit=instance.unit if instance.unit_id else None,
        field="role",
        new=role_text(instance),
    )


def role_deleted(sender: type[Model], instance: RoleAssignment, origin: Any = None, **kwargs: Any) -> None:
    # Deleting a body or a unit cascades to its roles; a log row pointing at the row being deleted would
    # break that deletion, and the loss of the whole body or unit is not a role change anyway.
    if not _deleted_as_role(origin):
        return
    audit_record(
        body=instance.body,
        actor=audit_actor(),
        action="role_remove",
        obj=instance,
        unit=instance.unit if instance.unit_id else None,
        field="role",
        old=role_text(instance),
    )


def _deleted_as_role(origin: Any) -> bool:
    if origin is None:
        return True
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(model, (RoleAssignment, User))
