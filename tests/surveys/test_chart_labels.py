"""Chart axis titles come from the page (gettext), never from words written into the script."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.surveys.helpers import survey_period

SCRIPT = Path(settings.BASE_DIR) / "static" / "js" / "survey_stats.js"


def test_the_chart_script_carries_no_vietnamese_words():
    text = SCRIPT.read_text(encoding="utf-8")
    assert "Số phiếu" not in text
    assert "canvas.dataset.axisTitle" in text


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=2)


def test_statistics_page_gives_each_chart_its_translated_axis_title(admin_client, survey):
    html = admin_client.get(reverse("surveys:statistics", args=[survey.period.pk])).content.decode()
    assert 'data-axis-title="Tỷ lệ (%)"' in html
