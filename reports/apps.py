from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Kết quả và báo cáo")

    def ready(self) -> None:
        from scoring.results_state import results_changed

        from .results_refresh import results_changed_receive

        results_changed.connect(results_changed_receive, dispatch_uid="reports.results_changed_receive")
