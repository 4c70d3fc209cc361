"""The appraisal sheet's "Chênh lệch" column: shown only once something of the field is appraised, and then
only over the items appraised (not against the whole field's self-score)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from appraisal.rounds.pages import PageField
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, set_status
from tests.appraisal.view_fixtures import (  # noqa: F401
    assessment_fixture,
    assigned_fixture,
    items_fixture,
    login,
    sheet_url,
)

pytestmark = pytest.mark.django_db


def _cell(html: str, code: str) -> str:
    match = re.search(rf'data-testid="difference-{code}">(.*?)</td>', html, re.S)
    assert match, code
    return match.group(1)


def test_nothing_appraised_shows_no_difference(client, assessment, assigned):
    set_status(assessment, Status.ROUND_1)
    html = login(client, assigned).get(sheet_url(assessment)).content.decode()
    assert "Chênh lệch" in html
    for code in ("1", "2"):
        assert "—" in _cell(html, code)
    assert "−" not in _cell(html, "1")


def test_difference_counts_only_the_appraised_items(client, assessment, items, assigned):
    set_status(assessment, Status.ROUND_1)
    first = items[0]  # self-scored at its maximum (1 point)
    appraise(assessment=assessment, item=first, points=Decimal("0.75"), by=assigned)
    html = login(client, assigned).get(sheet_url(assessment)).content.decode()
    field_code = first.code.split(".")[0]
    assert _cell(html, field_code).strip() == "\u22120,25"


def test_page_field_difference_is_none_before_any_appraisal():
    field = PageField(
        code="1",
        name="",
        max_points=Decimal(4),
        criteria=(),
        self_points=Decimal(4),
        appraised_points=Decimal(0),
        appraised_count=0,
        appraisable_count=4,
    )
    assert field.difference is None
