"""Load the demo province for `make run`: idempotent, so a second run keeps (and does not duplicate) data."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from reports.demo import dossiers as demo_assessments
from reports.published import io as published_io
from reports.published import services as report_services
from reports.results import services as results_services
from scoring.evaluation import services as scoring_services
from scoring.models import EvaluatingBody, RoleAssignment, Unit, UnitGroup, User

from . import appraisal as demo_appraisal
from . import data as demo_data
from . import province as demo_province
from . import survey as demo_survey

DEMO_DIR = Path(__file__).resolve().parent  # the demo CSVs sit next to their loaders
DEMO_RESULTS = DEMO_DIR / "lai-chau-2020-so-ban-nganh.csv"


@dataclass
class DemoReport:
    body: EvaluatingBody
    created_users: list[str] = field(default_factory=list)
    results_summary: str = ""


def _unit_get_or_create(*, body: EvaluatingBody, group: UnitGroup, name: str) -> Unit:
    unit = Unit.objects.filter(body=body, name=name).first()
    if unit is None:
        unit = Unit.objects.create(
            body=body, group=group, name=name, code=scoring_services.code_from_name(name)
        )
    return unit


def _users(body: EvaluatingBody, report: DemoReport) -> None:
    for username, full_name, role, unit_code, is_superuser in demo_data.USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "is_superuser": is_superuser, "is_staff": is_superuser},
        )
        if created:
            user.set_password(demo_data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            report.created_users.append(username)
        unit = Unit.objects.get(body=body, code=unit_code) if unit_code else None
        RoleAssignment.objects.get_or_create(user=user, body=body, role=role, unit=unit)


@transaction.atomic
def demo_load() -> DemoReport:
    """Create Lai Châu with its 2020 published department results, units, a current period and users."""
    body = scoring_services.body_get_or_create(**demo_data.BODY)
    report = DemoReport(body=body)

    rows = published_io.parse_published_results(content=DEMO_RESULTS.read_bytes(), filename=DEMO_RESULTS.name)
    report.results_summary = str(report_services.published_results_import(body=body, rows=rows))

    departments, _ = scoring_services.unit_group_get_or_create(
        body=body, code=demo_data.DEPARTMENTS_GROUP[0], name=demo_data.DEPARTMENTS_GROUP[1]
    )
    districts, _ = scoring_services.unit_group_get_or_create(
        body=body, code=demo_data.DISTRICTS_GROUP[0], name=demo_data.DISTRICTS_GROUP[1]
    )
    # In 2020 departments were ranked by scale group; from now on they form one group with one criteria set.
    # Their 2020 results keep the group they were ranked in.
    Unit.objects.filter(body=body, group__code__startswith=f"{demo_data.DEPARTMENTS_GROUP[0]}-").update(
        group=departments
    )
    for name in demo_data.EXTRA_DEPARTMENTS:
        _unit_get_or_create(body=body, group=departments, name=name)
    for name in demo_data.DISTRICTS:
        _unit_get_or_create(body=body, group=districts, name=name)

    period, _ = scoring_services.period_get_or_create(body=body, year=demo_data.CURRENT_YEAR, opened=True)
    scoring_services.criteria_demo_load(period=period, unit_group=departments, kind="departments")
    scoring_services.criteria_demo_load(period=period, unit_group=districts, kind="districts")

    _users(body, report)
    # The province's own national index: results since 2012, 2020 by field, the 2021 targets and recovery plan.
    demo_province.demo_province_load(body)
    demo_province.demo_province_plan_load(body, User.objects.get(username="admin"))
    # Before the appraisal stages, so that the published 2026 results carry the survey points.
    demo_survey.demo_survey_load(period=period, actor=User.objects.get(username="admin"))

    demo_assessments.period_deadline_default(period)
    for unit_code, officer, head, share, submit in demo_data.DOSSIERS:
        dossier = demo_assessments.DemoDossier(unit_code, officer, head, Decimal(share), submit)
        demo_assessments.demo_dossier_load(period=period, dossier=dossier)
    _appraisal_stages(period)
    # Dashboards and draft reports of the current year read the last recompute.
    results_services.period_results_recompute(period=period)
    return report


def _appraisal_stages(period) -> None:
    admin = User.objects.get(username="admin")
    appraiser = User.objects.get(username="thamdinh")
    council_member = User.objects.get(username="hoidong")
    for unit_code, stage in demo_data.APPRAISAL_STAGES:
        demo_appraisal.demo_dossier_appraise(
            period=period,
            unit_code=unit_code,
            stage=stage,
            admin=admin,
            appraiser=appraiser,
            password=demo_data.DEMO_PASSWORD,
        )
    demo_appraisal.demo_council_and_publication(
        period=period,
        admin=admin,
        council_member=council_member,
        approve=demo_data.PUBLISHED_UNITS,
        publish=True,
    )
    demo_appraisal.demo_council_and_publication(
        period=period,
        admin=admin,
        council_member=council_member,
        approve=demo_data.APPROVED_AFTER_PUBLICATION,
        publish=False,
    )
