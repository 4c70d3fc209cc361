"""python manage.py load_demo — the Lai Châu demo for `make run` (safe to run again)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.demo import data as demo_data
from reports.demo.load import demo_load
from scoring.models import Assessment, Role, Unit


class Command(BaseCommand):
    help = _("Nạp dữ liệu mẫu tỉnh Lai Châu (chạy lại nhiều lần không nhân đôi dữ liệu).")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--demo-passwords",
            action="store_true",
            help=_(
                "Xác nhận đây là máy dùng thử: cho phép tạo các tài khoản mẫu (có một quản trị viên tối cao) "
                "với mật khẩu công khai khi DEBUG tắt."
            ),
        )

    def handle(self, *args, **options) -> None:
        # The demo accounts, a superuser among them, share a password printed in the README: on a server
        # (DEBUG off) anyone who read it could sign in, so that takes an explicit "this is a demo".
        if not settings.DEBUG and not options["demo_passwords"]:
            raise CommandError(
                _(
                    "load_demo tạo các tài khoản mẫu (có quản trị viên tối cao «admin») với mật khẩu công khai "
                    "%(password)s, nên không chạy khi DEBUG tắt. Máy chạy thật: tạo quản trị viên bằng "
                    "«python manage.py createsuperuser». Máy dùng thử: chạy lại với --demo-passwords."
                )
                % {"password": demo_data.DEMO_PASSWORD}
            )
        report = demo_load()
        self.stdout.write(
            _("Dữ liệu mẫu: %(body)s. Kết quả 2020: %(summary)s")
            % {"body": report.body.name, "summary": report.results_summary}
        )
        units = {u.code: u.name for u in Unit.objects.filter(body=report.body)}
        stages = {
            a.unit.code: a.get_status_display()
            for a in Assessment.objects.filter(
                period__body=report.body, period__year=demo_data.CURRENT_YEAR
            ).select_related("unit")
        }
        self.stdout.write("")
        self.stdout.write(
            _("Tài khoản dùng thử (mật khẩu của tất cả: %(password)s):")
            % {"password": demo_data.DEMO_PASSWORD}
        )
        for username, _full_name, role, unit_code, _superuser in demo_data.USERS:
            where = ""
            if unit_code:
                stage = stages.get(unit_code, _("chưa bắt đầu"))
                where = f" — {units.get(unit_code, unit_code)} ({_('tự đánh giá %(year)s') % {'year': demo_data.CURRENT_YEAR}}: {stage})"
            self.stdout.write(f"  {username:<17} {Role(role).label}{where}")
        self.stdout.write(
            _("Tài khoản của các đơn vị khác: canbo.<mã đơn vị> / thutruong.<mã đơn vị>, cùng mật khẩu.")
        )
        self.stdout.write("")
        self.stdout.write(_("Hồ sơ năm %(year)s theo trạng thái:") % {"year": demo_data.CURRENT_YEAR})
        by_state: dict[str, list[str]] = {}
        for assessment in (
            Assessment.objects.filter(period__body=report.body, period__year=demo_data.CURRENT_YEAR)
            .select_related("unit")
            .order_by("unit__name")
        ):
            by_state.setdefault(assessment.get_status_display(), []).append(assessment.unit.name)
        for state, names in by_state.items():
            self.stdout.write(f"  {state}: {', '.join(names)}")
        self.stdout.write("")
        self.stdout.write(
            _(
                "Đăng nhập bằng canbo.snv (cán bộ) hoặc thutruong.snv (thủ trưởng, người gửi hồ sơ) để tự đánh giá."
            )
        )
