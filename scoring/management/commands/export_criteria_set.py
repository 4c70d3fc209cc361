"""Export a criteria set to an Excel workbook that import_criteria_set reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.evaluation import selectors
from scoring.evaluation.workbook_write import criteria_set_to_workbook

from ._criteria_args import body_from_code, group_from_code_or_name


class Command(BaseCommand):
    help = "Xuất bộ tiêu chí của một nhóm đơn vị trong một năm ra tệp Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="tệp .xlsx sẽ ghi")
        parser.add_argument("--body", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--group", required=True, help="mã hoặc tên nhóm đơn vị")

    def handle(self, *args: Any, **options: Any) -> None:
        body = body_from_code(options["body"])
        unit_group = group_from_code_or_name(body, options["group"])
        criteria_set = selectors.criteria_set_find(body=body, year=options["year"], group=unit_group.code)
        if criteria_set is None:
            raise CommandError(
                _("Nhóm %(group)s chưa có bộ tiêu chí năm %(year)s.")
                % {"group": unit_group.name, "year": options["year"]}
            )
        rows = selectors.criteria_set_rows(criteria_set=criteria_set)
        info = [
            (_("Bộ tiêu chí"), criteria_set.name),
            (_("Cơ quan đánh giá"), body.name),
            (_("Năm đánh giá"), str(options["year"])),
            (_("Nhóm đơn vị"), unit_group.name),
        ]
        criteria_set_to_workbook(rows=rows, info=info).save(options["out"])
        message = _("Đã ghi %(n)s mục vào %(out)s.") % {"n": len(rows), "out": options["out"]}
        self.stdout.write(self.style.SUCCESS(message))
