"""The audit log as a table: the same rows for the CSV and the Excel download."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from scoring.audit.selectors import action_label, field_label, value_label
from scoring.models import AuditEvent
from scoring.spreadsheets.write import append_row, csv_writer

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headers() -> list[str]:
    return [
        _("Thời điểm"),
        _("Người thực hiện"),
        _("Đơn vị"),
        _("Hành động"),
        _("Mã tiêu chí"),
        _("Trường"),
        _("Giá trị cũ"),
        _("Giá trị mới"),
        _("Ghi chú"),
    ]


def _row(event: AuditEvent) -> list[str]:
    return [
        timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
        event.actor.username if event.actor else _("(hệ thống)"),
        event.unit.name if event.unit else "",
        action_label(event.action),
        event.item_code,
        field_label(event.field) if event.field else "",
        value_label(event.field, event.old_value),
        value_label(event.field, event.new_value),
        event.note,
    ]


def audit_rows(events: Iterable[AuditEvent]) -> Iterator[list[str]]:
    yield _headers()
    for event in events:
        yield _row(event)


def audit_csv(events: Iterable[AuditEvent]) -> bytes:
    """Return the rows as UTF-8 CSV with a byte-order mark, so that Excel reads the Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerows(audit_rows(events))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def audit_workbook(events: Iterable[AuditEvent]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Nhật ký"))
    for row in audit_rows(events):
        append_row(sheet, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
