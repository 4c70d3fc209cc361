from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    ComputedResult,
    PublicationDecision,
    PublishedFieldResult,
    PublishedResult,
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

    # Rows published by a decision mirror its snapshot: a correction is a reopening and an amending decision,
    # never an edit here. Imported rows of earlier years stay editable for support.
    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.source == PublishedResult.Source.APPRAISAL:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.source == PublishedResult.Source.APPRAISAL:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(PublicationDecision)
class PublicationDecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are recorded through the publication page, which publishes in the same step."""

    list_display = ["number", "period", "signed_on", "signer", "amends", "published_at"]
    list_filter = ["period__body", "period__year"]
    list_select_related = ["period", "amends"]
    # The file through its view, never its /media/ address.
    exclude = ["file"]
    readonly_fields = ["file_link"]

    @admin.display(description=_("tệp quyết định"))
    def file_link(self, obj) -> str:
        decision = getattr(obj, "decision", obj)  # the snapshot admin shows its decision's file
        if not decision.file:
            return "—"
        url = reverse("reports:publication_decision_file", kwargs={"pk": decision.pk})
        return format_html('<a href="{}">{}</a>', url, decision.number)

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
