"""Back office of the appraisal: assignments are reference data edited here; everything else is read-only.

Scores, explanations and council decisions change only through the appraisal services (appraisal.rounds.services,
which check the rules and record the audit trail), so the admin shows them and never edits them.
"""

from django.contrib import admin
from django.db import transaction

from scoring.audit.services import audit_record

from .models import AppraiserAssignment, CouncilDecision, CouncilMeeting, Explanation, ItemAppraisal


@admin.register(AppraiserAssignment)
class AppraiserAssignmentAdmin(admin.ModelAdmin):
    list_display = ["appraiser", "unit", "field_code", "period"]
    list_filter = ["period__body", "period"]
    search_fields = ["appraiser__username", "appraiser__full_name", "unit__name", "field_code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["appraiser", "unit", "period", "period__body"]

    # An assignment decides who sees a unit's dossier: its changes go to the audit trail like a role change.
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                body=obj.period.body,
                actor=request.user,
                action="appraiser_assignment_changed" if change else "appraiser_assignment_added",
                obj=obj,
                unit=obj.unit,
                field="assignment",
                new=str(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                body=obj.period.body,
                actor=request.user,
                action="appraiser_assignment_removed",
                obj=obj,
                unit=obj.unit,
                field="assignment",
                old=str(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("period__body", "unit", "appraiser"):
            self.delete_model(request, obj)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ItemAppraisal)
class ItemAppraisalAdmin(_ReadOnlyAdmin):
    list_display = [
        "assessment",
        "item",
        "round",
        "points",
        "needs_explanation",
        "appraised_by",
        "appraised_at",
    ]
    list_filter = ["round", "needs_explanation", "assessment__period"]
    search_fields = ["assessment__unit__name", "item__code"]
    list_select_related = ["assessment__unit", "assessment__period", "item", "appraised_by"]


@admin.register(Explanation)
class ExplanationAdmin(_ReadOnlyAdmin):
    list_display = ["assessment", "item", "updated_by", "updated_at"]
    list_filter = ["assessment__period"]
    search_fields = ["assessment__unit__name", "item__code"]
    list_select_related = ["assessment__unit", "assessment__period", "item", "updated_by"]


class CouncilDecisionInline(admin.TabularInline):
    model = CouncilDecision
    extra = 0
    fields = ["assessment", "outcome", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "period", "recorded_by", "created_at"]
    list_filter = ["period__body", "period"]
    inlines = [CouncilDecisionInline]
    fields = ["period", "held_on", "members_present", "note", "recorded_by", "created_at"]
    readonly_fields = fields
