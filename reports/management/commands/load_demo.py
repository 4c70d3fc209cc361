"""python manage.py load_demo — the Lai Châu demo for `make run` (safe to run again)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports import demo_data
from reports.demo_load import demo_load
from scoring.models import Role


class Command(BaseCommand):
    help = _("Nạp dữ liệu mẫu tỉnh Lai Châu (chạy lại nhiều lần không nhân đôi dữ liệu).")

    def handle(self, *args, **options) -> None:
        report = demo_load()
        self.stdout.write(
            _("Dữ liệu mẫu: %(body)s. Kết quả 2020: %(summary)s")
            % {"body": report.body.name, "summary": report.results_summary}
        )
        self.stdout.write("")
        self.stdout.write(
            _("Tài khoản dùng thử (mật khẩu: %(password)s):") % {"password": demo_data.DEMO_PASSWORD}
        )
        for username, _full_name, role, unit_code, _superuser in demo_data.USERS:
            where = f" — {unit_code}" if unit_code else ""
            self.stdout.write(f"  {username:<15} {Role(role).label}{where}")
