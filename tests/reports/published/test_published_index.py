"""The index printed in a publication decision is final: it is stored and wins over a recomputation."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from reports.models import PublishedResult
from reports.published import services
from reports.published.data import PublishedResultsImportError
from reports.published.io import index_tolerance, parse_published_results

HEADER = "year,group,unit_name,appraisal_points,survey_points,max_points,index_pct,classification"


def _import(body, text: str):
    rows = parse_published_results(content=text.encode(), filename="ket-qua.csv")
    return services.published_results_import(body=body, rows=rows)


def test_index_tolerance_covers_rounded_points_on_the_scale():
    # 0.005 for the published index itself, 0.01 on the total scaled to the index.
    assert index_tolerance(Decimal(98)) == Decimal("0.005") + Decimal("0.01") * 100 / Decimal(98) + Decimal(
        "0.0001"
    )
    assert index_tolerance(Decimal(50)) > index_tolerance(Decimal(100))


def test_published_index_is_stored_and_ranks_and_classifies(client, body, body_admin):
    # 63.99 + 16.00 = 79.99 on 100 recomputes to 79.99 (Khá); the decision printed 80.00 (Tốt),
    # computed from unrounded points. The published figure must win, or the class would contradict it.
    _import(
        body,
        f"{HEADER}\n"
        "2023,UBND huyện,UBND huyện A,63.99,16.00,100,80.00,Tốt\n"
        "2023,UBND huyện,UBND huyện B,64.00,16.00,100,80.00,Tốt\n"
        "2023,UBND huyện,UBND huyện C,60.00,10.00,100,,\n",
    )
    assert PublishedResult.objects.get(unit__name="UBND huyện A").published_index == Decimal("80.00")
    assert PublishedResult.objects.get(unit__name="UBND huyện C").published_index is None

    api = APIClient()
    api.force_authenticate(body_admin)
    rows = {r["unit_name"]: r for r in api.get("/api/v1/rankings/", {"year": 2023}).json()["results"]}
    assert rows["UBND huyện A"]["index_pct"] == "80.00"
    assert rows["UBND huyện A"]["classification"]["label"] == "Tốt"
    # Equal published indices share a rank.
    assert rows["UBND huyện A"]["rank"] == rows["UBND huyện B"]["rank"] == 1
    assert rows["UBND huyện C"]["rank"] == 3
    assert rows["UBND huyện C"]["index_pct"] == "70.00"


def test_index_far_from_the_points_is_still_an_error(body):
    with pytest.raises(PublishedResultsImportError) as caught:
        _import(body, f"{HEADER}\n2023,UBND huyện,UBND huyện A,60.00,10.00,100,71.00,Khá\n")
    (error,) = caught.value.errors
    assert error.column == "index_pct"
    assert "71,00" in error.message
    assert PublishedResult.objects.count() == 0
