"""Argument lookups shared by the criteria-set commands (the leading underscore hides it from manage.py)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from scoring.evaluation import selectors
from scoring.models import EvaluatingBody, UnitGroup


def body_from_code(code: str) -> EvaluatingBody:
    body = EvaluatingBody.objects.filter(code=code).first()
    if body is None:
        known = ", ".join(EvaluatingBody.objects.values_list("code", flat=True)) or "—"
        raise CommandError(
            _("Không có cơ quan đánh giá mã '%(code)s' (đang có: %(known)s).")
            % {"code": code, "known": known}
        )
    return body


def group_from_code_or_name(body: EvaluatingBody, group: str) -> UnitGroup:
    unit_group = selectors.unit_group_find(body=body, group=group)
    if unit_group is None:
        known = "; ".join(f"{g.code} ({g.name})" for g in UnitGroup.objects.filter(body=body)) or "—"
        raise CommandError(
            _("Cơ quan %(body)s không có nhóm đơn vị '%(group)s' (đang có: %(known)s).")
            % {"body": body.code, "group": group, "known": known}
        )
    return unit_group
