from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Thẩm định")

    def ready(self) -> None:
        # scoring decides who sees a dossier but may not import the assignments, kept here (scoring <- appraisal).
        from .access import register_assignments_with_scoring

        register_assignments_with_scoring()
        # A year's setup copies last year's assignments and asks whom they cover (scoring.periods.hooks).
        from .year_setup import register

        register()
        # The home page lists what waits for the user; scoring draws it, appraisal says what waits in the rounds.
        from .rounds.home import register as register_home

        register_home()
