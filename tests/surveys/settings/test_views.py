"""The survey settings pages over HTTP: the SIPAS conversions of the period's survey items with their example, the
settings page with what is still missing, and the lines the survey adds to the period's setup page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import Assessment, AuditEvent, Method, UnitGroup
from scoring.workflow import Status
from surveys.models import Aggregation, SamplePlan, SipasConversion, SipasResult, SurveySettings
from tests.scoring.assessment_helpers import build_criteria_set, leaf_items
from tests.scoring.factories import PeriodFactory, UnitFactory
from tests.surveys.helpers import survey_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, max_points=Decimal("2.00"))


def conversions_url(survey) -> str:
    return reverse("surveys:sipas_conversions", args=[survey.period.pk])


def settings_url(survey) -> str:
    return reverse("surveys:settings", args=[survey.period.pk])


def appraisal_item(survey):
    return next(i for i in leaf_items(survey.criteria_set) if i.method == Method.APPRAISAL)


def choose(survey, **by_code: str) -> dict[str, str]:
    """Return the conversion form's data: every survey item from ballots, except those named (code with _)."""
    chosen = {code.replace("_", "."): method for code, method in by_code.items()}
    return {f"method-{i.pk}": chosen.get(i.code, "") for i in survey.survey_items}


# --- who ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "unit_officer", "unit_head", "appraiser", "viewer"])
def test_anyone_but_the_bodys_administrator_gets_404_and_changes_nothing(client, survey, persona, request):
    client.force_login(request.getfixturevalue(persona))
    data = choose(survey, **{"1_1_2": "linear"})
    assert client.get(conversions_url(survey)).status_code == 404
    assert client.post(conversions_url(survey), data).status_code == 404
    assert client.get(settings_url(survey)).status_code == 404
    assert client.post(settings_url(survey), {"aggregation": "group_weighted"}).status_code == 404
    assert not SipasConversion.objects.exists() and not SurveySettings.objects.exists()


def test_a_superuser_gets_both_pages(admin_client, survey):
    assert admin_client.get(conversions_url(survey)).status_code == 200
    assert admin_client.get(settings_url(survey)).status_code == 200


# --- SIPAS conversions ------------------------------------------------------------------------------------------


def test_choosing_sipas_for_an_item_saves_it_audits_it_and_shows_the_example(client, survey, body_admin):
    client.force_login(body_admin)
    response = client.post(conversions_url(survey), choose(survey, **{"1_1_2": "linear"}))
    assert response.status_code == 302
    conversion = SipasConversion.objects.get()
    assert (conversion.period, conversion.item.code, conversion.method) == (survey.period, "1.1.2", "linear")
    event = AuditEvent.objects.get(action="survey.sipas_conversion_set")
    assert (event.item_code, event.field, event.actor) == ("1.1.2", "method", body_admin)
    assert "Tỷ lệ thuận" in event.new_value and "phiếu" in event.old_value
    page = client.get(conversions_url(survey)).content.decode()
    # No SIPAS result yet: the example is 85,11 % of the item's 2 points.
    assert "SIPAS 85,11 % → 1,70 / 2,00 điểm" in page


def test_the_example_uses_the_periods_mean_sipas_or_the_percentage_typed(
    client, survey, body_admin, unit, other_unit
):
    SipasConversion.objects.create(period=survey.period, item=survey.survey_items[0])
    SipasResult.objects.create(period=survey.period, unit=unit, overall_pct=Decimal("80"))
    SipasResult.objects.create(period=survey.period, unit=other_unit, overall_pct=Decimal("90"))
    client.force_login(body_admin)
    page = client.get(conversions_url(survey)).content.decode()
    assert "SIPAS 85,00 % → 1,70 / 2,00 điểm" in page and "2 đơn vị" in page
    page = client.get(conversions_url(survey) + "?thu=50,5").content.decode()
    assert "SIPAS 50,50 % → 1,01 / 2,00 điểm" in page


def test_choosing_ballots_again_removes_the_conversion_and_audits_it(client, survey, body_admin):
    SipasConversion.objects.create(period=survey.period, item=survey.survey_items[0])
    client.force_login(body_admin)
    assert client.post(conversions_url(survey), choose(survey)).status_code == 302
    assert not SipasConversion.objects.exists()
    assert AuditEvent.objects.filter(action="survey.sipas_conversion_set", item_code="1.1.2").count() == 1


def test_saving_the_same_choices_again_changes_and_audits_nothing(client, survey, body_admin):
    client.force_login(body_admin)
    data = choose(survey, **{"2_2_2": "linear"})
    client.post(conversions_url(survey), data)
    client.post(conversions_url(survey), data)
    assert SipasConversion.objects.count() == 1
    assert AuditEvent.objects.filter(action="survey.sipas_conversion_set").count() == 1


