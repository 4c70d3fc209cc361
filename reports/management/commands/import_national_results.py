"""python manage.py import_national_results FILE --body CODE [--fields FILE] [--national-total 63] [--region-total 6]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from reports.province import io as province_io
from reports.province import services as province_services
from reports.province.data import NationalResultsImportError
from scoring.models import EvaluatingBody


class Command(BaseCommand):
    help = _(
        "Nhập kết quả Chỉ số CCHC của tỉnh do Bộ Nội vụ công bố (mỗi năm một dòng) từ tệp .xlsx hoặc .csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help=_("Bảng kết quả .xlsx (kèm trang tính linh_vuc nếu có) hoặc .csv, có dòng tiêu đề.")
        )
        parser.add_argument("--body", required=True, help=_("Mã cơ quan đánh giá."))
        parser.add_argument(
            "--fields", help=_("Bảng kết quả theo lĩnh vực (.csv), khi bảng kết quả là .csv.")
        )
        parser.add_argument(
            "--national-total",
            type=int,
            help=_(
                "Số tỉnh, thành phố được xếp hạng cho các dòng để trống (mặc định 63 trước 2025, 34 từ 2025)."
            ),
        )
        parser.add_argument("--region-total", type=int, help=_("Số tỉnh trong vùng cho các dòng để trống."))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "Thay các kết quả đã nhập trước đó khi tệp có số khác (không có thì các dòng đó bị từ chối)."
            ),
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        fields_path = Path(options["fields"]) if options["fields"] else None
        for p in (path, fields_path):
            if p is not None and not p.is_file():
                raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": p})
        body = EvaluatingBody.objects.filter(code=options["body"]).first()
        if body is None:
            raise CommandError(_("Không có cơ quan đánh giá mã «%(code)s».") % {"code": options["body"]})
        try:
            rows = province_io.parse_national_results(
                content=path.read_bytes(),
                filename=path.name,
                fields_content=fields_path.read_bytes() if fields_path else None,
                fields_filename=fields_path.name if fields_path else "",
            )
            summary = province_services.national_results_import(
                body=body,
                rows=rows,
                national_total=options["national_total"],
                region_total=options["region_total"],
                replace=options["replace"],
            )
        except NationalResultsImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Không nhập được tệp %(file)s: %(n)s lỗi. Chưa lưu gì.")
                % {"file": path.name, "n": len(exc.errors)}
            ) from exc
        self.stdout.write(
            _("Đã nhập tệp %(file)s vào «%(body)s»: %(summary)s")
            % {"file": path.name, "body": body.name, "summary": summary}
        )
