"""The header of the reports without a number (plans, unit analysis) names the body once when it is its own
administrator ("Sở Nội vụ / Sở Nội vụ" was printed)."""

from django.template.loader import render_to_string


def _org(html: str) -> str:
    return html.split('<div class="org">', 1)[1].split("</div>", 1)[0]


def test_a_body_that_is_its_own_administrator_is_named_once():
    html = render_to_string(
        "reports/pdf/base.html", {"body_name": "Sở Nội vụ", "administrator_name": "Sở Nội vụ"}
    )
    assert _org(html).count("SỞ NỘI VỤ") == 1


def test_a_province_and_its_department_are_both_named():
    html = render_to_string(
        "reports/pdf/base.html",
        {"body_name": "UBND tỉnh Lai Châu", "administrator_name": "Sở Nội vụ tỉnh Lai Châu"},
    )
    assert "UBND TỈNH LAI CHÂU" in _org(html) and "SỞ NỘI VỤ TỈNH LAI CHÂU" in _org(html)