def _refused(client, survey, data) -> str:
    response = client.post(conversions_url(survey), data)
    assert response.status_code == 400
    assert not SipasConversion.objects.exists()
    assert not AuditEvent.objects.filter(action="survey.sipas_conversion_set").exists()
    return response.content.decode()


def test_an_appraisal_item_is_refused_with_its_code_and_what_was_typed_is_shown_again(
    client, survey, body_admin
):
    client.force_login(body_admin)
    item = appraisal_item(survey)
    data = {**choose(survey, **{"1_2_2": "linear"}), f"method-{item.pk}": "linear"}
    page = _refused(client, survey, data)
    assert f"Tiêu chí {item.code} không phải tiêu chí điều tra xã hội học" in page
    chosen = survey.survey_items[1]
    row = page[page.index(f'name="method-{chosen.pk}"') :]
    assert row.index('value="linear" selected') < row.index("</select>")


def test_a_field_or_criterion_with_sub_criteria_is_refused(client, survey, body_admin):
    client.force_login(body_admin)
    container = survey.criteria_set.items.get(code="1.1")
    container.method = Method.SURVEY
    container.save()
    assert "1.1 không phải" in _refused(client, survey, {f"method-{container.pk}": "linear"})


def test_an_item_of_another_body_or_another_year_is_refused_without_naming_it(
    client, survey, body_admin, body, other_body
):
    client.force_login(body_admin)
    other_group = UnitGroup.objects.create(body=other_body, code="so", name="Sở")
    other_set = build_criteria_set(
        period=PeriodFactory(body=other_body, year=2026), unit_group=other_group, survey_every=2
    )
    last_year = build_criteria_set(
        period=PeriodFactory(body=body, year=2025), unit_group=survey.criteria_set.unit_group, survey_every=2
    )
    for criteria_set in (other_set, last_year):
        foreign = next(i for i in leaf_items(criteria_set) if i.method == Method.SURVEY)
        page = _refused(client, survey, {f"method-{foreign.pk}": "linear"})
        assert "không thuộc bộ tiêu chí của kỳ đánh giá năm 2026" in page


def test_an_unknown_method_or_a_malformed_field_is_refused(client, survey, body_admin):
    client.force_login(body_admin)
    assert "Cách quy đổi không hợp lệ" in _refused(client, survey, choose(survey, **{"1_1_2": "table"}))
    assert "không hợp lệ" in _refused(client, survey, {"method-abc": "linear"})


def test_conversions_are_refused_once_a_result_is_published(client, survey, body_admin, unit):
    Assessment.objects.create(
        period=survey.period, unit=unit, criteria_set=survey.criteria_set, status=Status.PUBLISHED
    )
    client.force_login(body_admin)
    assert "đã được công bố" in _refused(client, survey, choose(survey, **{"1_1_2": "linear"}))


def test_the_conversion_page_queries_do_not_grow_with_items_or_units(
    client, survey, body_admin, body, django_assert_max_num_queries
):
    client.force_login(body_admin)
    url = conversions_url(survey)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    districts = UnitGroup.objects.create(body=body, code="huyen", name="UBND huyện", order=2)
    for n in range(5):
        unit = UnitFactory(body=body, group=districts)
        SipasResult.objects.create(period=survey.period, unit=unit, overall_pct=Decimal(70 + n))
    build_criteria_set(period=survey.period, unit_group=districts, fields=3, survey_every=2)
    for item in survey.survey_items:
        SipasConversion.objects.create(period=survey.period, item=item)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- the settings page ------------------------------------------------------------------------------------------


def test_the_settings_page_shows_every_piece_with_the_page_that_edits_it(client, survey, body_admin):
    SipasConversion.objects.create(period=survey.period, item=survey.survey_items[0])
    client.force_login(body_admin)
    page = client.get(settings_url(survey)).content.decode()
    for name in ("form_list", "sample_plan", "sipas_conversions", "sipas_results", "tracking"):
        assert reverse(f"surveys:{name}", args=[survey.period.pk]) in page, name
    assert "M1 · 1" in page and "M2 · 4" in page  # the questions behind each item
    assert "câu hỏi không được tính" in page  # 1.1.2 has questions but takes SIPAS
    assert 'data-testid="issued">40<' in page  # 2 forms × 2 units × 10 ballots
    assert "2 đơn vị chưa có kết quả" in page  # SIPAS results missing for the converted item's group


