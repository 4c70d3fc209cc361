"""No page breaks under the Content-Security-Policy: Chromium reports no violation, and what moved out of the
templates into static/js/app.js (auto-submitting selects, confirmations, heat-map colours) still works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import session_page
from tests.browser.test_dashboards import EIGHT_FIELDS
from tests.browser.test_self_assessment import dossiers  # noqa: F401 - the scoring sheet of that test, reused
from tests.reports.dashboard_data import years_create

pytestmark = pytest.mark.browser

# Runs before any page script (injected by the browser, so the CSP does not apply to it): every violation the
# page raises is kept for the test to read.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

SIGNED_IN_PAGES = [
    "/",
    "/tu-danh-gia/",
    "/tham-dinh/",
    "/ket-qua/xep-hang/?body=lai-chau&year=2020",
    "/ket-qua/ke-hoach/?body=lai-chau",
    "/ket-qua/chi-so-tinh/?body=lai-chau",
    "/ket-qua/bieu-do/?body=lai-chau&year=2020",
    "/ket-qua/bao-cao-nam/?body=lai-chau&year=2020",
    "/dieu-tra/",
    "/api/docs/",
    "/api/redoc/",
]
PUBLIC_PAGES = ["/", "/accounts/login/", "/cong-khai/", "/api/docs/", "/api/redoc/"]


# Redoc's bundle always asks for its attribution logo from cdn.redoc.ly (and hides it when it fails): the policy
# blocking that call out is the policy at work, and the docs are complete without it.
EXPECTED = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _watch(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: (
            messages.append(m.text) if "Content Security Policy" in m.text or m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda e: messages.append(f"page error: {e}"))
    page.add_init_script(RECORD_VIOLATIONS)
    return messages


def _visit(page, url: str, messages: list[str]) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    found = [f"{url}: {v}" for v in page.evaluate("window.__csp")]
    found += [f"{url}: {m}" for m in messages if "Content Security Policy" in m or "page error" in m]
    messages.clear()
    return [v for v in found if EXPECTED not in v]


def test_no_csp_violation_on_the_main_pages_signed_in(browser, live_server, body, body_admin, departments):
    years_create(body=body, group=departments, count=3, fields=EIGHT_FIELDS)
    page = session_page(browser, live_server, body_admin)
    messages = _watch(page)
    violations = [v for url in SIGNED_IN_PAGES for v in _visit(page, url, messages)]
    assert violations == [], "\n".join(violations)


def test_no_csp_violation_on_the_public_pages(page):
    messages = _watch(page)
    violations = [v for url in PUBLIC_PAGES for v in _visit(page, url, messages)]
    assert violations == [], "\n".join(violations)


def test_moved_behaviour_still_works(browser, live_server, body, body_admin, departments):
    years_create(body=body, group=departments, count=3, fields=EIGHT_FIELDS)
    page = session_page(browser, live_server, body_admin)
    page.goto("/ket-qua/bieu-do/?body=lai-chau&year=2020")
    # Heat-map colours are applied from data-heat by app.js (no style="" attribute in the HTML).
    cell = page.locator("[data-testid=heatmap-so-ban-nganh] tbody td.heat").first
    expect(cell).to_have_attribute("data-heat", re.compile(r"^#[0-9a-f]{6}$"))
    red, green, blue = bytes.fromhex(cell.get_attribute("data-heat")[1:])
    assert cell.evaluate("c => getComputedStyle(c).backgroundColor") == f"rgb({red}, {green}, {blue})"
    # The language select submits its form on change (was onchange="this.form.submit()").
    with page.expect_navigation():
        page.locator("select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_form_with_data_confirm_asks_before_it_submits(page):
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
          const form = document.createElement("form");
          form.action = "/cong-khai/";
          form.dataset.confirm = "Xoá nội dung này khỏi kế hoạch?";
          form.innerHTML = '<button type="submit" id="confirm-test">x</button>';
          document.body.append(form);
        }"""
    )
    questions: list[str] = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("#confirm-test").click()
    page.wait_for_timeout(300)
    assert questions == ["Xoá nội dung này khỏi kế hoạch?"]
    assert page.url.endswith("/accounts/login/")

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#confirm-test").click()
    assert "/cong-khai/" in page.url


@pytest.mark.usefixtures("dossiers")
def test_no_csp_violation_while_scoring(browser, live_server, unit_officer):
    # The scoring sheet swaps fragments in with htmx (its own htmx-config), also on a refused score (422).
    page = session_page(browser, live_server, unit_officer)
    messages = _watch(page)
    page.goto("/tu-danh-gia/")
    page.get_by_role("link", name="Sở Nội vụ").click()
    page.wait_for_load_state("networkidle")
    field = page.locator("[id='item-1.1.1']").get_by_label("Điểm tự chấm")
    field.fill("1,5")
    field.press("Tab")
    expect(page.locator("[id='item-1.1.1']").get_by_role("alert")).to_contain_text("Điểm tối đa")
    violations = [f"sheet: {v}" for v in page.evaluate("window.__csp")] + [
        m for m in messages if "Content Security Policy" in m or "page error" in m
    ]
    assert violations == [], "\n".join(violations)
