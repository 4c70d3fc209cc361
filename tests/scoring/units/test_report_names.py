"""A renamed unit keeps its former name in the reports of the years before the rename (rankings)."""

from django.urls import reverse

from reports.models import PublishedResult
from reports.rankings.selectors import ranking_table
from scoring.units import services
from tests.reports.ranking_data import results_create
from tests.scoring.factories import PeriodFactory, UnitGroupFactory


def test_ranking_of_a_year_prints_the_name_of_that_year(client, body, body_admin, viewer):
    group = UnitGroupFactory(body=body)
    (unit,) = results_create(period=PeriodFactory(body=body, year=2020), group=group, count=1, prefix="x")
    PeriodFactory(body=body, year=2022)
    PublishedResult.objects.create(
        period=body.periods.get(year=2022),
        unit=unit,
        unit_group=group,
        appraisal_points=60,
        survey_points=20,
        max_points=100,
    )
    services.unit_rename(actor=body_admin, unit=unit, name="Tên mới từ 2021", from_year=2021)

    names = lambda year: [r.unit_name for g in ranking_table(body=body, year=year).groups for r in g.rows]  # noqa: E731
    assert names(2020) == ["Đơn vị x 0"]
    assert names(2022) == ["Tên mới từ 2021"]
    client.force_login(viewer)
    assert "Đơn vị x 0" in client.get(reverse("reports:rankings"), {"year": 2020}).content.decode()
