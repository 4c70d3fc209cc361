"""Which units a publication decision covers: whole groups, every unit approved or left out with a reason.

The decision publishes each group's ranking as a whole (domain, "What the cycle must guarantee"): a group is
published only when every unit of it with an assessment in the period — started or not — is approved by the
council, or explicitly left out with a reason that the annual report prints as a footnote. An amendment keeps
the groups already published and may add more; units left out earlier stay out until the council approves them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from scoring.models import Assessment, Period, UnitGroup
from scoring.workflow import Status

__all__ = ["LeftOut", "PublicationError", "PublicationScope", "publication_scope"]

# A reason is printed in a footnote of the report: one line, not an essay.
LEFT_OUT_REASON_MAX = 500


class PublicationError(Exception):
    """A publication refused; .message is for the user (Vietnamese), .field names the form field if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A unit of a published group that the decision leaves out, and why (printed as a footnote)."""

    unit_code: str
    unit_name: str
    group_code: str
    group_name: str
    status: str
    reason: str

    def as_content(self) -> dict[str, Any]:
        return {
            "name": self.unit_name,
            "group": self.group_code,
            "group_name": self.group_name,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class PublicationScope:
    groups: list[UnitGroup]
    published: list[Assessment]  # approved or already published, to be (re)published; by group, name
    left_out: list[LeftOut]


def _group_ids(groups: Iterable[UnitGroup | int]) -> set[int]:
    return {g if isinstance(g, int) else g.pk for g in groups}


def publication_scope(
    *,
    period: Period,
    groups: Iterable[UnitGroup | int] | None,
    exclusions: Mapping[int, str] | None,
    previous: Mapping[str, Any] | None,
) -> PublicationScope:
    """Return what the decision covers, or refuse naming the units that are neither approved nor left out.

    groups: the groups the administrator chose (None: every group with an assessment in the period). exclusions:
    unit id → reason. previous: the content of the snapshot in force, for an amendment (its groups stay published
    and its left-out units stay out, with their reason, unless the council has approved them since).
    """
    exclusions = {int(k): (v or "").strip() for k, v in (exclusions or {}).items()}
    assessments = list(
        Assessment.objects.filter(period=period)
        .select_related("unit__group")
        .order_by("unit__group__order", "unit__name", "pk")
    )
    chosen = _group_ids(groups) if groups is not None else {a.unit.group_id for a in assessments}
    previous_units: Mapping[str, Any] = (previous or {}).get("units", {})
    previous_left: Mapping[str, Any] = (previous or {}).get("left_out", {})
    previous_groups = set((previous or {}).get("groups", [])) | {
        u["group"] for u in list(previous_units.values()) + list(previous_left.values())
    }
    chosen |= {a.unit.group_id for a in assessments if a.unit.group.code in previous_groups}
    if not chosen:
        raise PublicationError(_("Hãy chọn ít nhất một nhóm đơn vị để công bố."), field="groups")
    in_scope = [a for a in assessments if a.unit.group_id in chosen]
    strays = set(exclusions) - {a.unit_id for a in in_scope}
    if strays:
        raise PublicationError(_("Chỉ để ra ngoài được đơn vị thuộc các nhóm được công bố."), field="groups")
    empty = [pk for pk, reason in exclusions.items() if not reason]
    too_long = [pk for pk, reason in exclusions.items() if len(reason) > LEFT_OUT_REASON_MAX]
    if empty or too_long:
        raise PublicationError(
            _("Mỗi đơn vị để ra ngoài kết quả phải có lý do (tối đa %(max)d ký tự).")
            % {"max": LEFT_OUT_REASON_MAX},
            field="exclusions",
        )

    published, left_out, missing = [], [], {}
    for assessment in in_scope:
        unit = assessment.unit
        reason = exclusions.get(unit.pk)
        ready = assessment.status in (Status.COUNCIL_APPROVED, Status.PUBLISHED)
        if reason is None and not ready and unit.code in previous_left:
            reason = previous_left[unit.code]["reason"]  # left out earlier, still not approved
        if reason is not None:
            left_out.append(
                LeftOut(unit.code, unit.name, unit.group.code, unit.group.name, assessment.status, reason)
            )
        elif ready:
            published.append(assessment)
        else:
            missing.setdefault(unit.group.name, []).append(unit.name)
    if missing:
        raise PublicationError(
            " ".join(
                _(
                    "Nhóm «%(group)s» còn đơn vị chưa được Hội đồng thẩm định thông qua: %(units)s. Hãy chờ Hội "
                    "đồng thông qua, hoặc để các đơn vị này ra ngoài kết quả và nêu lý do."
                )
                % {"group": group, "units": ", ".join(units)}
                for group, units in missing.items()
            ),
            field="exclusions",
        )
    if not published:
        raise PublicationError(_("Chưa có hồ sơ nào được Hội đồng thẩm định thông qua."))
    group_rows = sorted(
        {a.unit.group_id: a.unit.group for a in in_scope}.values(), key=lambda g: (g.order, g.name)
    )
    return PublicationScope(groups=group_rows, published=published, left_out=left_out)
