"""What surveys does for a year's setup (scoring.periods.hooks): copy last year's ballot forms and sample plans, and
add the survey settings' links and what they still lack to the period's setup page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from scoring.models import Period, User
from scoring.periods.hooks import period_copied, register_setup_lines

from .design.services import ballot_forms_clone
from .models import SamplePlan


def forms_copy(*, source: Period, target: Period, actor: User | None, **kwargs: Any) -> dict[str, int]:
    """Copy the source period's ballot forms with their questions and sample plans (none: nothing to say).

    A form whose items are missing in the new criteria sets refuses the whole creation (ValidationError): the
    administrator is told which item, rather than finding a year with half its survey.
    """
    if not source.ballot_forms.exists():
        return {}
    forms = ballot_forms_clone(source_period=source, target_period=target, actor=actor, with_plans=True)
    plans = SamplePlan.objects.filter(form__period=target).count()
    return {_("Mẫu phiếu điều tra"): len(forms), _("Kế hoạch mẫu"): plans}


def conversions_copy(*, source: Period, target: Period, actor: User | None, **kwargs: Any) -> dict[str, int]:
    """Copy which survey items took their points from SIPAS last year (none: nothing to say)."""
    from .settings.services import sipas_conversions_clone

    copied = sipas_conversions_clone(source=source, target=target, actor=actor)
    return {_("Quy đổi SIPAS"): copied} if copied else {}


def register() -> None:
    period_copied.connect(forms_copy, dispatch_uid="surveys.forms_copy")
    period_copied.connect(conversions_copy, dispatch_uid="surveys.conversions_copy")
    from .settings.links import setup_lines

    register_setup_lines(setup_lines)
