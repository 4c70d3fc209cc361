"""python manage.py import_published_results FILE [--body CODE] [--body-name NAME] [--year YEAR]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from reports.published import io as published_io
from reports.published import services
from reports.published.data import PublishedResultsImportError
from scoring.evaluation.services import body_get_or_create
from scoring.models import EvaluatingBody

DEFAULT_BODY_CODE = "default"
DEFAULT_BODY_NAME = "Cơ quan đánh giá"


def _body(*, code: str | None, name: str | None) -> EvaluatingBody:
    """Return the body to import into: the one named, the only one, or a new one in an empty database."""
    bodies = EvaluatingBody.objects.order_by("code")
    if not bodies.exists():
        return body_get_or_create(code=code or DEFAULT_BODY_CODE, name=name or DEFAULT_BODY_NAME)
    if code:
        body = bodies.filter(code=code).first()
        if body is None:
            raise CommandError(
                _("Không có cơ quan đánh giá mã «%(code)s»; các mã hiện có: %(codes)s.")
                % {"code": code, "codes": ", ".join(b.code for b in bodies)}
            )
        return body
    if bodies.count() > 1:
        raise CommandError(
            _("Có nhiều cơ quan đánh giá; hãy chọn một bằng --body (%(codes)s).")
            % {"codes": ", ".join(b.code for b in bodies)}
        )
    return bodies.get()


class Command(BaseCommand):
    help = _("Nhập kết quả chỉ số CCHC đã công bố của các năm trước từ tệp .xlsx hoặc .csv.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("Tệp .xlsx hoặc .csv có dòng tiêu đề."))
        parser.add_argument("--body", help=_("Mã cơ quan đánh giá (bỏ qua được khi chỉ có một)."))
        parser.add_argument("--body-name", help=_("Tên cơ quan đánh giá, khi lệnh phải tạo mới."))
        parser.add_argument("--year", type=int, help=_("Năm đánh giá, khi tệp không có cột year."))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "Thay các kết quả đã nhập trước đó khi tệp có số khác (không có thì các dòng đó bị từ chối)."
            ),
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        try:
            rows = published_io.parse_published_results(
                content=path.read_bytes(), filename=path.name, default_year=options["year"]
            )
            # One transaction with the body, so that a failed import does not leave a new empty body.
            with transaction.atomic():
                body = _body(code=options["body"], name=options["body_name"])
                summary = services.published_results_import(body=body, rows=rows, replace=options["replace"])
        except PublishedResultsImportError as exc:
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
