"""The lock files hold every dependency pyproject.toml lists, pinned to a version it allows and with hashes:
a dependency added to pyproject.toml without `make lock` fails here rather than on the next fresh install."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins(lock: str) -> dict[str, str]:
    """Return name → pinned version of a lock file, failing on a pin without a hash."""
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    found: dict[str, str] = {}
    # One requirement per logical line: the hashes follow on continuation lines ending in a backslash.
    for line in re.sub(r"\\\n", " ", text).splitlines():
        match = PIN.match(line)
        if match:
            assert "--hash=sha256:" in line, f"{lock}: {match[1]} has no hash"
            found[canonicalize_name(match[1])] = match[2]
    return found


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("base.lock", PROJECT["dependencies"]),
        ("dev.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]),
    ],
)
def test_every_dependency_of_pyproject_is_locked_at_an_allowed_version(lock, requirements):
    locked = pins(lock)
    missing = [r for r in requirements if canonicalize_name(Requirement(r).name) not in locked]
    assert not missing, f"requirements/{lock} lacks {missing}: run `make lock`"
    outside = {
        r: locked[canonicalize_name(Requirement(r).name)]
        for r in requirements
        if not Requirement(r).specifier.contains(
            locked[canonicalize_name(Requirement(r).name)], prereleases=True
        )
    }
    assert not outside, (
        f"requirements/{lock} pins versions pyproject.toml excludes: {outside}; run `make lock`"
    )


def test_the_dev_lock_pins_the_base_packages_at_the_same_versions():
    base, dev = pins("base.lock"), pins("dev.lock")
    assert {name: dev.get(name) for name in base} == base


def test_pins_reads_a_lock_and_refuses_a_pin_without_hash(tmp_path, monkeypatch):
    folder = tmp_path / "requirements"
    folder.mkdir()
    (folder / "x.lock").write_text("Django==5.2.1 \\\n    --hash=sha256:ab\nfilelock==3.0\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    with pytest.raises(AssertionError, match="filelock has no hash"):
        pins("x.lock")
    (folder / "x.lock").write_text("Django==5.2.1 \\\n    --hash=sha256:ab\n    # via x\n")
    assert pins("x.lock") == {"django": "5.2.1"}
