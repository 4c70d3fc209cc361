"""The sociological survey of a period: ballot forms and their questions, the sample plan, the ballots entered
from paper or imported, and the SIPAS satisfaction results.

Everything that turns ballots into points lives in surveys/calc.py; every write of a ballot goes through
surveys.ballots.services so that refusals and rejection reasons are applied the same way for entry and import.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models import CriteriaItem, Period, Unit, UnitGroup, job_upload_to

PERCENT = {"max_digits": 6, "decimal_places": 2}
ZERO = Decimal(0)
ONE = Decimal(1)

# The options a new question gets (one provincial system: A = 100 %, B = 60 %, C = 20 %, D = 0 %).
DEFAULT_OPTIONS: tuple[tuple[str, str, Decimal], ...] = (
    ("A", "Rất tốt", Decimal("1.00")),
    ("B", "Tốt", Decimal("0.60")),
    ("C", "Trung bình", Decimal("0.20")),
    ("D", "Kém", Decimal("0.00")),
)


class Aggregation(models.TextChoices):
    BALLOT_MEAN = "ballot_mean", _("Trung bình theo phiếu")
    GROUP_WEIGHTED = "group_weighted", _("Trung bình theo mẫu phiếu, có trọng số")


class SurveySettings(models.Model):
    period = models.OneToOneField(
        Period, models.CASCADE, related_name="survey_settings", verbose_name=_("kỳ đánh giá")
    )
    aggregation = models.CharField(
        _("cách tính trung bình"), max_length=20, choices=Aggregation.choices, default=Aggregation.BALLOT_MEAN
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("cấu hình điều tra xã hội học")
        verbose_name_plural = _("cấu hình điều tra xã hội học")

    def __str__(self) -> str:
        return str(self.period)


class BallotForm(models.Model):
    """A ballot form (mẫu phiếu): one respondent group rating one group of units."""

    period = models.ForeignKey(
        Period, models.CASCADE, related_name="ballot_forms", verbose_name=_("kỳ đánh giá")
    )
    code = models.CharField(_("mã mẫu phiếu"), max_length=20, help_text=_("Ví dụ: M1."))
    name = models.CharField(_("tên mẫu phiếu"), max_length=255)
    respondent_group = models.CharField(
        _("đối tượng trả lời"),
        max_length=255,
        help_text=_("Ví dụ: Đại biểu HĐND tỉnh, lãnh đạo UBMTTQ."),
    )
    target_group = models.ForeignKey(
        UnitGroup, models.PROTECT, related_name="ballot_forms", verbose_name=_("nhóm đơn vị được đánh giá")
    )
    group_weight = models.DecimalField(
        _("trọng số mẫu phiếu"),
        max_digits=6,
        decimal_places=2,
        default=ONE,
        validators=[MinValueValidator(ZERO)],
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mẫu phiếu")
        verbose_name_plural = _("mẫu phiếu")
        ordering = ["period", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="ballotform_code_unique_per_period"),
            models.CheckConstraint(condition=Q(group_weight__gte=0), name="ballotform_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Question(models.Model):
    form = models.ForeignKey(
        BallotForm, models.CASCADE, related_name="questions", verbose_name=_("mẫu phiếu")
    )
    number = models.PositiveIntegerField(_("số câu"))
    text = models.TextField(_("nội dung câu hỏi"))
    item = models.ForeignKey(
        CriteriaItem,
        models.PROTECT,
        related_name="survey_questions",
        verbose_name=_("tiêu chí thành phần"),
        help_text=_(
            "Tiêu chí chấm bằng điều tra xã hội học trong bộ tiêu chí của nhóm đơn vị được đánh giá."
        ),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["form", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="question_number_unique_per_form"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class AnswerOption(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="options", verbose_name=_("câu hỏi"))
    code = models.CharField(_("mã phương án"), max_length=2, help_text=_("A, B, C, D hoặc E."))
    label = models.CharField(_("nội dung phương án"), max_length=255)
    share = models.DecimalField(
        _("tỷ lệ điểm"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(ZERO), MaxValueValidator(ONE)],
        help_text=_("Phần điểm của câu hỏi mà phương án này mang lại, từ 0 đến 1."),
    )
    counts = models.BooleanField(
        _("được tính"), default=True, help_text=_("Bỏ chọn cho phương án “không trả lời/không biết”.")
    )

    class Meta:
        verbose_name = _("phương án trả lời")
        verbose_name_plural = _("phương án trả lời")
        ordering = ["question", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "code"], name="answeroption_code_unique_per_question"
            ),
            models.CheckConstraint(condition=Q(share__gte=0, share__lte=1), name="answeroption_share_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"


class SamplePlan(models.Model):
    form = models.ForeignKey(
        BallotForm, models.CASCADE, related_name="sample_plans", verbose_name=_("mẫu phiếu")
    )
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="sample_plans", verbose_name=_("đơn vị"))
    issued = models.PositiveIntegerField(_("số phiếu phát ra"))

    class Meta:
        verbose_name = _("kế hoạch mẫu")
        verbose_name_plural = _("kế hoạch mẫu")
        ordering = ["form", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["form", "unit"], name="sampleplan_unique_per_form_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} – {self.unit}: {self.issued}"


class BallotStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Hợp lệ")
    REJECTED = "rejected", _("Không hợp lệ")
    # A ballot the body's staff cancelled before publication (keyed by mistake, a spoilt paper): kept with its
    # reason for the record, but it counts nowhere, neither in the tracking table nor in the points.
    VOIDED = "voided", _("Đã hủy")


class RejectReason(models.TextChoices):
    OVER_QUOTA = "over_quota", _("Vượt số phiếu phát ra")
    INCOMPLETE = "incomplete", _("Trả lời không đầy đủ")
    DUPLICATE = "duplicate", _("Trùng số phiếu")
    WRONG_FORM_OR_UNIT = "wrong_form_or_unit", _("Sai mẫu phiếu hoặc đơn vị")


class BallotSource(models.TextChoices):
    ENTRY = "entry", _("Nhập tay")
    IMPORT = "import", _("Nhập từ tệp")


class BallotQuerySet(models.QuerySet):
    def accepted(self) -> BallotQuerySet:
        """Return the accepted ballots of the first entry round: the ones that carry points."""
        return self.filter(status=BallotStatus.ACCEPTED, entry_round=1)


class Ballot(models.Model):
    period = models.ForeignKey(Period, models.CASCADE, related_name="ballots", verbose_name=_("kỳ đánh giá"))
    form = models.ForeignKey(BallotForm, models.PROTECT, related_name="ballots", verbose_name=_("mẫu phiếu"))
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="ballots", verbose_name=_("đơn vị được đánh giá")
    )
    number = models.CharField(_("số phiếu"), max_length=40)
    respondent = models.JSONField(_("thông tin người trả lời"), default=dict, blank=True)
    status = models.CharField(_("tình trạng"), max_length=20, choices=BallotStatus.choices)
    # Free text beyond the known reasons is allowed: a reviewer may reject a ballot for another cause.
    reject_reason = models.CharField(_("lý do không hợp lệ"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=BallotSource.choices, default=BallotSource.ENTRY
    )
    entry_round = models.PositiveSmallIntegerField(
        _("lần nhập"), default=1, help_text=_("Lần 2 dùng để nhập kép, đối chiếu với lần 1.")
    )
    # A digest of the answers (surveys.double_entry.calc.answers_key), written with the answers by every service: the
    # reconciliation page compares the two keyings of a ballot on this column in one grouped query instead of
    # reading 30 answers per ballot (9.4 s at 71,000 ballots when it did).
    answers_key = models.CharField(_("mã câu trả lời"), max_length=16, blank=True, default="")
    # Raised by every correction; a correction made on an older version is refused, so two people correcting
    # the same ballot cannot overwrite each other silently.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    void_reason = models.TextField(_("lý do hủy phiếu"), blank=True)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu điều tra")
        verbose_name_plural = _("phiếu điều tra")
        ordering = ["period", "form", "number"]
        constraints = [
            # Round 2 of double entry repeats the numbers of round 1, so the round is part of the key.
            models.UniqueConstraint(
                fields=["period", "form", "number", "entry_round"], name="ballot_number_unique_per_form_round"
            ),
            models.CheckConstraint(condition=Q(entry_round__in=[1, 2]), name="ballot_entry_round_1_or_2"),
            models.CheckConstraint(
                condition=Q(status="accepted", reject_reason="")
                | (Q(status="rejected") & ~Q(reject_reason=""))
                | Q(status="voided"),
                name="ballot_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="voided") | ~Q(void_reason=""), name="ballot_voided_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["period", "status", "entry_round"], name="ballot_period_status")]

    def __str__(self) -> str:
        return f"{self.form.code} – {self.number}"

    @property
    def reject_reason_label(self) -> str:
        if self.reject_reason in RejectReason.values:
            return str(RejectReason(self.reject_reason).label)
        return self.reject_reason


class BallotAnswer(models.Model):
    ballot = models.ForeignKey(Ballot, models.CASCADE, related_name="answers", verbose_name=_("phiếu"))
    question = models.ForeignKey(Question, models.PROTECT, related_name="answers", verbose_name=_("câu hỏi"))
    option = models.ForeignKey(
        AnswerOption,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("phương án đã chọn"),
    )

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "question"], name="ballotanswer_unique_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot} / {self.question.number}"


class SipasResult(models.Model):
    """SIPAS: satisfaction of citizens and organisations with a unit's administrative services, in %."""

    period = models.ForeignKey(
        Period, models.CASCADE, related_name="sipas_results", verbose_name=_("kỳ đánh giá")
    )
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="sipas_results", verbose_name=_("đơn vị"))
    overall_pct = models.DecimalField(_("chỉ số chung (%)"), **PERCENT)
    access_pct = models.DecimalField(_("tiếp cận dịch vụ (%)"), null=True, blank=True, **PERCENT)
    procedures_pct = models.DecimalField(_("thủ tục hành chính (%)"), null=True, blank=True, **PERCENT)
    civil_servants_pct = models.DecimalField(_("công chức giải quyết (%)"), null=True, blank=True, **PERCENT)
    results_pct = models.DecimalField(_("kết quả giải quyết (%)"), null=True, blank=True, **PERCENT)
    feedback_pct = models.DecimalField(_("tiếp nhận, xử lý góp ý (%)"), null=True, blank=True, **PERCENT)
    source = models.CharField(_("nguồn số liệu"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kết quả SIPAS")
        verbose_name_plural = _("kết quả SIPAS")
        ordering = ["period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="sipasresult_unique_per_unit"),
            models.CheckConstraint(
                condition=Q(overall_pct__gte=0, overall_pct__lte=100), name="sipasresult_overall_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.overall_pct} %"


class SipasMethod(models.TextChoices):
    LINEAR = "linear", _("Tỷ lệ thuận: điểm = chỉ số chung × điểm tối đa")


class SipasConversion(models.Model):
    """Which survey item of the period takes its points from SIPAS, and how."""

    period = models.ForeignKey(
        Period, models.CASCADE, related_name="sipas_conversions", verbose_name=_("kỳ đánh giá")
    )
    item = models.ForeignKey(
        CriteriaItem, models.CASCADE, related_name="sipas_conversions", verbose_name=_("tiêu chí thành phần")
    )
    method = models.CharField(
        _("cách quy đổi"), max_length=20, choices=SipasMethod.choices, default=SipasMethod.LINEAR
    )

    class Meta:
        verbose_name = _("quy đổi SIPAS")
        verbose_name_plural = _("quy đổi SIPAS")
        constraints = [
            models.UniqueConstraint(fields=["period", "item"], name="sipasconversion_unique_per_item"),
        ]

    def __str__(self) -> str:
        return f"SIPAS → {self.item.code}"


def _ballot_import_upload_to(instance: object, filename: str) -> str:
    # Named by migration 0002 (the BallotImportJob model, now scoring.models.Job); kept so old migrations load.
    return job_upload_to(instance, filename)
