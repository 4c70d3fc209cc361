from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Kết quả và báo cáo")

    def ready(self) -> None:
        from scoring.results.state import results_changed

        from .results.services import results_changed_receive

        results_changed.connect(results_changed_receive, dispatch_uid="reports.results_changed_receive")

        # The council page (appraisal) shows each unit's index and class from the stored results, through a
        # signal of scoring so that appraisal never imports reports.
        from scoring.results.figures import results_figures_requested

        from .results.council import council_figures_receiver

        results_figures_requested.connect(council_figures_receiver, dispatch_uid="reports.council_figures")

        # What each kind of job of reports does, for the one job runner of scoring.
        from .jobs.services import report_kinds_register
        from .published.services import import_kind_register

        report_kinds_register()
        import_kind_register()
