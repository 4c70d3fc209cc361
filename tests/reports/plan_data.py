"""Builders for the recovery plan tests: seeds/000's 2020 national field results and a unit's lost items."""

from __future__ import annotations

from decimal import Decimal

from appraisal.models import ItemAppraisal
from reports.models import NationalFieldResult, NationalResult, PublishedFieldResult, PublishedResult
from reports.plans import services as plan_services
from scoring.models import EvaluatingBody, Unit, User
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, submitted_assessment
from tests.scoring.assessment_helpers import appraisal_items
from tests.scoring.factories import PeriodFactory

D = Decimal

# seeds/000 §3-§4.1: Lai Châu's 2020 results of the four fields it planned to improve (points of maximum, index
# as published, rank among 63), and the points its footnotes judge recoverable in 2021.
FIELDS_2020 = (
    ("1", "Công tác chỉ đạo điều hành về cải cách hành chính", "7.72", "8.5", "90.82", 32),
    ("4", "Cải cách tổ chức bộ máy hành chính", "9.13", "11.5", "79.39", 50),
    (
        "5",
        "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
        "10.30",
        "13.5",
        "76.29",
        59,
    ),
    ("7", "Hiện đại hóa hành chính", "11.58", "15", "77.20", 54),
)
FOOTNOTES = (
    ("1", "1.5", "Hoàn thành 100% kế hoạch CCHC năm 2021", "0.08", "Sở Nội vụ"),
    ("4", "4.2", "Sắp xếp số lượng cấp phó theo quy định", "0.5", "Sở Nội vụ"),
    ("5", "5.1", "Khắc phục bố trí công chức chưa đúng vị trí việc làm", "0.5", "Sở Nội vụ"),
    ("7", "7.3", "Hoàn thành tích hợp LGSP với nền tảng quốc gia", "0.25", "Sở Thông tin và Truyền thông"),
    ("7", "7.6", "Tuyên truyền nâng cao kết quả điều tra xã hội học", "0.25", "Văn phòng UBND tỉnh"),
)
# field: (2020 index, 2021 target index) as seeds/000 §4.1 prints them.
EXPECTED = {
    "1": ("90.82", "91.76"),
    "4": ("79.39", "83.73"),
    "5": ("76.29", "80.00"),
    "7": ("77.20", "80.53"),
}


def national_2020_create(*, body: EvaluatingBody) -> NationalResult:
    result = NationalResult.objects.create(
        body=body, year=2020, index=D("83.72"), national_rank=38, national_total=63, sipas_index=D("84.34")
    )
    for code, name, points, maximum, index, rank in FIELDS_2020:
        NationalFieldResult.objects.create(
            result=result,
            field_code=code,
            name=name,
            points=D(points),
            max_points=D(maximum),
            index=D(index),
            rank=rank,
        )
    return result


def footnote_actions_create(*, body: EvaluatingBody, actor: User) -> list:
    """Return the 2021 plan's actions of the footnotes, plus one not recoverable and one dropped (neither counts)."""
    actions = [
        plan_services.recovery_action_create(
            actor=actor,
            body=body,
            year=2021,
            field_code=field,
            item_code=code,
            item_name=name,
            lost_points=D(points) * 2,
            recoverable_points=D(points),
            action=name,
            responsible=owner,
        )
        for field, code, name, points, owner in FOOTNOTES
    ]
    actions.append(
        plan_services.recovery_action_create(
            actor=actor,
            body=body,
            year=2021,
            field_code="4",
            item_code="4.3",
            item_name="Tinh giản biên chế theo lộ trình",
            lost_points=D("1"),
            recoverable=False,
            recoverable_points=D("0"),
        )
    )
    actions.append(
        plan_services.recovery_action_create(
            actor=actor,
            body=body,
            year=2021,
            field_code="7",
            item_code="7.1",
            item_name="Tỷ lệ hồ sơ trực tuyến mức độ 3, 4",
            lost_points=D("1"),
            recoverable_points=D("1"),
            status="dropped",
        )
    )
    return actions


# The unit's 2025 losses on the small criteria set (2 fields × 2 criteria × 2 items of 1 point).
UNIT_LOSSES = {
    "1.1.1": ("0.5", "Thiếu kế hoạch CCHC năm"),
    "1.2.2": ("0", ""),
    "2.1.1": ("0.75", "Báo cáo trễ hạn"),
}


def unit_losses_create(*, unit: Unit, published: bool = True) -> PublishedResult | None:
    """Give the unit a 2025 dossier appraised below the maximum on three items, published unless told."""
    from scoring.models import Period

    period = Period.objects.filter(body=unit.body, year=2025).first() or PeriodFactory(
        body=unit.body, year=2025
    )
    assessment = submitted_assessment(unit=unit, period=period, status=Status.COUNCIL_APPROVED)
    items = {i.code: i for i in appraisal_items(assessment.criteria_set)}
    for code, (points, comment) in UNIT_LOSSES.items():
        ItemAppraisal.objects.filter(assessment=assessment, item=items[code]).delete()
        appraise(assessment=assessment, item=items[code], points=D(points), comment=comment)
    if not published:
        return None
    result = PublishedResult.objects.create(
        period=period,
        unit=unit,
        unit_group=unit.group,
        appraisal_points=D("6.25"),
        survey_points=D(0),
        max_points=D(8),
    )
    PublishedFieldResult.objects.create(result=result, field_code="1", points=D("2.5"), max_points=D(4))
    PublishedFieldResult.objects.create(result=result, field_code="2", points=D("3.75"), max_points=D(4))
    return result
