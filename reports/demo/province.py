"""Demo data of the province's own index: Lai Châu's national results 2012–2022, its 2019/2020 field results,
and its 2021 targets per field with the departments responsible (seeds/000 §2, §3 and §4.1). Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from reports.models import FieldTarget, NationalFieldResult, RecoveryAction
from reports.plans import services as plan_services
from reports.province import io as province_io
from reports.province import services as province_services
from reports.province.services import FieldTargetInput
from scoring.models import EvaluatingBody, Unit, User

DEMO_DIR = Path(__file__).resolve().parent  # the demo CSVs sit next to their loaders
DEMO_HISTORY = DEMO_DIR / "lai-chau-province-history.csv"
DEMO_FIELDS = DEMO_DIR / "lai-chau-national-fields-2019-2020.csv"
TARGET_YEAR = 2021

C = FieldTarget.Comparison


@dataclass(frozen=True, slots=True)
class DemoTarget:
    code: str
    name: str
    comparison: str
    index: str
    rank_best: int
    rank_worst: int
    responsible: str
    units: tuple[str, ...] = ()  # names of the body's units that answer for it
    basis: str = ""


# seeds/000 §4.1: a plain value is "đạt …" (equal), "Trên …" above, "Từ … trở lên" at least.
TARGETS_2021 = (
    DemoTarget(
        "1",
        "Công tác chỉ đạo điều hành về cải cách hành chính",
        C.EQUAL,
        "91.76",
        28,
        30,
        "Sở Nội vụ, các cơ quan là thành viên Ban Chỉ đạo CCHC tỉnh",
        ("Sở Nội vụ",),
        "Tổ chức thực hiện và đôn đốc các cơ quan thực hiện đảm bảo hoàn thành 100% kế hoạch CCHC năm 2021 "
        "(tăng 0,08 điểm).",
    ),
    DemoTarget(
        "2",
        "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật tại tỉnh",
        C.ABOVE,
        "90",
        25,
        27,
        "Sở Tư pháp",
        ("Sở Tư pháp",),
    ),
    DemoTarget(
        "3",
        "Cải cách thủ tục hành chính",
        C.ABOVE,
        "96.22",
        25,
        30,
        "Văn phòng UBND tỉnh",
        ("Văn phòng UBND tỉnh",),
    ),
    DemoTarget(
        "4",
        "Cải cách tổ chức bộ máy hành chính",
        C.EQUAL,
        "83.73",
        47,
        49,
        "Sở Nội vụ",
        ("Sở Nội vụ",),
        "Năm 2021 phấn đấu sắp xếp số lượng cấp phó theo quy định, đặc biệt là cơ cấu số lượng lãnh đạo cấp sở "
        "và tương đương, cấp huyện (thêm 0,5 điểm).",
    ),
    DemoTarget(
        "5",
        "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
        C.EQUAL,
        "80.00",
        55,
        57,
        "Sở Nội vụ",
        ("Sở Nội vụ",),
        "Năm 2021 sẽ chỉ đạo các cơ quan khắc phục hạn chế bố trí công chức chưa đúng theo vị trí việc làm được "
        "phê duyệt (thêm 0,5 điểm).",
    ),
    DemoTarget("6", "Cải cách tài chính công", C.ABOVE, "84.83", 10, 20, "Sở Tài chính", ("Sở Tài chính",)),
    DemoTarget(
        "7",
        "Hiện đại hóa hành chính",
        C.EQUAL,
        "80.53",
        50,
        53,
        "Sở Khoa học và Công nghệ; Sở Thông tin và Truyền thông; Văn phòng UBND tỉnh",
        ("Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Văn phòng UBND tỉnh"),
        "Phấn đấu trong năm 2021 hoàn thành tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) kết nối với nền tảng tích "
        "hợp, chia sẻ dữ liệu quốc gia (thêm 0,25 điểm); tuyên truyền để nâng cao kết quả điều tra xã hội học "
        "(thêm 0,25 điểm).",
    ),
    DemoTarget(
        "8",
        "Tác động của CCHC đến phát triển kinh tế - xã hội của tỉnh",
        C.EQUAL,
        "90",
        4,
        4,
        "Sở Kế hoạch và Đầu tư",
        ("Sở Kế hoạch và Đầu tư",),
    ),
    DemoTarget("sipas", "Chỉ số SIPAS", C.EQUAL, "84.34", 36, 36, "Sở Nội vụ", ("Sở Nội vụ",)),
    DemoTarget(
        FieldTarget.TOTAL,
        "Chỉ số PAR INDEX năm 2021",
        C.AT_LEAST,
        "83",
        35,
        38,
        "",
        (),
        "Mục tiêu được xây dựng trên cơ sở những điểm tỉnh Lai Châu đã và có thể khắc phục được điểm trong năm "
        "2021 (với điều kiện các tiêu chí chấm điểm trong năm 2021 không thay đổi so với năm 2020).",
    ),
)


@transaction.atomic
def demo_province_load(body: EvaluatingBody) -> province_services.NationalImportSummary:
    """Import Lai Châu's national results and field results, and set its 2021 targets; return the import's summary."""
    rows = province_io.parse_national_results(
        content=DEMO_HISTORY.read_bytes(),
        filename=DEMO_HISTORY.name,
        fields_content=DEMO_FIELDS.read_bytes(),
        fields_filename=DEMO_FIELDS.name,
    )
    summary = province_services.national_results_import(
        body=body, rows=rows, national_total=63, region_total=6
    )
    units = dict(Unit.objects.filter(body=body).values_list("name", "pk"))
    for target in TARGETS_2021:
        province_services.field_target_save(
            body=body,
            year=TARGET_YEAR,
            target=FieldTargetInput(
                field_code=target.code,
                name=target.name,
                comparison=target.comparison,
                target_index=Decimal(target.index),
                rank_best=target.rank_best,
                rank_worst=target.rank_worst,
                responsible=target.responsible,
                responsible_unit_ids=tuple(units[name] for name in target.units if name in units),
                basis=target.basis,
            ),
        )
    return summary


# seeds/000's footnotes to its 2021 targets: the points it judged it could recover in each field, what it would do
# and the department answering for it (§4.1). The lost points are the field's (maximum − 2020 points): the report
# does not break them down by criterion.
RECOVERIES_2021 = (
    ("1", "0.08", "Tổ chức thực hiện và đôn đốc các cơ quan thực hiện đảm bảo hoàn thành 100% kế hoạch CCHC năm 2021.",
     "Sở Nội vụ"),
    ("4", "0.5", "Sắp xếp số lượng cấp phó theo quy định, đặc biệt là cơ cấu số lượng lãnh đạo cấp sở và tương "
     "đương, cấp huyện.", "Sở Nội vụ"),
    ("5", "0.5", "Chỉ đạo các cơ quan khắc phục hạn chế bố trí công chức chưa đúng theo vị trí việc làm được phê "
     "duyệt.", "Sở Nội vụ"),
    ("7", "0.5", "Hoàn thành tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) kết nối với nền tảng tích hợp, chia sẻ dữ liệu "
     "quốc gia (0,25 điểm); tuyên truyền để nâng cao kết quả điều tra xã hội học (0,25 điểm).",
     "Sở Thông tin và Truyền thông"),
)  # fmt: skip


def demo_province_plan_load(body: EvaluatingBody, actor: User) -> int:
    """Create the province's 2021 recovery plan from seeds/000's footnotes once; return how many actions were added."""
    if RecoveryAction.objects.filter(body=body, year=TARGET_YEAR, unit__isnull=True).exists():
        return 0
    fields = {
        f.field_code: f
        for f in NationalFieldResult.objects.filter(result__body=body, result__year=TARGET_YEAR - 1)
    }
    units = {u.name: u for u in Unit.objects.filter(body=body)}
    for order, (code, points, action, responsible) in enumerate(RECOVERIES_2021, start=1):
        field = fields[code]
        plan_services.recovery_action_create(
            actor=actor,
            body=body,
            year=TARGET_YEAR,
            field_code=code,
            item_name=field.name,
            lost_points=field.max_points - field.points,
            recoverable_points=Decimal(points),
            action=action,
            responsible=responsible,
            responsible_unit=units.get(responsible),
            due_date=date(TARGET_YEAR, 12, 31),
            order=order,
        )
    return len(RECOVERIES_2021)
