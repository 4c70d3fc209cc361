"""E-mail a reminder to every unit of a period that has not submitted and whose deadline is near or past."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.models import Period
from scoring.progress.reminders import assessment_reminders_send

from ._criteria_args import body_from_code


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc nhở tới cán bộ và thủ trưởng các đơn vị chưa gửi hồ sơ tự đánh giá "
        "khi đã quá hạn hoặc sắp đến hạn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--body", required=True, help="mã cơ quan đánh giá, ví dụ lai-chau")
        parser.add_argument("--year", required=True, type=int, help="năm đánh giá")

    def handle(self, *args: Any, **options: Any) -> None:
        body = body_from_code(options["body"])
        period = Period.objects.filter(body=body, year=options["year"]).first()
        if period is None:
            raise CommandError(
                _("Cơ quan %(body)s chưa có kỳ đánh giá năm %(year)s.")
                % {"body": body.code, "year": options["year"]}
            )
        count = assessment_reminders_send(body=body, period=period, actor=None)
        self.stdout.write(self.style.SUCCESS(_("Đã gửi %(n)s thư nhắc nhở.") % {"n": count}))
