"""Writes of criteria-set editing; each is one named operation in one transaction, with its audit rows.

All edits (one item, a new child, a deletion, the whole tree) end in `criteria_tree_save`, which checks the whole
would-be tree with the workbook's rules, refuses an in-use set without a new version, refuses to lose what people
typed, then writes the difference, audits every changed field and tells the results to recompute.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from scoring.audit.services import audit_fields_set, audit_record
from scoring.evaluation.editing.rules import EditRow, RowError, check_edit, in_use_problems, next_child_code
from scoring.evaluation.editing.selectors import criteria_set_use
from scoring.evaluation.editing.texts import in_use_refusal
from scoring.evaluation.rows import CriteriaRow
from scoring.evaluation.selectors import criteria_set_rows, criteria_set_tree
from scoring.models import CriteriaItem, CriteriaSet, CriteriaSetVersion, Level, User
from scoring.results import guards as frozen_guards
from scoring.results.state import ResultsFrozen, results_changed_notify

LEVELS = {1: Level.FIELD, 2: Level.CRITERION, 3: Level.SUB_CRITERION}
# Fields of an item the editor changes, audited one by one (parent and level follow the code, order the tree).
EDITED_FIELDS = ("code", "name", "guidance", "max_points", "step", "method")


class CriteriaEditError(Exception):
    """An edit refused with every problem; nothing was saved."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(e.message for e in self.errors))

    @classmethod
    def one(cls, message: str) -> CriteriaEditError:
        return cls([RowError(message=message)])


@dataclass(frozen=True, slots=True)
class TreeSaved:
    created: int
    updated: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def current_lines(*, criteria_set: CriteriaSet) -> list[EditRow]:
    """Return the set's tree as editable lines (key = item id, order = position from 1); one query."""
    return [
        EditRow.from_row(_row(item), key=item.pk, order=position)
        for position, item in enumerate(criteria_set_tree(criteria_set=criteria_set), start=1)
    ]


def _row(item: CriteriaItem) -> CriteriaRow:
    return CriteriaRow(
        code=item.code,
        name=item.name,
        max_points=item.max_points,
        step=item.step,
        method=item.method,
        guidance=item.guidance,
        not_applicable_reason=item.not_applicable_reason,
    )


def _locked(criteria_set: CriteriaSet) -> CriteriaSet:
    locked = (
        CriteriaSet.objects.select_for_update(of=("self",))
        .select_related("period__body", "unit_group")
        .get(pk=criteria_set.pk)
    )
    try:
        frozen_guards.criteria_set_check(locked)
    except ResultsFrozen as exc:
        raise CriteriaEditError.one(exc.message) from exc
    return locked


def tree_seen(*, criteria_set: CriteriaSet, lines: Sequence[EditRow] | None = None) -> str:
    """Return a short token of the tree as read now; the edit forms send it back (stale check)."""
    lines = current_lines(criteria_set=criteria_set) if lines is None else lines
    text = repr([(criteria_set.version, line.key, line.code, line.name, line.max_points, line.step, line.method,
                  line.guidance, line.order) for line in lines])  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def criteria_tree_save(
    *,
    criteria_set: CriteriaSet,
    lines: Sequence[EditRow],
    actor: User | None,
    name: str | None = None,
    seen: str | None = None,
) -> TreeSaved:
    """Replace the set's tree by `lines` (and its name by `name`); CriteriaEditError with every problem.

    `seen` is tree_seen of the tree the form was built from: when another administrator saved in between,
    the edit is refused rather than overwrite their change unseen.
    """
    criteria_set = _locked(criteria_set)
    tree = criteria_set_tree(criteria_set=criteria_set)
    if seen:  # blank: a form that did not carry one (an older page, a script)
        now = [EditRow.from_row(_row(item), key=item.pk, order=n) for n, item in enumerate(tree, start=1)]
        if seen != tree_seen(criteria_set=criteria_set, lines=now):
            raise CriteriaEditError.one(
                _("Người khác vừa sửa bộ tiêu chí này: hãy tải lại trang, xem lại rồi lưu.")
            )
    items = {item.pk: item for item in tree}
    foreign = [i for i, line in enumerate(lines) if line.key is not None and line.key not in items]
    if foreign:
        raise CriteriaEditError(
            [
                RowError(
                    _("Dòng này không thuộc bộ tiêu chí (có thể đã bị xóa): hãy tải lại trang."), index=i
                )
                for i in foreign
            ]
        )
    checked = check_edit(lines)
    errors = [replace(e, key=lines[e.index].key) if e.index is not None else e for e in checked.errors]
    new_name = (name or "").strip() if name is not None else criteria_set.name
    if not new_name:
        errors.append(RowError(_("Hãy nhập tên bộ tiêu chí."), column="name"))
    if errors:
        raise CriteriaEditError(errors)
    before = {pk: _row(item) for pk, item in items.items()}
    after = list(checked.rows)
    # A new place counts as an edit too: the order of the items is part of the set as published.
    tree_changed = [(key, row) for key, row in after] != list(before.items())
    if tree_changed:
        use = criteria_set_use(criteria_set=criteria_set)
        if use.in_use:
            if criteria_set.version <= 1:
                raise CriteriaEditError.one(in_use_refusal(criteria_set))
            index_of = {line.key: i for i, line in enumerate(lines) if line.key is not None}
            problems = in_use_problems(before=before, after=after, usage=use.usage, index_of=index_of)
            if problems:
                raise CriteriaEditError(problems)
    typed_order = {line.key: line.order for line in lines if line.key is not None}
    result = _write(criteria_set=criteria_set, items=items, after=after, typed_order=typed_order, actor=actor)
    audit_fields_set(
        criteria_set,
        {"name": new_name},
        body=criteria_set.period.body,
        actor=actor,
        action="criteria_set_renamed",
    )
    if result.changed:
        audit_record(
            body=criteria_set.period.body,
            actor=actor,
            action="criteria_set_edited",
            obj=criteria_set,
            field="version",
            new=criteria_set.version,
            note=_("Thêm %(created)s mục, sửa %(updated)s mục, xóa %(deleted)s mục.")
            % {"created": result.created, "updated": result.updated, "deleted": result.deleted},
        )
        # Maxima, methods and scales of every unit scored on the set may have moved.
        results_changed_notify(period_id=criteria_set.period_id)
    return result


