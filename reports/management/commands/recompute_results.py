"""python manage.py recompute_results [--body CODE] --year YYYY"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.results.services import period_results_recompute, periods_results_recompute
from scoring.models import EvaluatingBody, Period


class Command(BaseCommand):
    help = _(
        "Tính lại kết quả (chỉ số, xếp loại, thứ hạng) của một kỳ đánh giá từ điểm thẩm định hiện tại. "
        "Chạy lại nhiều lần cho cùng kết quả; kết quả đã công bố không bị thay đổi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--body",
            help=_("Mã cơ quan đánh giá; bỏ trống để tính lại kỳ của năm đó ở mọi cơ quan trong một lượt."),
        )
        parser.add_argument("--year", required=True, type=int, help=_("Năm đánh giá, ví dụ 2026."))

    def handle(self, *args, **options) -> None:
        if not options["body"]:
            self._recompute_all(options["year"])
            return
        body = EvaluatingBody.objects.filter(code=options["body"]).first()
        if body is None:
            codes = ", ".join(EvaluatingBody.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                _("Không có cơ quan đánh giá mã «%(code)s»; các mã hiện có: %(codes)s.")
                % {"code": options["body"], "codes": codes or "—"}
            )
        period = Period.objects.filter(body=body, year=options["year"]).first()
        if period is None:
            raise CommandError(
                _("%(body)s không có kỳ đánh giá năm %(year)s.")
                % {"body": body.name, "year": options["year"]}
            )

        def progress(percent: int, note: str) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{percent:>3}% {note}")

        summary = period_results_recompute(period=period, progress=progress)
        at = timezone.localtime(summary.computed_at).strftime("%d/%m/%Y %H:%M")
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tính lại kết quả năm %(year)s của %(body)s: %(units)s đơn vị (lúc %(at)s).")
                % {"year": period.year, "body": body.name, "units": summary.units, "at": at}
            )
        )
        if not summary.units:
            self.stdout.write(_("Chưa có đơn vị nào đã gửi hồ sơ tự đánh giá trong kỳ này."))

    def _recompute_all(self, year: int) -> None:
        periods = list(Period.objects.filter(year=year))
        if not periods:
            raise CommandError(_("Không có kỳ đánh giá năm %(year)s.") % {"year": year})
        summary = periods_results_recompute(periods=periods)
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tính lại kết quả năm %(year)s của %(bodies)s cơ quan đánh giá: %(units)s đơn vị.")
                % {"year": year, "bodies": summary.periods, "units": summary.units}
            )
        )
