from django.contrib import admin

from .models import PublishedFieldResult, PublishedResult


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