def test_the_settings_page_lists_what_is_missing_with_links(client, survey, body_admin):
    SamplePlan.objects.filter(form=survey.form("M2")).delete()
    survey.questions["M1"][2].delete()
    survey.questions["M2"][2].delete()
    client.force_login(body_admin)
    page = client.get(settings_url(survey)).content.decode()
    assert "Mẫu phiếu M2 chưa có kế hoạch mẫu" in page
    assert "tiêu chí điều tra 2.1.2 chưa có câu hỏi nào" in page


def test_saving_the_averaging_and_weights_audits_each_change(client, survey, body_admin):
    client.force_login(body_admin)
    m1, m2 = survey.form("M1"), survey.form("M2")
    data = {
        "aggregation": "group_weighted",
        "note": "Theo KH 12/KH-SNV",
        f"weight-{m1.pk}": "1",
        f"weight-{m2.pk}": "2,5",
    }
    assert client.post(settings_url(survey), data).status_code == 302
    settings = SurveySettings.objects.get(period=survey.period)
    assert (settings.aggregation, settings.note) == (Aggregation.GROUP_WEIGHTED, "Theo KH 12/KH-SNV")
    m2.refresh_from_db()
    assert m2.group_weight == Decimal("2.5")
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "field", "new_value"))
    assert ("survey.settings_set", "aggregation", "Trung bình theo mẫu phiếu, có trọng số") in actions
    assert ("survey.form_weight_set", "M2", "2.5") in actions
    assert not any(field == "M1" for _a, field, _v in actions)  # unchanged weight, no row
    points = client.get(reverse("surveys:points", args=[survey.period.pk])).content.decode()
    assert "trung bình có trọng số" in points


@pytest.mark.parametrize(
    ("weight", "message"), [("abc", "“abc” không phải là số"), ("-1", "phải từ 0 đến 9.999,99")]
)
def test_a_bad_weight_is_refused_shown_again_and_nothing_changes(client, survey, body_admin, weight, message):
    client.force_login(body_admin)
    m2 = survey.form("M2")
    data = {"aggregation": "group_weighted", f"weight-{survey.form('M1').pk}": "1", f"weight-{m2.pk}": weight}
    response = client.post(settings_url(survey), data)
    page = response.content.decode()
    assert response.status_code == 400 and message in page and f'value="{weight}"' in page
    assert not SurveySettings.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="survey.").exists()
    m2.refresh_from_db()
    assert m2.group_weight == Decimal(1)


def test_the_settings_are_refused_once_a_result_is_published(client, survey, body_admin, unit):
    Assessment.objects.create(
        period=survey.period, unit=unit, criteria_set=survey.criteria_set, status=Status.PUBLISHED
    )
    client.force_login(body_admin)
    response = client.post(
        settings_url(survey),
        {"aggregation": "group_weighted"} | {f"weight-{f.pk}": "1" for f in survey.forms},
    )
    assert response.status_code == 400 and "đã được công bố" in response.content.decode()
    assert not SurveySettings.objects.exists()


def test_the_settings_page_queries_do_not_grow_with_units_or_items(
    client, survey, body_admin, body, django_assert_max_num_queries
):
    client.force_login(body_admin)
    url = settings_url(survey)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    districts = UnitGroup.objects.create(body=body, code="huyen", name="UBND huyện", order=2)
    for _n in range(5):
        UnitFactory(body=body, group=districts)
    build_criteria_set(period=survey.period, unit_group=districts, fields=3, survey_every=2)
    survey_period(unit_group=districts, period=survey.period, form_codes=("M3",))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- the period's setup page --------------------------------------------------------------------------------------


def test_the_setup_page_links_the_survey_settings_and_lists_what_is_missing(client, survey, body_admin):
    SamplePlan.objects.filter(form=survey.form("M1")).delete()
    client.force_login(body_admin)
    page = client.get(reverse("periods:checklist", args=[survey.period.pk])).content.decode()
    assert settings_url(survey) in page and conversions_url(survey) in page
    todos = page[page.index('data-testid="checklist-todos"') :]
    assert "Mẫu phiếu M1 chưa có kế hoạch mẫu" in todos
    assert reverse("surveys:sample_plan", args=[survey.period.pk]) in todos


def test_a_period_without_survey_items_adds_only_the_links(client, body, body_admin):
    period = PeriodFactory(body=body, year=2027)
    client.force_login(body_admin)
    page = client.get(reverse("periods:checklist", args=[period.pk])).content.decode()
    assert reverse("surveys:settings", args=[period.pk]) in page
    assert 'data-testid="checklist-todos"' not in page
