from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Đánh giá và chấm điểm")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from scoring import signals
        from scoring.models import RoleAssignment

        post_save.connect(signals.role_saved, sender=RoleAssignment, dispatch_uid="scoring_role_saved")
        post_delete.connect(signals.role_deleted, sender=RoleAssignment, dispatch_uid="scoring_role_deleted")

        from scoring.home.panels import register_home_panels
        from scoring.home.selectors import scoring_panels

        register_home_panels(scoring_panels)
