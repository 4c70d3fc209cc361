"""Every named URL is either visited by the browser test of every page or excluded from it with a reason."""

from tests.browser.every_page import EXCLUDED, VISITS, url_names


def test_every_named_url_is_visited_or_excluded_with_a_reason():
    visited = {visit.name for visit in VISITS}
    missing = url_names() - visited - set(EXCLUDED)
    assert not missing, (
        f"add these URLs to VISITS or EXCLUDED (with the reason) in tests/browser/every_page.py: {sorted(missing)}"
    )


def test_the_lists_name_only_urls_that_exist_and_never_both():
    names = url_names()
    visited = {visit.name for visit in VISITS}
    assert not (visited - names), sorted(visited - names)
    assert not (set(EXCLUDED) - names), sorted(set(EXCLUDED) - names)
    assert not (visited & set(EXCLUDED)), sorted(visited & set(EXCLUDED))
    assert all(reason.strip() for reason in EXCLUDED.values())
