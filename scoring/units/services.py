"""Every change to a body's units and groups: one function each, checked, written and audited in one transaction."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.access import may_manage_units
from scoring.audit.services import audit_fields_set, audit_record
from scoring.models import EvaluatingBody, Unit, UnitGroup, UnitKind, UnitLineage, UnitName, User

from . import selectors

MIN_YEAR, MAX_YEAR = 2000, 2100


def _check(actor: User, body: EvaluatingBody) -> None:
    # The views answer 404 before this; the check stays here so no other caller can skip it.
    if not may_manage_units(actor, body):
        raise PermissionDenied(_("Bạn không có quyền quản lý đơn vị của cơ quan này."))


def _clean_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("Hãy nhập %(label)s.") % {"label": label}})
    return value


def _check_in_body(body: EvaluatingBody, field: str, *objects) -> None:
    if any(obj is not None and obj.body_id != body.pk for obj in objects):
        raise ValidationError({field: _("Lựa chọn không thuộc cơ quan đánh giá này.")})


# --- groups ----------------------------------------------------------------------------------------------


@transaction.atomic
def unit_group_create(
    *, actor: User, body: EvaluatingBody, code: str, name: str, order: int = 0
) -> UnitGroup:
    """Return a new group of units; its code and its name are each unique in the body."""
    _check(actor, body)
    code = _clean_text(code, "code", _("mã nhóm"))
    name = _clean_text(name, "name", _("tên nhóm"))
    if UnitGroup.objects.filter(body=body, code=code).exists():
        raise ValidationError({"code": _("Mã nhóm “%(code)s” đã có trong cơ quan này.") % {"code": code}})
    _check_group_name_free(body, name, exclude=None)
    group = UnitGroup.objects.create(body=body, code=code, name=name, order=order)
    audit_record(body=body, actor=actor, action="unit_group_created", obj=group, field="name", new=name)
    return group


def _check_group_name_free(body: EvaluatingBody, name: str, exclude: UnitGroup | None) -> None:
    taken = UnitGroup.objects.filter(body=body, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError({"name": _("Tên nhóm “%(name)s” đã có trong cơ quan này.") % {"name": name}})


@transaction.atomic
def unit_group_update(*, actor: User, group: UnitGroup, name: str, order: int) -> UnitGroup:
    """Return the group renamed and/or reordered; each changed field is audited old → new."""
    group = UnitGroup.objects.select_for_update(of=("self",)).select_related("body").get(pk=group.pk)
    _check(actor, group.body)
    name = _clean_text(name, "name", _("tên nhóm"))
    _check_group_name_free(group.body, name, exclude=group)
    audit_fields_set(
        group, {"name": name, "order": order}, body=group.body, actor=actor, action="unit_group_updated"
    )
    return group


# --- unit kinds ----------------------------------------------------------------------------------------------
# Since 2025 districts are gone and provinces merged: the kinds of unit a body evaluates are its own data.


def _kind_code_taken(code: str) -> ValidationError:
    return ValidationError(
        {"code": _("Mã loại đơn vị “%(code)s” đã có trong cơ quan này: hãy chọn mã khác.") % {"code": code}}
    )


def _check_kind_name_free(body: EvaluatingBody, name: str, exclude: UnitKind | None) -> None:
    taken = UnitKind.objects.filter(body=body, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("Tên loại đơn vị “%(name)s” đã có trong cơ quan này.") % {"name": name}}
        )


@transaction.atomic
def unit_kind_create(*, actor: User, body: EvaluatingBody, code: str, name: str) -> UnitKind:
    """Return a new kind of unit of the body; a code or a name already used in the body is refused."""
    _check(actor, body)
    code = _clean_text(code, "code", _("mã loại đơn vị"))
    name = _clean_text(name, "name", _("tên loại đơn vị"))
    if UnitKind.objects.filter(body=body, code=code).exists():
        raise _kind_code_taken(code)
    _check_kind_name_free(body, name, exclude=None)
    try:
        # A twin committed between the check and here ends as the same form error, not a broken transaction.
        with transaction.atomic():
            kind = UnitKind.objects.create(body=body, code=code, name=name)
    except IntegrityError as exc:
        raise _kind_code_taken(code) from exc
    audit_record(
        body=body, actor=actor, action="unit_kind_created", obj=kind, field="name", new=name, note=code
    )
    return kind


@transaction.atomic
def unit_kind_rename(*, actor: User, kind: UnitKind, name: str) -> UnitKind:
    """Return the kind under its new name (its code stays, as a group's does); audited old → new."""
    kind = UnitKind.objects.select_for_update(of=("self",)).select_related("body").get(pk=kind.pk)
    _check(actor, kind.body)
    name = _clean_text(name, "name", _("tên loại đơn vị"))
    if name == kind.name:
        return kind
    _check_kind_name_free(kind.body, name, exclude=kind)
    old, kind.name = kind.name, name
    kind.save(update_fields=["name"])
    audit_record(
        body=kind.body, actor=actor, action="unit_kind_updated", obj=kind, field="name", old=old, new=name
    )
    return kind


@transaction.atomic
def unit_kind_delete(*, actor: User, kind: UnitKind) -> None:
    """Delete a kind no unit has; refused (ValidationError, nothing deleted) while a unit, even a closed one, has it."""
    kind = UnitKind.objects.select_for_update(of=("self",)).select_related("body").get(pk=kind.pk)
    _check(actor, kind.body)
    in_use = kind.units.count()
    if in_use:
        raise ValidationError(
            _(
                "Không xoá được loại “%(name)s”: còn %(n)s đơn vị thuộc loại này. Hãy đổi loại của các đơn vị đó trước."
            )
            % {"name": kind.name, "n": in_use}
        )
    audit_record(
        body=kind.body,
        actor=actor,
        action="unit_kind_deleted",
        obj=kind,
        field="name",
        old=kind.name,
        note=kind.code,
    )
    kind.delete()


# --- units -----------------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    actor: User,
    body: EvaluatingBody,
    code: str,
    name: str,
    group: UnitGroup,
    kind: UnitKind | None = None,
    active_from: date | None = None,
) -> Unit:
    """Return a new unit of the body; a code already used in the body is refused."""
    _check(actor, body)
    code = _clean_text(code, "code", _("mã đơn vị"))
    name = _clean_text(name, "name", _("tên đơn vị"))
    _check_in_body(body, "group", group)
    _check_in_body(body, "kind", kind)
    if Unit.objects.filter(body=body, code=code).exists():
        raise ValidationError(
            {"code": _("Mã đơn vị “%(code)s” đã được dùng trong cơ quan này.") % {"code": code}}
        )
    try:
        # The savepoint lets a concurrent twin (same code, committed between the check and here) end as a
        # form error rather than a broken transaction.
        with transaction.atomic():
            # Last of its group: the administrator moves it into the official place on the units page.
            last = Unit.objects.filter(group=group).aggregate(last=Max("order"))["last"] or 0
            unit = Unit.objects.create(
                body=body,
                code=code,
                name=name,
                group=group,
                kind=kind,
                active_from=active_from,
                order=last + 1,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"code": _("Mã đơn vị “%(code)s” đã được dùng trong cơ quan này.") % {"code": code}}
        ) from exc
    audit_record(body=body, actor=actor, action="unit_created", obj=unit, unit=unit, field="name", new=name)
    return unit


