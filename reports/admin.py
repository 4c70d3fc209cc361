from django.contrib import admin

from .models import (
    ComputedResult,
    PublicationDecision,
    PublishedFieldResult,
    PublishedResult,
    ReportJob,
    ResultSnapshot,
)


class PublishedFieldResultInline(admin.TabularInline):
    model = PublishedFieldResult
    extra = 0


@admin.register(PublishedResult)
class PublishedResultAdmin(admin.ModelAdmin):
    list_display = [
        "unit",
        "period",
        "unit_group",
        "appraisal_points",
        "survey_points",
        "max_points",
        "source",
    ]
    list_filter = ["period__body", "period__year", "unit_group", "source"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period", "unit_group"]
    inlines = [PublishedFieldResultInline]


@admin.register(PublicationDecision)
class PublicationDecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are recorded through the publication page, which publishes in the same step."""

    list_display = ["number", "period", "signed_on", "signer", "amends", "published_at"]
    list_filter = ["period__body", "period__year"]
    list_select_related = ["period", "amends"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(PublicationDecisionAdmin):
    list_display = ["decision", "period", "content_hash", "created_at"]
    list_select_related = ["decision", "period"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the jobs and the recompute only; the admin shows them for support."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "year",
        "unit",
        "format",
        "status",
        "progress",
        "requested_by",
        "created_at",
    ]
    list_filter = ["body", "kind", "status", "year"]
    search_fields = ["unit__name", "unit__code", "requested_by__username", "error"]
    list_select_related = ["unit", "requested_by"]
    date_hierarchy = "created_at"


@admin.register(ComputedResult)
class ComputedResultAdmin(ReadOnlyAdmin):
    list_display = [
        "unit",
        "period",
        "unit_group",
        "appraisal_points",
        "survey_points",
        "max_points",
        "index",
        "band_code",
        "rank",
        "computed_at",
    ]
    list_filter = ["period__body", "period__year", "unit_group"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period", "unit_group"]
