"""The house in rooms: each app's top level stays small, its capabilities are packages, and the README's map
names exactly the packages that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("scoring", "appraisal", "surveys", "reports")
# Folders of an app that are Django's or data, not capabilities.
NOT_CAPABILITIES = {"migrations", "management", "templatetags", "models", "__pycache__"}
TOP_LEVEL_LIMIT = 12


def _packages(app: str) -> set[str]:
    return {
        p.name
        for p in (ROOT / app).iterdir()
        if p.is_dir() and p.name not in NOT_CAPABILITIES and (p / "__init__.py").exists()
    }


@pytest.mark.parametrize("app", APPS)
def test_an_app_keeps_at_most_twelve_modules_at_its_top(app):
    modules = sorted(p.name for p in (ROOT / app).glob("*.py"))
    assert len(modules) <= TOP_LEVEL_LIMIT, modules


@pytest.mark.parametrize("app", APPS)
def test_no_module_is_named_by_a_prefix_of_its_room(app):
    # views_x.py, forms_x.py, x_services.py… are packages asking to exist.
    prefixed = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts and re.match(r"^(views|forms)_|.*_(services|selectors)\.py$", p.name)
    ]
    assert prefixed == []


@pytest.mark.parametrize("app", APPS)
def test_the_readme_map_names_every_package_of_the_app(app):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(rf"^\| `{app}` \| (`[a-z_]+/`.+) \|$", readme, re.M)
    assert len(rows) == 1, f"no row (or several) for {app} in the README's map"
    named = set(re.findall(r"`([a-z_]+)/`", rows[0]))
    assert named == _packages(app)
