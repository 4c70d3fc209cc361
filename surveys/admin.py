"""Back office of the survey: forms, questions, options, sample plans and SIPAS are reference data edited here.

Ballots are read-only: they change only through surveys.services, which applies the acceptance rules (form ×
unit, completeness, quota) the same way for entry and import.
"""

from django.contrib import admin

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


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ["period", "aggregation"]
    list_filter = ["period__body"]


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["number", "text", "item", "order"]
    raw_id_fields = ["item"]
    extra = 0
    show_change_link = True


class SamplePlanInline(admin.TabularInline):
    model = SamplePlan
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(BallotForm)
class BallotFormAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "respondent_group", "target_group", "group_weight", "period"]
    list_filter = ["period__body", "period"]
    search_fields = ["code", "name", "respondent_group"]
    list_select_related = ["target_group", "period", "period__body"]
    inlines = [QuestionInline, SamplePlanInline]


class AnswerOptionInline(admin.TabularInline):
    model = AnswerOption
    fields = ["code", "label", "share", "counts"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "form", "item"]
    list_filter = ["form__period"]
    search_fields = ["text", "form__code", "item__code"]
    list_select_related = ["form", "item"]
    raw_id_fields = ["item"]
    inlines = [AnswerOptionInline]


@admin.register(SamplePlan)
class SamplePlanAdmin(admin.ModelAdmin):
    list_display = ["form", "unit", "issued"]
    list_filter = ["form__period"]
    search_fields = ["form__code", "unit__name"]
    list_select_related = ["form", "unit"]
    raw_id_fields = ["unit"]


@admin.register(SipasResult)
class SipasResultAdmin(admin.ModelAdmin):
    list_display = ["unit", "overall_pct", "period", "source"]
    list_filter = ["period__body", "period"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "period", "period__body"]
    raw_id_fields = ["unit"]


@admin.register(SipasConversion)
class SipasConversionAdmin(admin.ModelAdmin):
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
