from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    ClassificationBand,
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    NotApplicableItem,
    Period,
    RoleAssignment,
    Unit,
    UnitGroup,
    UnitKind,
    User,
)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("PAR INDEX"), {"fields": ("full_name", "must_change_password")}),
    )
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleAssignmentInline]


@admin.register(EvaluatingBody)
class EvaluatingBodyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "administrator_name"]
    search_fields = ["code", "name"]


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "body"]
    list_filter = ["body"]


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "body", "order"]
    list_filter = ["body"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "kind", "active_from", "active_to"]
    list_filter = ["body", "group", "kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["predecessors"]
    list_select_related = ["group", "kind"]


class ClassificationBandInline(admin.TabularInline):
    model = ClassificationBand
    extra = 0


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "body", "self_assessment_deadline", "publication_decision", "published_on"]
    list_filter = ["body"]
    inlines = [ClassificationBandInline]


class CriteriaItemInline(admin.TabularInline):
    model = CriteriaItem
    extra = 0
    fields = ["order", "code", "level", "name", "max_points", "step", "method", "parent"]
    raw_id_fields = ["parent"]
    show_change_link = True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "period", "unit_group", "is_illustrative"]
    list_filter = ["period__body", "period__year", "unit_group"]
    search_fields = ["name"]
    inlines = [CriteriaItemInline]


@admin.register(CriteriaItem)
class CriteriaItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "max_points", "step", "method", "criteria_set"]
    list_filter = ["criteria_set__period__year", "criteria_set__unit_group", "level", "method"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(NotApplicableItem)
class NotApplicableItemAdmin(admin.ModelAdmin):
    list_display = ["item", "unit", "reason"]
    list_filter = ["item__criteria_set__period__year"]
    raw_id_fields = ["item"]
    autocomplete_fields = ["unit"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "body", "unit"]
    list_filter = ["body", "role"]
    autocomplete_fields = ["user", "unit"]
