"""Import a criteria set from an Excel workbook; prints every problem and saves nothing if there is one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.evaluation import services

from ._criteria_args import body_from_code, group_from_code_or_name


class Command(BaseCommand):
    help = "Nhập bộ tiêu chí từ tệp Excel theo mẫu (trang 'Tiêu chí'). Có lỗi thì không lưu gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="tệp .xlsx")
        parser.add_argument("--body", required=True, help="mã cơ quan đánh giá, ví dụ lai-chau")
        parser.add_argument("--year", required=True, type=int, help="năm đánh giá")
        parser.add_argument("--group", required=True, help="mã hoặc tên nhóm đơn vị")
        parser.add_argument("--name", default="", help="tên bộ tiêu chí")
        parser.add_argument("--illustrative", action="store_true", help="đánh dấu là bộ minh họa")
        parser.add_argument("--replace", action="store_true", help="thay thế bộ tiêu chí đã có")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        body = body_from_code(options["body"])
        unit_group = group_from_code_or_name(body, options["group"])
        name = options["name"] or _("Bộ tiêu chí %(group)s năm %(year)s") % {
            "group": unit_group.name,
            "year": options["year"],
        }
        try:
            with path.open("rb") as workbook_file:
                criteria_set = services.criteria_set_import_for_year(
                    body=body,
                    year=options["year"],
                    unit_group=unit_group,
                    workbook_file=workbook_file,
                    name=name,
                    is_illustrative=options["illustrative"],
                    replace=options["replace"],
                )
        except services.CriteriaImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(_("%(n)s lỗi; không lưu gì.") % {"n": len(exc.errors)}) from exc
        count = criteria_set.items.count()
        message = _("Đã nhập “%(name)s”: %(n)s mục.") % {"name": criteria_set.name, "n": count}
        self.stdout.write(self.style.SUCCESS(message))
