"""Every named URL is either visited by the browser test of every page or excluded from it with a reason."""

from tests.browser.every_page import EXCLUDED, PART_SIZE, VISITS, url_names, visit_parts


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


def test_the_browser_test_parts_hold_every_visit_once_and_one_person_each():
    parts = visit_parts()
    listed = [visit for visits in parts.values() for visit in visits]
    assert sorted(map(id, listed)) == sorted(map(id, VISITS))
    assert all(len({visit.user for visit in visits}) == 1 for visits in parts.values())
    assert all(0 < len(visits) <= PART_SIZE for visits in parts.values())
