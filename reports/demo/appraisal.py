"""Demo dossiers of the 2026 period taken through appraisal, council and publication, by the same services as the pages.

Each stage is reached by the people who would reach it (the appraiser scores, the unit head explains, the
administrator records the council and the decision), so the demo also exercises every rule and writes the audit trail.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from appraisal.council import services as council_services
from appraisal.explanation import services as explanation_services
from appraisal.models import AppraiserAssignment, ItemAppraisal
from appraisal.rounds import services as appraisal_services
from reports.demo import dossiers as demo_assessments
from reports.models import PublicationDecision
from reports.publication import services as publication_services
from scoring.models import Assessment, CriteriaItem, Method, Period, Role, RoleAssignment, Unit, User
from scoring.workflow import Status

# The order of the stages a dossier passes; the demo stops each unit at its own.
STAGES = [
    Status.SUBMITTED,
    Status.ROUND_1,
    Status.EXPLANATION,
    Status.ROUND_2,
    Status.COUNCIL_APPROVED,
]


def _reached(target: str, stage: str) -> bool:
    return STAGES.index(target) >= STAGES.index(stage)


def _unit_people(*, period: Period, unit: Unit, password: str) -> tuple[User, User]:
    """Return the unit's officer and head, creating demo accounts "canbo.<code>" / "thutruong.<code>" if needed."""
    people = []
    for prefix, role in (("canbo", Role.UNIT_OFFICER), ("thutruong", Role.UNIT_HEAD)):
        user, created = User.objects.get_or_create(
            username=f"{prefix}.{unit.code}"[:150], defaults={"full_name": f"{Role(role).label} {unit.name}"}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, body=period.body, role=role, unit=unit)
        people.append(user)
    return people[0], people[1]


def _appraisal_items(assessment: Assessment) -> list[CriteriaItem]:
    return list(
        CriteriaItem.objects.scored()
        .filter(criteria_set=assessment.criteria_set, method=Method.APPRAISAL)
        .order_by("order")
    )


def _round_one(*, assessment: Assessment, appraiser: User) -> list[CriteriaItem]:
    """Accept the unit's scores, then lower and flag two items whose evidence is thin; return the flagged."""
    items = _appraisal_items(assessment)
    appraisal_services.round1_accept_self_scores(
        assessment=assessment, item_ids=[i.pk for i in items], actor=appraiser
    )
    flagged = [i for i in items if i.max_points >= Decimal("0.5")][1:3]
    for item in flagged:
        row = ItemAppraisal.objects.get(assessment=assessment, item=item, round=1)
        appraisal_services.item_appraisal_save(
            assessment=assessment,
            item=item,
            round=1,
            points=max(Decimal(0), item.max_points - Decimal(item.step) * 2),
            comment="Tài liệu kiểm chứng chưa thể hiện đủ kết quả thực hiện; đề nghị đơn vị bổ sung.",
            needs_explanation=True,
            expected_version=row.version,
            actor=appraiser,
        )
    return flagged


@transaction.atomic
def demo_dossier_appraise(
    *, period: Period, unit_code: str, stage: str, admin: User, appraiser: User, password: str
) -> Assessment | None:
    """Take one unit's dossier to `stage` (SUBMITTED … COUNCIL_APPROVED); leave an existing dossier alone."""
    unit = Unit.objects.get(body=period.body, code=unit_code)
    if Assessment.objects.filter(period=period, unit=unit).exists():
        return None
    officer, head = _unit_people(period=period, unit=unit, password=password)
    dossier = demo_assessments.DemoDossier(unit.code, officer.username, head.username, Decimal(1), True)
    assessment = demo_assessments.demo_dossier_load(period=period, dossier=dossier)
    AppraiserAssignment.objects.get_or_create(period=period, appraiser=appraiser, unit=unit, field_code="")
    if not _reached(stage, Status.ROUND_1):
        return assessment
    appraisal_services.appraisal_round_start(assessment=assessment, actor=admin)
    flagged = _round_one(assessment=assessment, appraiser=appraiser)
    if not _reached(stage, Status.EXPLANATION):
        return assessment
    appraisal_services.round1_send(assessment=assessment, actor=admin)
    if not _reached(stage, Status.ROUND_2):
        return assessment
    for item in flagged:
        explanation_services.explanation_save(
            assessment=assessment,
            item=item,
            text="Đơn vị bổ sung báo cáo kết quả thực hiện và văn bản chỉ đạo có liên quan.",
            expected_version=0,
            actor=officer,
        )
    explanation_services.explanation_submit(assessment=assessment, actor=head)
    for item in flagged:
        appraisal_services.item_appraisal_save(
            assessment=assessment,
            item=item,
            round=2,
            points=max(Decimal(0), item.max_points - Decimal(item.step)),
            comment="Đã xem xét giải trình, chấp nhận một phần.",
            needs_explanation=False,
            expected_version=0,
            actor=appraiser,
        )
    assessment.refresh_from_db()
    return assessment


def demo_council_and_publication(
    *, period: Period, admin: User, council_member: User, approve: list[str], publish: bool
) -> None:
    """Record a council meeting approving the named units' round-2 dossiers, then publish if asked and not yet done."""
    assessments = Assessment.objects.filter(period=period, unit__code__in=approve, status=Status.ROUND_2)
    if assessments:
        council_services.council_meeting_record(
            period=period,
            held_on=timezone.localdate(),
            members=[council_member],
            minutes=None,
            note="Hội đồng thẩm định họp, thống nhất thông qua kết quả (dữ liệu minh họa).",
            approved_ids=[a.pk for a in assessments],
            returned={},
            actor=admin,
        )
    if publish and not PublicationDecision.objects.filter(period=period).exists():
        # The demo publishes while other units of the same groups are still at every stage: the decision leaves
        # them out with a reason, as a real one must (each group's ranking is published as a whole).
        in_groups = Assessment.objects.filter(
            period=period,
            unit__group__in=Assessment.objects.filter(period=period, status=Status.COUNCIL_APPROVED).values(
                "unit__group"
            ),
        )
        publication_services.period_publish(
            period=period,
            number="01/QĐ-UBND (minh họa)",
            signed_on=timezone.localdate(),
            signer="Chủ tịch UBND tỉnh (minh họa)",
            file=None,
            actor=admin,
            groups=set(in_groups.values_list("unit__group_id", flat=True)),
            exclusions={
                a.unit_id: "Chưa hoàn thành thẩm định khi ban hành quyết định (dữ liệu minh họa)."
                for a in in_groups.exclude(status=Status.COUNCIL_APPROVED)
            },
        )
