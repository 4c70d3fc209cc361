from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Điều tra xã hội học")

    def ready(self) -> None:
        # What a ballot import job does, for the one job runner of scoring.
        from .ballot_import.services import ballot_import_kind_register

        ballot_import_kind_register()
        # A year's setup copies last year's ballot forms and sample plans (scoring.periods.hooks).
        from .year_setup import register

        register()
