"""The setup services: create from last year (and what the other apps copy), deadlines, bands, open."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from appraisal.models import AppraiserAssignment
from scoring.models import (
    AuditEvent,
    ClassificationBand,
    CriteriaSet,
    NotApplicableItem,
    Period,
    PeriodStatus,
)
from scoring.periods import calc, services
from scoring.periods.selectors import deadlines_of
from tests.scoring.factories import PeriodFactory

from .conftest import LAST_YEAR, YEAR, aware, make_ready

pytestmark = pytest.mark.django_db


def test_create_copies_last_years_setup_and_says_how_much(body, last_year, body_admin):
    created = services.period_create(body=body, year=YEAR, actor=body_admin)
    period = created.period
    assert period.status == PeriodStatus.SETUP
    assert created.source_year == LAST_YEAR
    assert list(period.bands.values_list("code", "min_index")) == [
        ("xuat_sac", Decimal("90.00")),
        ("tot", Decimal("75.00")),
        ("yeu", Decimal("0.00")),
    ]
    assert CriteriaSet.objects.filter(period=period).count() == 1
    assert NotApplicableItem.objects.filter(item__criteria_set__period=period, unit=None).count() == 1
    assert AppraiserAssignment.objects.filter(period=period).count() == 2
    assert created.counts == {
        "Mức xếp loại": 3,
        "Bộ tiêu chí": 1,
        "Tiêu chí": 14,
        "Tiêu chí không đánh giá (toàn kỳ)": 1,
        "Phân công thẩm định": 2,
    }
    event = AuditEvent.objects.get(action="period_create")
    assert (event.actor, event.body, event.new_value) == (body_admin, body, "2026")
    assert "Phân công thẩm định: 2" in event.note


def test_create_without_last_year_starts_from_the_default_bands(body, body_admin):
    created = services.period_create(body=body, year=YEAR, actor=body_admin)
    assert created.source_year is None and created.counts == {}
    assert created.period.bands.count() == 4


def test_create_refuses_a_year_that_exists_and_changes_nothing(body, last_year, body_admin):
    with pytest.raises(ValidationError, match="Đã có kỳ đánh giá năm 2025"):
        services.period_create(body=body, year=LAST_YEAR, actor=body_admin)
    assert Period.objects.count() == 1 and not AuditEvent.objects.filter(action="period_create").exists()


def test_assignments_of_inactive_appraisers_and_merged_units_are_not_copied(body, last_year, unit, appraiser):
    unit.active_to = date(LAST_YEAR, 6, 30)
    unit.save()
    created = services.period_create(body=body, year=YEAR, actor=None)
    assert list(
        AppraiserAssignment.objects.filter(period=created.period).values_list("field_code", flat=True)
    ) == ["2"]


def test_deadlines_are_saved_and_audited_old_to_new(body, last_year, body_admin):
    period = services.period_create(body=body, year=YEAR, actor=body_admin).period
    wanted = calc.Deadlines(date(YEAR, 1, 2), aware(YEAR, 2, 1, 17), None, None, None)
    changed = services.period_deadlines_set(period=period, deadlines=wanted, actor=body_admin)
    assert changed == ["starts_on", "self_assessment_deadline"]
    period.refresh_from_db()
    assert deadlines_of(period) == wanted
    event = AuditEvent.objects.get(action="period_deadline", field="self_assessment_deadline")
    assert (event.actor, event.old_value, event.new_value) == (body_admin, "", "01/02/2026 17:00")


def test_a_deadline_before_the_start_is_refused_and_nothing_changes(body, last_year, body_admin):
    period = services.period_create(body=body, year=YEAR, actor=body_admin).period
    bad = calc.Deadlines(date(YEAR, 3, 1), aware(YEAR, 2, 1, 17), None, None, None)
    with pytest.raises(ValidationError) as refused:
        services.period_deadlines_set(period=period, deadlines=bad, actor=body_admin)
    assert refused.value.message_dict == {
        "self_assessment": ["Hạn tự đánh giá không được trước ngày bắt đầu kỳ (01/03/2026)."]
    }
    period.refresh_from_db()
    assert period.starts_on is None and not AuditEvent.objects.filter(action="period_deadline").exists()


def test_bands_are_replaced_and_audited(body, last_year, body_admin):
    bands = [calc.BandInput("dat", "Đạt", Decimal(50)), calc.BandInput("chua_dat", "Chưa đạt", Decimal(0))]
    services.period_bands_set(period=last_year, bands=bands, actor=body_admin)
    assert list(last_year.bands.values_list("code", flat=True)) == ["dat", "chua_dat"]
    event = AuditEvent.objects.get(action="period_bands")
    assert event.old_value == "Xuất sắc (xuat_sac) ≥ 90; Tốt (tot) ≥ 75; Yếu (yeu) ≥ 0"
    assert event.new_value == "Đạt (dat) ≥ 50; Chưa đạt (chua_dat) ≥ 0"


def test_overlapping_bands_are_refused_and_nothing_changes(body, last_year, body_admin):
    bands = [calc.BandInput("a", "A", Decimal(50)), calc.BandInput("b", "B", Decimal(50))]
    with pytest.raises(ValidationError) as refused:
        services.period_bands_set(period=last_year, bands=bands, actor=body_admin)
    assert "Hai mức xếp loại trùng ngưỡng 50: các mức chồng lên nhau." in refused.value.messages
    assert ClassificationBand.objects.filter(period=last_year).count() == 3
    assert not AuditEvent.objects.filter(action="period_bands").exists()


def test_open_is_refused_until_the_checklist_holds(body, last_year, unit, appraiser, body_admin):
    period = services.period_create(body=body, year=YEAR, actor=body_admin).period
    with pytest.raises(services.PeriodOpenRefused) as refused:
        services.period_open(period=period, actor=body_admin)
    assert [p.reason for p in refused.value.problems] == ["unset"]
    period.refresh_from_db()
    assert period.status == PeriodStatus.SETUP

    make_ready(period, units=[unit], appraiser=appraiser)
    services.period_open(period=period, actor=body_admin)
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN and period.opened_at is not None
    event = AuditEvent.objects.get(action="period_open")
    assert (event.actor, event.old_value, event.new_value) == (body_admin, "Đang chuẩn bị", "Đã mở")
    with pytest.raises(ValidationError, match="đã mở"):
        services.period_open(period=period, actor=body_admin)


def test_open_is_refused_when_an_appraiser_left(body, last_year, unit, appraiser, body_admin):
    period = services.period_create(body=body, year=YEAR, actor=body_admin).period
    make_ready(period, units=[unit], appraiser=appraiser)
    appraiser.is_active = False
    appraiser.save()
    with pytest.raises(services.PeriodOpenRefused) as refused:
        services.period_open(period=period, actor=body_admin)
    assert [p.reason for p in refused.value.problems] == ["no_appraiser"]


def test_create_copies_the_survey_forms_and_sample_plans(body, departments, unit, other_unit, body_admin):
    from surveys.models import BallotForm, Question, SamplePlan
    from tests.surveys.helpers import survey_period

    source = survey_period(unit_group=departments, period=PeriodFactory(body=body, year=LAST_YEAR))
    created = services.period_create(body=body, year=YEAR, actor=body_admin)
    assert created.counts["Mẫu phiếu điều tra"] == 2 and created.counts["Kế hoạch mẫu"] == 4
    assert BallotForm.objects.filter(period=created.period).count() == 2
    assert Question.objects.filter(form__period=created.period).count() == 8
    assert SamplePlan.objects.filter(form__period=created.period).count() == 4
    assert BallotForm.objects.filter(period=source.period).count() == 2  # last year's stay


def test_create_without_copy_copies_nothing(body, last_year, body_admin):
    created = services.period_create(body=body, year=YEAR, actor=body_admin, copy_previous=False)
    assert created.source_year is None and created.counts == {}
    assert not CriteriaSet.objects.filter(period=created.period).exists()
    assert not AppraiserAssignment.objects.filter(period=created.period).exists()


def test_bands_of_a_period_with_a_published_result_are_refused(body, unit, body_admin):
    from scoring.workflow import Status
    from tests.appraisal.helpers import submitted_assessment

    dossier = submitted_assessment(unit=unit, status=Status.PUBLISHED)
    bands = [calc.BandInput("dat", "Đạt", Decimal(50)), calc.BandInput("chua_dat", "Chưa đạt", Decimal(0))]
    with pytest.raises(ValidationError, match="đã được công bố"):
        services.period_bands_set(period=dossier.period, bands=bands, actor=body_admin)
    assert dossier.period.bands.count() == 4


def test_new_bands_tell_the_results(body, last_year, body_admin):
    from scoring.results.state import results_changed

    told: list[int] = []

    def receiver(period_id, **kwargs):
        told.append(period_id)

    results_changed.connect(receiver)
    try:
        bands = [
            calc.BandInput("dat", "Đạt", Decimal(50)),
            calc.BandInput("chua_dat", "Chưa đạt", Decimal(0)),
        ]
        services.period_bands_set(period=last_year, bands=bands, actor=body_admin)
    finally:
        results_changed.disconnect(receiver)
    assert told == [last_year.pk]
