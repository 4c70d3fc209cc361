"""The evaluation model: who evaluates whom, on which criteria, in which year.

Everything here is data edited in the admin; the rules that turn it into numbers live in calc.py.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import calc

POINTS = {"max_digits": 7, "decimal_places": 2}


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_("Bắt buộc đặt mật khẩu mới ở lần đăng nhập tiếp theo."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class EvaluatingBody(models.Model):
    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên cơ quan đánh giá"), max_length=200)
    administrator_name = models.CharField(
        _("cơ quan thường trực"), max_length=200, blank=True, help_text=_("Ví dụ: Sở Nội vụ tỉnh Lai Châu.")
    )

    class Meta:
        verbose_name = _("cơ quan đánh giá")
        verbose_name_plural = _("cơ quan đánh giá")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.Model):
    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="unit_kinds", verbose_name=_("cơ quan đánh giá")
    )
    code = models.SlugField(_("mã"), max_length=50)
    name = models.CharField(_("tên loại đơn vị"), max_length=200)

    class Meta:
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("loại đơn vị")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="unitkind_code_unique_per_body")]

    def __str__(self) -> str:
        return self.name


class UnitGroup(models.Model):
    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="unit_groups", verbose_name=_("cơ quan đánh giá")
    )
    code = models.SlugField(_("mã"), max_length=80)
    name = models.CharField(_("tên nhóm"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm đơn vị")
        verbose_name_plural = _("nhóm đơn vị")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="unitgroup_code_unique_per_body"),
            models.UniqueConstraint(fields=["body", "name"], name="unitgroup_name_unique_per_body"),
        ]

    def __str__(self) -> str:
        return self.name


def unit_order(prefix: str = "") -> list[str]:
    """Return the order_by() of units in the official order: their group's, then the unit's place in it.

    One order for every list, select box, export and ranking tie: the order the group's official list (the
    province's decision) gives, not the alphabet. `prefix` reaches units through a relation ("unit__").
    """
    return [f"{prefix}{name}" for name in ("group__order", "group__name", "order", "name", "pk")]


class UnitQuerySet(models.QuerySet):
    def in_official_order(self) -> UnitQuerySet:
        return self.order_by(*unit_order())


class Unit(models.Model):
    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="units", verbose_name=_("cơ quan đánh giá")
    )
    code = models.SlugField(_("mã đơn vị"), max_length=80)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.ForeignKey(
        UnitKind, models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("loại đơn vị")
    )
    group = models.ForeignKey(UnitGroup, models.PROTECT, related_name="units", verbose_name=_("nhóm đơn vị"))
    order = models.PositiveIntegerField(
        _("thứ tự trong nhóm"),
        default=0,
        help_text=_("Thứ tự của đơn vị trong danh sách chính thức của nhóm."),
    )
    active_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("kế thừa từ đơn vị"),
        help_text=_("Các đơn vị đã hợp nhất, sáp nhập vào đơn vị này (để so sánh qua các năm)."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị được đánh giá")
        verbose_name_plural = _("đơn vị được đánh giá")
        ordering = unit_order()
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="unit_code_unique_per_body"),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="unit_active_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodStatus(models.TextChoices):
    # A period is being set up until its administrator opens it, which the setup checklist must allow
    # (scoring/periods/calc.py); periods made before this state existed were already in use: open.
    SETUP = "setup", _("Đang chuẩn bị")
    OPEN = "open", _("Đã mở")


class Period(models.Model):
    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="periods", verbose_name=_("cơ quan đánh giá")
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"), validators=[MinValueValidator(2000)])
    guidance_reference = models.CharField(
        _("văn bản hướng dẫn"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Công văn 41/SNV-XDCQ ngày 18/01/2021."),
    )
    self_assessment_deadline = models.DateTimeField(_("hạn tự đánh giá"), null=True, blank=True)
    explanation_deadline = models.DateTimeField(_("hạn giải trình"), null=True, blank=True)
    starts_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    round2_deadline = models.DateTimeField(_("hạn thẩm định vòng 2"), null=True, blank=True)
    council_deadline = models.DateTimeField(_("hạn họp Hội đồng thẩm định"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.SETUP
    )
    opened_at = models.DateTimeField(_("mở lúc"), null=True, blank=True)
    publication_decision = models.CharField(
        _("quyết định công bố"), max_length=255, blank=True, help_text=_("Ví dụ: Quyết định 701/QĐ-UBND.")
    )
    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="period_year_unique_per_body"),
            models.CheckConstraint(condition=Q(status__in=["setup", "open"]), name="period_status_known"),
        ]

    def __str__(self) -> str:
        return _("Năm %(year)s") % {"year": self.year}


class ClassificationBand(models.Model):
    period = models.ForeignKey(Period, models.CASCADE, related_name="bands", verbose_name=_("kỳ đánh giá"))
    code = models.SlugField(_("mã"), max_length=30)
    label = models.CharField(_("xếp loại"), max_length=60)
    min_index = models.DecimalField(
        _("chỉ số tối thiểu (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["-min_index"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="band_code_unique_per_period"),
            models.UniqueConstraint(fields=["period", "min_index"], name="band_threshold_unique_per_period"),
            models.CheckConstraint(
                condition=Q(min_index__gte=0) & Q(min_index__lte=100), name="band_threshold_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (≥ {self.min_index})"

    def as_band(self) -> calc.Band:
        return calc.Band(code=self.code, label=self.label, min_index=self.min_index)


class CriteriaSet(models.Model):
    period = models.ForeignKey(
        Period, models.CASCADE, related_name="criteria_sets", verbose_name=_("kỳ đánh giá")
    )
    unit_group = models.ForeignKey(
        UnitGroup, models.PROTECT, related_name="criteria_sets", verbose_name=_("nhóm đơn vị")
    )
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    is_illustrative = models.BooleanField(
        _("minh họa"),
        default=False,
        help_text=_("Bộ tiêu chí mẫu để dùng thử, không phải văn bản chính thức."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Bumped by "Tạo phiên bản mới" (scoring.evaluation.editing), which first freezes the tree as it was.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["-period__year", "unit_group__order"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit_group"], name="criteriaset_unique_per_group")
        ]

    def __str__(self) -> str:
        return self.name


class CriteriaSetVersion(models.Model):
    """The tree of a criteria set as it was before its administrator made a new version (read-only history)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, models.CASCADE, related_name="versions", verbose_name=_("bộ tiêu chí")
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    # A list of rows {code, name, max_points, step, method, guidance, not_applicable_reason}, points as text.
    rows = models.JSONField(_("danh mục tiêu chí"))
    reason = models.TextField(_("lý do"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản bộ tiêu chí")
        verbose_name_plural = _("phiên bản bộ tiêu chí")
        ordering = ["criteria_set", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="criteriasetversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set} — {self.number}"


class Level(models.TextChoices):
    FIELD = "field", _("Lĩnh vực")
    CRITERION = "criterion", _("Tiêu chí")
    SUB_CRITERION = "sub_criterion", _("Tiêu chí thành phần")


class Method(models.TextChoices):
    APPRAISAL = calc.METHOD_APPRAISAL, _("Thẩm định")
    SURVEY = calc.METHOD_SURVEY, _("Điều tra xã hội học")


class Step(models.TextChoices):
    QUARTER = "0.25", "0,25"
    HALF = "0.50", "0,5"
    ONE = "1.00", "1"


class CriteriaItemQuerySet(models.QuerySet):
    def scored(self) -> CriteriaItemQuerySet:
        """Return the items that carry points: sub-criteria and criteria without sub-criteria."""
        return self.exclude(level=Level.FIELD).filter(children__isnull=True)


class CriteriaItem(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, models.CASCADE, related_name="items", verbose_name=_("bộ tiêu chí")
    )
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("thuộc mục")
    )
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=20)
    name = models.TextField(_("nội dung"))
    guidance = models.TextField(_("hướng dẫn chấm điểm"), blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), validators=[MinValueValidator(Decimal(0))], **POINTS)
    step = models.CharField(_("bước điểm"), max_length=4, choices=Step.choices, default=Step.QUARTER)
    method = models.CharField(_("phương pháp"), max_length=20, choices=Method.choices, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = CriteriaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criteriaitem_code_unique_per_set"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criteriaitem_max_not_negative"),
            models.CheckConstraint(
                condition=Q(level="field", parent__isnull=True)
                | (~Q(level="field") & Q(parent__isnull=False)),
                name="criteriaitem_only_fields_at_top",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name[:80]}"

    @property
    def field_code(self) -> str:
        return self.code.split(".")[0]


