from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from scoring.accounts import services as account_services
from scoring.accounts.admin import users_import_urls
from scoring.accounts.forms import TemporaryPasswordForm
from scoring.audit.services import acting_as
from scoring.evaluation import not_applicable as not_applicable_services
from scoring.jobs.registry import UnknownJobKind, job_kind_get
from scoring.models import (
    ClassificationBand,
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    Job,
    NotApplicableItem,
    Period,
    RoleAssignment,
    Unit,
    UnitGroup,
    UnitKind,
    User,
)
from scoring.results import guards as frozen_guards
from scoring.results.admin import FrozenResultsAdminMixin, frozen_formset


class ActingAdminMixin:
    """Role changes are audited by signals; these pages tell the signals who the acting administrator is."""

    def changeform_view(self, request, *args, **kwargs):
        with acting_as(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with acting_as(request.user):
            return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):  # the "delete selected" action
        with acting_as(request.user):
            return super().changelist_view(request, *args, **kwargs)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(ActingAdminMixin, DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("PAR INDEX"), {"fields": ("full_name", "must_change_password")}),
    )
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleAssignmentInline]
    change_password_form = TemporaryPasswordForm
    actions = ["unlock_logins"]

    def get_urls(self):
        # Before the default URLs, whose "<object_id>/" would otherwise swallow "nhap/".
        return users_import_urls(self) + super().get_urls()

    def user_change_password(self, request, id, form_url=""):
        # TemporaryPasswordForm reads the acting administrator from here.
        with acting_as(request.user):
            return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not change and obj.has_usable_password():
            # A password typed by an administrator is known to them: the new account replaces it at first login.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mở khoá đăng nhập (xoá các lần nhập sai mật khẩu)"))
    def unlock_logins(self, request, queryset):
        for account in queryset:
            account_services.account_unlock(account=account, actor=request.user, bodies=())
        self.message_user(request, _("Đã mở khoá đăng nhập của %(n)s tài khoản.") % {"n": queryset.count()})


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
class UnitAdmin(FrozenResultsAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "group", "kind", "active_from", "active_to"]
    list_filter = ["body", "group", "kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["predecessors"]
    list_select_related = ["group", "kind"]

    def frozen_check(self, obj, data):
        # The group decides the ranking the unit was published in; names and lineage may still be corrected.
        if data is None or (obj.pk and data.get("group") and data["group"].pk != obj.group_id):
            frozen_guards.unit_check(obj)


class ClassificationBandInline(admin.TabularInline):
    model = ClassificationBand
    extra = 0
    formset = frozen_formset(frozen_guards.bands_check)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "body", "self_assessment_deadline", "publication_decision", "published_on"]
    list_filter = ["body"]
    inlines = [ClassificationBandInline]
    # Opening is one checked step (scoring.periods.services.period_open), not a field to edit here.
    readonly_fields = ["status", "opened_at"]


class CriteriaItemsReadOnly:
    """Items are changed only on the set's page in the product (scoring.evaluation.editing), where every save is
    checked as a workbook is (sums, steps, methods, tree), refused for a set in use without a new version, and
    audited; a superuser has every role there. Here they are shown, never written."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriteriaItemInline(CriteriaItemsReadOnly, admin.TabularInline):
    model = CriteriaItem
    extra = 0
    fields = ["order", "code", "level", "name", "max_points", "step", "method", "parent"]
    show_change_link = True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(FrozenResultsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "period", "unit_group", "is_illustrative"]
    list_filter = ["period__body", "period__year", "unit_group"]
    search_fields = ["name"]
    inlines = [CriteriaItemInline]
    readonly_fields = ["version"]  # moved only by "Tạo phiên bản mới" (scoring.evaluation.editing.services)

    def frozen_check(self, obj, data):
        if data is None or (obj.pk and data.get("unit_group") and data["unit_group"].pk != obj.unit_group_id):
            frozen_guards.criteria_set_check(obj)


@admin.register(CriteriaItem)
class CriteriaItemAdmin(CriteriaItemsReadOnly, admin.ModelAdmin):
    list_display = ["code", "name", "level", "max_points", "step", "method", "criteria_set"]
    list_filter = ["criteria_set__period__year", "criteria_set__unit_group", "level", "method"]
    search_fields = ["code", "name"]


@admin.register(NotApplicableItem)
class NotApplicableItemAdmin(FrozenResultsAdminMixin, admin.ModelAdmin):
    list_display = ["item", "unit", "reason"]
    list_filter = ["item__criteria_set__period__year"]
    raw_id_fields = ["item"]
    autocomplete_fields = ["unit"]

    def frozen_check(self, obj, data):
        if obj.pk:
            frozen_guards.not_applicable_row_check(NotApplicableItem.objects.get(pk=obj.pk))
        if data and data.get("item"):
            frozen_guards.not_applicable_check(item=data["item"], unit=data.get("unit"))

    def save_model(self, request, obj, form, change):
        # Through the service: the same check again under the transaction, the audit row, the recompute.
        not_applicable_services.not_applicable_save(
            row=obj, item=obj.item, unit=obj.unit, reason=obj.reason, actor=request.user
        )

    def delete_model(self, request, obj):
        not_applicable_services.not_applicable_delete(row=obj, actor=request.user)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ActingAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "body", "unit"]
    list_filter = ["body", "role"]
    autocomplete_fields = ["user", "unit"]


# --- self-assessments: read-only here; every change goes through scoring.assessment.services ---------------

from scoring.models import Assessment, AssessmentTransition, DeadlineExtension, Evidence, SelfScore  # noqa: E402


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AssessmentTransitionInline(_ReadOnlyInline):
    model = AssessmentTransition
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


class SelfScoreInline(_ReadOnlyInline):
    model = SelfScore
    fields = ["item", "points", "justification", "no_evidence_reason", "version", "updated_by", "updated_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "updated_by").order_by("item__order")


class EvidenceInline(_ReadOnlyInline):
    model = Evidence
    # No file link: evidence is served only by the view that checks who asks, never by a bare media URL.
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class DeadlineExtensionInline(_ReadOnlyInline):
    model = DeadlineExtension
    fields = ["new_deadline", "reason", "granted_by", "granted_at"]
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "status", "submitted_at", "last_activity_at"]
    list_filter = ["period__body", "period__year", "status"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]
    # The status is changed only by the services, which check the workflow and record every move.
    readonly_fields = [
        "period",
        "unit",
        "criteria_set",
        "status",
        "submitted_at",
        "submitted_by",
        "created_at",
        "last_activity_at",
    ]
    inlines = [DeadlineExtensionInline, AssessmentTransitionInline, SelfScoreInline, EvidenceInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a dossier deletes its scores and evidence with it: superusers only.
        return request.user.is_superuser


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs of every kind, read-only: they change only through their services."""

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
    search_fields = ["unit__name", "unit__code", "requested_by__username", "error", "original_filename"]
    list_select_related = ["unit", "requested_by"]
    date_hierarchy = "created_at"
    exclude = ["file"]
    readonly_fields = ["file_link"]

    @admin.display(description=_("tệp"))
    def file_link(self, obj: Job) -> str:
        # Through the kind's permission-checked download view; nothing under /media/ is served.
        try:
            kind = job_kind_get(obj.kind)
        except UnknownJobKind:
            return "—"
        if not obj.has_file or kind.download_url is None:
            return "—"
        return format_html('<a href="{}">{}</a>', kind.download_url(obj), obj.filename)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
