from django.contrib import admin

from .models import PublicationDecision, PublishedFieldResult, PublishedResult, ResultSnapshot


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