class NotApplicableItem(models.Model):
    item = models.ForeignKey(
        CriteriaItem, models.CASCADE, related_name="exemptions", verbose_name=_("tiêu chí")
    )
    unit = models.ForeignKey(
        Unit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="exemptions",
        verbose_name=_("đơn vị"),
        help_text=_("Để trống: không đánh giá tiêu chí này với mọi đơn vị trong kỳ."),
    )
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("tiêu chí không đánh giá")
        verbose_name_plural = _("tiêu chí không đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="exemption_unique_per_unit"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(unit__isnull=True), name="exemption_unique_period_wide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} — {self.unit or _('mọi đơn vị')}"


class Role(models.TextChoices):
    BODY_ADMIN = "body_admin", _("Quản trị (Sở Nội vụ)")
    UNIT_OFFICER = "unit_officer", _("Cán bộ đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    APPRAISER = "appraiser", _("Thành viên Tổ giúp việc")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng thẩm định")
    VIEWER = "viewer", _("Chỉ xem")


UNIT_ROLES = frozenset({Role.UNIT_OFFICER, Role.UNIT_HEAD})
# Sorted so that the constraint (and its migration) does not change with set iteration order.
UNIT_ROLE_VALUES = sorted(r.value for r in UNIT_ROLES)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, models.CASCADE, related_name="roles", verbose_name=_("người dùng"))
    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="role_assignments", verbose_name=_("cơ quan đánh giá")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, models.CASCADE, null=True, blank=True, related_name="role_assignments", verbose_name=_("đơn vị")
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "body", "role", "unit"], name="role_unique"),
            models.UniqueConstraint(
                fields=["user", "body", "role"],
                condition=Q(unit__isnull=True),
                name="role_unique_without_unit",
            ),
            models.CheckConstraint(
                condition=(Q(role__in=UNIT_ROLE_VALUES) & Q(unit__isnull=False))
                | (~Q(role__in=UNIT_ROLE_VALUES) & Q(unit__isnull=True)),
                name="role_unit_only_for_unit_roles",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.unit_id and self.body_id and self.unit.body_id != self.body_id:
            raise ValidationError({"unit": _("Đơn vị không thuộc cơ quan đánh giá này.")})