def _locked(unit: Unit) -> Unit:
    return (
        Unit.objects.select_for_update(of=("self",)).select_related("body", "group", "kind").get(pk=unit.pk)
    )


@transaction.atomic
def unit_rename(*, actor: User, unit: Unit, name: str, from_year: int) -> Unit:
    """Return the unit under its new name from `from_year` on; the old name is kept for the years before.

    Renaming twice within one year keeps only the name the unit had before that year (the intermediate one was
    never printed in a report of a finished year).
    """
    unit = _locked(unit)
    _check(actor, unit.body)
    name = _clean_text(name, "name", _("tên mới"))
    if not MIN_YEAR <= from_year <= MAX_YEAR:
        raise ValidationError({"from_year": _("Năm áp dụng tên mới không hợp lệ.")})
    if name == unit.name:
        raise ValidationError({"name": _("Tên mới trùng với tên hiện tại.")})
    later = unit.former_names.filter(until_year__gte=from_year).order_by("until_year").first()
    if later is not None:
        raise ValidationError(
            {
                "from_year": _(
                    "Đơn vị đã mang tên “%(name)s” đến năm %(year)s; tên mới chỉ áp dụng từ năm %(next)s."
                )
                % {"name": later.name, "year": later.until_year, "next": later.until_year + 1}
            }
        )
    old = unit.name
    UnitName.objects.update_or_create(unit=unit, until_year=from_year - 1, defaults={"name": old})
    unit.name = name
    unit.save(update_fields=["name"])
    audit_record(
        body=unit.body,
        actor=actor,
        action="unit_renamed",
        obj=unit,
        unit=unit,
        field="name",
        old=old,
        new=name,
        note=_("Tên mới áp dụng từ năm %(year)s") % {"year": from_year},
    )
    return unit


@transaction.atomic
def unit_update(
    *, actor: User, unit: Unit, group: UnitGroup, kind: UnitKind | None, order: int | None = None
) -> Unit:
    """Return the unit moved to another group, given another kind and/or another place in its group's official
    list (`order`; None keeps it); each change audited old → new."""
    unit = _locked(unit)
    _check(actor, unit.body)
    _check_in_body(unit.body, "group", group)
    _check_in_body(unit.body, "kind", kind)
    changes = {"group": group, "kind": kind} | ({"order": order} if order is not None else {})
    audit_fields_set(unit, changes, body=unit.body, actor=actor, action="unit_updated", unit=unit)
    return unit


