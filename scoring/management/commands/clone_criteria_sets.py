"""Clone every criteria set of one year into another year of the same evaluating body."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.evaluation import services

from ._criteria_args import body_from_code


class Command(BaseCommand):
    help = "Sao chép mọi bộ tiêu chí của một năm sang năm khác (kèm tiêu chí không đánh giá trong cả kỳ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--body", required=True)
        parser.add_argument("--from", dest="source_year", required=True, type=int)
        parser.add_argument("--to", dest="target_year", required=True, type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        body = body_from_code(options["body"])
        try:
            result = services.criteria_set_clone_for_years(
                body=body, source_year=options["source_year"], target_year=options["target_year"]
            )
        except services.CriteriaCloneError as exc:
            raise CommandError(str(exc)) from exc
        for criteria_set in result.criteria_sets:
            self.stdout.write(f"{criteria_set.unit_group.name}: {criteria_set.name}")
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã sao chép %(sets)s bộ tiêu chí (%(items)s mục) sang năm %(year)s.")
                % {
                    "sets": len(result.criteria_sets),
                    "items": result.item_count,
                    "year": options["target_year"],
                }
            )
        )
        if result.exemption_count:
            self.stdout.write(
                _("Đã chép kèm %(n)s tiêu chí không đánh giá trong cả kỳ: hãy xem lại.")
                % {"n": result.exemption_count}
            )