def _write(
    *,
    criteria_set: CriteriaSet,
    items: dict[int, CriteriaItem],
    after: list[tuple[int | None, CriteriaRow]],
    typed_order: dict[int, float],
    actor: User | None,
) -> TreeSaved:
    body = criteria_set.period.body
    kept = {key for key, _row in after if key is not None}
    gone = sorted((item for pk, item in items.items() if pk not in kept), key=lambda i: -i.code.count("."))
    # Codes may be swapped (1.1 ↔ 1.2) or freed by a deletion and taken by another line: every item changing code
    # or going first takes a code no row can have.
    renamed = [items[key] for key, row in after if key is not None and items[key].code != row.code]
    for item in [*renamed, *gone]:
        CriteriaItem.objects.filter(pk=item.pk).update(code=f"~{item.pk}")
    by_code: dict[str, CriteriaItem] = {}
    created = updated = 0
    for position, (key, row) in sorted(enumerate(after, start=1), key=lambda p: p[1][1].depth):
        parent = by_code.get(row.parent_code)
        if key is None:
            item = CriteriaItem.objects.create(
                criteria_set=criteria_set, parent=parent, level=LEVELS[row.depth], code=row.code, name=row.name,
                guidance=row.guidance, max_points=row.max_points, step=row.step, method=row.method, order=position,
            )  # fmt: skip
            audit_record(
                body=body, actor=actor, action="criteria_item_created", obj=item, item_code=item.code,
                field="code", new=f"{row.code}. {row.name} ({row.max_points})",
            )  # fmt: skip
            created += 1
        else:
            item = items[key]
            changes = {name: getattr(row, name) for name in EDITED_FIELDS}
            if typed_order.get(key) != item.order:
                changes["order"] = typed_order.get(key)
            fields = audit_fields_set(
                item,
                changes,
                body=body,
                actor=actor,
                action="criteria_item_updated",
                item_code=row.code,
                save=False,
            )
            if "order" in fields:
                fields.remove("order")
            if fields:
                updated += 1
            # Parent, level and order follow from the code and the place in the tree, not audited on their own.
            item.parent, item.level, item.order = parent, LEVELS[row.depth], position
            item.save(update_fields=[*fields, "parent", "level", "order"])
        by_code[row.code] = item
    # Deleted last, deepest first: the lines kept have their new parents by now, so no cascade reaches them.
    for item in gone:
        audit_record(
            body=body, actor=actor, action="criteria_item_deleted", obj=item, item_code=item.code,
            field="code", old=f"{item.code}. {item.name}",
        )  # fmt: skip
        try:
            with transaction.atomic():
                item.delete()
        except ProtectedError as exc:
            raise CriteriaEditError.one(
                _(
                    "Không thể xóa mục %(code)s: mục này đang được dùng (ví dụ trong câu hỏi của phiếu điều tra)."
                )
                % {"code": item.code}
            ) from exc
    return TreeSaved(created=created, updated=updated, deleted=len(gone))


