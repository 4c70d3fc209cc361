"""Back office of the survey: forms, questions, options, sample plans and SIPAS are reference data edited here.

Ballots are read-only: they change only through surveys.ballots.services, which applies the acceptance rules (form ×
unit, completeness, quota) the same way for entry and import.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms import ModelForm

from scoring.results.state import results_changed_notify

from .ballots.services import SurveyFrozen, survey_frozen_check
from .models import (
    AnswerOption,
    Ballot,
    BallotAnswer,
    BallotForm,
    Question,
    SamplePlan,
    SipasConversion,
    SipasResult,
    SurveySettings,
)


def _period_id(obj) -> int | None:
    """Return the period a piece of survey design belongs to (form, question, option, plan, settings, SIPAS)."""
    for path in ("period_id", "form.period_id", "question.form.period_id"):
        value = obj
        try:
            for name in path.split("."):
                value = getattr(value, name)
        except AttributeError:
            continue
        except Exception:  # noqa: BLE001 — an unsaved object without its parent yet has no period
            return None
        if value is not None:
            return value
    return None


def _frozen_message(obj) -> str:
    """Return why the object may not change (a published result of its period), or ""."""
    period_id = _period_id(obj) if obj is not None else None
    if period_id is None:
        return ""
    try:
        # SIPAS is a unit's; everything else here (forms, questions, options, plans, settings) is the period's.
        unit_id = obj.unit_id if isinstance(obj, SipasResult) else None
        survey_frozen_check(period_id=period_id, unit_id=unit_id)
    except SurveyFrozen as exc:
        return exc.messages[0]
    return ""


class FrozenCheckForm(ModelForm):
    """Refuse to add or change a piece of survey design of a period whose results are published."""

    def clean(self):
        cleaned = super().clean()
        # The period (or the unit, for SIPAS) being chosen in this very form counts, not only the saved one.
        for name in ("period", "form", "question", "unit"):
            if cleaned.get(name) is not None:
                setattr(self.instance, name, cleaned[name])
        message = _frozen_message(self.instance)
        if message:
            raise ValidationError(message)
        return cleaned


class SurveyDesignAdmin(admin.ModelAdmin):
    """Survey design is read-only in the admin once a result it feeds is published, and its changes tell the
    results (the same rules as surveys.ballots.services, which the product's own pages go through)."""

    form = FrozenCheckForm

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not _frozen_message(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not _frozen_message(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        message = _frozen_message(obj)
        if message and request.method == "GET":
            messages.warning(request, message)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        results_changed_notify(period_id=_period_id(obj))

    def delete_model(self, request, obj) -> None:
        period_id = _period_id(obj)
        super().delete_model(request, obj)
        results_changed_notify(period_id=period_id)


class FrozenInlineMixin:
    """An inline of a published period's design is read-only, like its parent."""

    form = FrozenCheckForm

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not _frozen_message(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not _frozen_message(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not _frozen_message(obj)


@admin.register(SurveySettings)
class SurveySettingsAdmin(SurveyDesignAdmin):
    list_display = ["period", "aggregation"]
    list_filter = ["period__body"]


class QuestionInline(FrozenInlineMixin, admin.TabularInline):
    model = Question
    fields = ["number", "text", "item", "order"]
    raw_id_fields = ["item"]
    extra = 0
    show_change_link = True


class SamplePlanInline(FrozenInlineMixin, admin.TabularInline):
    model = SamplePlan
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(BallotForm)
class BallotFormAdmin(SurveyDesignAdmin):
    list_display = ["code", "name", "respondent_group", "target_group", "group_weight", "period"]
    list_filter = ["period__body", "period"]
    search_fields = ["code", "name", "respondent_group"]
    list_select_related = ["target_group", "period", "period__body"]
    inlines = [QuestionInline, SamplePlanInline]


class AnswerOptionInline(FrozenInlineMixin, admin.TabularInline):
    model = AnswerOption
    fields = ["code", "label", "share", "counts"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(SurveyDesignAdmin):
    list_display = ["number", "text", "form", "item"]
    list_filter = ["form__period"]
    search_fields = ["text", "form__code", "item__code"]
    list_select_related = ["form", "item"]
    raw_id_fields = ["item"]
    inlines = [AnswerOptionInline]


@admin.register(SamplePlan)
class SamplePlanAdmin(SurveyDesignAdmin):
    list_display = ["form", "unit", "issued"]
    list_filter = ["form__period"]
    search_fields = ["form__code", "unit__name"]
    list_select_related = ["form", "unit"]
    raw_id_fields = ["unit"]


@admin.register(SipasResult)
class SipasResultAdmin(SurveyDesignAdmin):
    list_display = ["unit", "overall_pct", "period", "source"]
    list_filter = ["period__body", "period"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "period", "period__body"]
    raw_id_fields = ["unit"]


@admin.register(SipasConversion)
class SipasConversionAdmin(SurveyDesignAdmin):
    list_display = ["item", "method", "period"]
    list_filter = ["period"]
    list_select_related = ["item", "period", "period__body"]
    raw_id_fields = ["item"]


class BallotAnswerInline(admin.TabularInline):
    model = BallotAnswer
    fields = ["question", "option"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "form",
        "unit",
        "status",
        "reject_reason",
        "entry_round",
        "source",
        "entered_at",
    ]
    list_filter = ["period", "status", "reject_reason", "entry_round", "source"]
    search_fields = ["number", "unit__name"]
    list_select_related = ["form", "unit"]
    inlines = [BallotAnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