@transaction.atomic
def unit_set_active(*, actor: User, unit: Unit, active: bool, on: date | None = None) -> Unit:
    """Return the unit deactivated from `on` (its last day of activity), or reactivated (no end date)."""
    unit = _locked(unit)
    _check(actor, unit.body)
    old = unit.active_to
    if active:
        new = None
    else:
        new = on or timezone.localdate()
        if unit.active_from and new < unit.active_from:
            raise ValidationError(
                {
                    "on": _("Ngày ngừng hoạt động không được trước ngày bắt đầu hoạt động (%(d)s).")
                    % {"d": unit.active_from.strftime("%d/%m/%Y")}
                }
            )
    if old == new:
        return unit
    unit.active_to = new
    unit.save(update_fields=["active_to"])
    audit_record(
        body=unit.body,
        actor=actor,
        action="unit_reactivated" if active else "unit_deactivated",
        obj=unit,
        unit=unit,
        field="active_to",
        old=old,
        new=new,
    )
    return unit


# --- mergers and splits ----------------------------------------------------------------------------------


@transaction.atomic
def unit_lineage_record(
    *,
    actor: User,
    body: EvaluatingBody,
    kind: str,
    sources: list[Unit],
    targets: list[Unit],
    effective_on: date,
    note: str = "",
    end_sources: bool = True,
) -> UnitLineage:
    """Return the recorded merger (several or one unit into one) or split (one unit into several).

    Each target gets the sources as predecessors; a link that would make a unit its own ancestor is refused.
    With `end_sources`, the old units that do not go on as a target stop being active the day before.
    """
    _check(actor, body)
    sources, targets = _distinct(sources), _distinct(targets)
    _check_in_body(body, "sources", *sources)
    _check_in_body(body, "targets", *targets)
    _check_shape(kind, sources, targets)
    _check_no_cycle(body, sources, targets)
    lineage = UnitLineage.objects.create(
        body=body, kind=kind, effective_on=effective_on, note=(note or "").strip(), created_by=actor
    )
    lineage.sources.set(sources)
    lineage.targets.set(targets)
    before = selectors.predecessor_names(targets)
    for target in targets:
        target.predecessors.add(*[s for s in sources if s.pk != target.pk])
    after = selectors.predecessor_names(targets)
    summary = _("%(kind)s ngày %(date)s: %(sources)s → %(targets)s") % {
        "kind": lineage.get_kind_display(),
        "date": effective_on.strftime("%d/%m/%Y"),
        "sources": ", ".join(s.name for s in sources),
        "targets": ", ".join(t.name for t in targets),
    }
    for target in targets:
        audit_record(
            body=body,
            actor=actor,
            action="unit_lineage_recorded",
            obj=lineage,
            unit=target,
            field="predecessors",
            old=before.get(target.pk, []),
            new=after.get(target.pk, []),
            note=summary,
        )
    if end_sources:
        target_ids = {t.pk for t in targets}
        for source in sources:
            if source.pk not in target_ids and source.active_to is None:
                _end(actor, source, effective_on)
    return lineage


def _end(actor: User, unit: Unit, effective_on: date) -> None:
    # The day before the merger takes effect is the unit's last day; a unit that started that very day keeps
    # its start as its end (the range constraint wants active_to ≥ active_from).
    last_day = effective_on - timedelta(days=1)
    if unit.active_from and last_day < unit.active_from:
        last_day = unit.active_from
    unit_set_active(actor=actor, unit=unit, active=False, on=last_day)


def _distinct(units: list[Unit]) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for unit in units:
        seen.setdefault(unit.pk, unit)
    return list(seen.values())


def _check_shape(kind: str, sources: list[Unit], targets: list[Unit]) -> None:
    if kind == UnitLineage.Kind.MERGER:
        if len(targets) != 1 or not sources:
            raise ValidationError(_("Hợp nhất, sáp nhập: chọn ít nhất một đơn vị cũ và đúng một đơn vị mới."))
        if [s.pk for s in sources] == [targets[0].pk]:
            raise ValidationError(_("Đơn vị không thể sáp nhập vào chính nó."))
    elif kind == UnitLineage.Kind.SPLIT:
        if len(sources) != 1 or len(targets) < 2:
            raise ValidationError(_("Chia tách: chọn đúng một đơn vị cũ và ít nhất hai đơn vị mới."))
    else:
        raise ValidationError({"kind": _("Loại thay đổi không hợp lệ.")})


def _check_no_cycle(body: EvaluatingBody, sources: list[Unit], targets: list[Unit]) -> None:
    """Refuse a link source → target when the target already is (or comes before) the source in the lineage."""
    ancestors = selectors.ancestor_ids(body, [s.pk for s in sources])
    for target in targets:
        if target.pk in ancestors:
            raise ValidationError(
                _(
                    "Không thể ghi nhận: “%(target)s” đã là đơn vị tiền thân của đơn vị cũ được chọn — "
                    "sẽ tạo vòng lặp trong lịch sử sáp nhập, chia tách."
                )
                % {"target": target.name}
            )