# --- the single-item edits of the set's page: the whole tree with one change -----------------------------


def _edited(criteria_set: CriteriaSet, key: int, **values: str | float) -> list[EditRow]:
    lines = current_lines(criteria_set=criteria_set)
    if not any(line.key == key for line in lines):
        raise CriteriaEditError.one(_("Mục này không thuộc bộ tiêu chí."))
    return [replace(line, **values) if line.key == key else line for line in lines]


@transaction.atomic
def criteria_item_update(
    *,
    item: CriteriaItem,
    name: str,
    guidance: str,
    max_points: str,
    step: str,
    method: str,
    order: float,
    actor: User | None,
    seen: str | None = None,
) -> TreeSaved:
    """Save one item's text, maximum, step, method and place; refused unless the whole tree stays valid."""
    lines = _edited(
        item.criteria_set, item.pk, name=name, guidance=guidance, max_points=max_points, step=step, method=method,
        order=order,
    )  # fmt: skip
    return criteria_tree_save(criteria_set=item.criteria_set, lines=lines, actor=actor, seen=seen)


def new_child_code(*, criteria_set: CriteriaSet, parent: CriteriaItem | None) -> str:
    """Return the code a new child of parent (a new field when None) would take."""
    codes = list(criteria_set.items.values_list("code", flat=True))
    return next_child_code(parent.code if parent else "", codes)


@transaction.atomic
def criteria_item_add(
    *,
    criteria_set: CriteriaSet,
    parent: CriteriaItem | None,
    code: str,
    name: str,
    guidance: str,
    max_points: str,
    step: str,
    method: str,
    actor: User | None,
    seen: str | None = None,
) -> TreeSaved:
    """Add an item under parent (after its last descendant); refused unless the whole tree stays valid."""
    lines = current_lines(criteria_set=criteria_set)
    prefix = f"{parent.code}." if parent else ""
    place = max(
        (
            line.order
            for line in lines
            if parent is None or line.code == parent.code or line.code.startswith(prefix)
        ),
        default=0,
    )
    new = EditRow(
        key=None, code=code, name=name, max_points=max_points, step=step, method=method, guidance=guidance,
        order=place + 0.5,
    )  # fmt: skip
    return criteria_tree_save(criteria_set=criteria_set, lines=[*lines, new], actor=actor, seen=seen)


@transaction.atomic
def criteria_item_delete(*, item: CriteriaItem, actor: User | None) -> TreeSaved:
    """Delete an item without children; refused unless the whole tree stays valid."""
    if item.children.exists():
        raise CriteriaEditError.one(
            _("Mục %(code)s còn mục con: hãy xóa các mục con trước, hoặc sửa cả cây tiêu chí.")
            % {"code": item.code}
        )
    lines = [line for line in current_lines(criteria_set=item.criteria_set) if line.key != item.pk]
    return criteria_tree_save(criteria_set=item.criteria_set, lines=lines, actor=actor)


# --- versions ----------------------------------------------------------------------------------------


def _snapshot(rows: Sequence[CriteriaRow]) -> list[dict[str, str]]:
    return [
        {
            "code": r.code, "name": r.name, "max_points": format(r.max_points, "f"), "step": r.step,
            "method": r.method, "guidance": r.guidance, "not_applicable_reason": r.not_applicable_reason,
        }
        for r in rows
    ]  # fmt: skip


@transaction.atomic
def criteria_set_version_create(
    *, criteria_set: CriteriaSet, reason: str, actor: User | None
) -> CriteriaSetVersion:
    """Freeze the set's tree as it is now (version n) and start version n + 1, which may then be edited."""
    reason = (reason or "").strip()
    if not reason:
        raise CriteriaEditError([RowError(_("Hãy ghi lý do tạo phiên bản mới."), column="reason")])
    criteria_set = _locked(criteria_set)
    version = CriteriaSetVersion.objects.create(
        criteria_set=criteria_set,
        number=criteria_set.version,
        rows=_snapshot(criteria_set_rows(criteria_set=criteria_set)),
        reason=reason,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_fields_set(
        criteria_set, {"version": criteria_set.version + 1}, body=criteria_set.period.body, actor=actor,
        action="criteria_set_version_created", note=reason,
    )  # fmt: skip
    return version
