"""The content of a publication snapshot: canonical JSON, its hash, and the diff between two snapshots (pure)."""

from __future__ import annotations

import hashlib
import json

import pytest

from reports.publication.diff import ADDED, CHANGED, REMOVED, snapshot_diff
from reports.publication.snapshot import canonical_json, content_hash
from reports.templatetags.rankings_tags import diff_label

# --- canonical JSON --------------------------------------------------------------------------------


def test_canonical_json_sorts_keys_keeps_diacritics_and_hashes_its_utf8():
    content = {"b": {"y": "1.50", "x": 2}, "a": "Sở Nội vụ"}

    text = canonical_json(content)

    assert text == '{"a":"Sở Nội vụ","b":{"x":2,"y":"1.50"}}'
    assert content_hash(content) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert content_hash({"a": "Sở Nội vụ", "b": {"x": 2, "y": "1.50"}}) == content_hash(content)


def test_canonical_json_refuses_floats_that_are_not_numbers():
    with pytest.raises(ValueError):
        canonical_json({"a": float("nan")})


def _unit(name, **values):
    base = {
        "name": name,
        "group": "g",
        "rank": 1,
        "index": "80.0000",
        "class": "tot",
        "items": {},
        "fields": {},
    }
    return base | values


def test_diff_lists_added_removed_and_changed_units_with_each_changed_value():
    old = {"units": {"a": _unit("A", items={"1.1.1": "1.00"}), "b": _unit("B"), "c": _unit("C")}}
    new = {
        "units": {
            "a": _unit("A", rank=2, index="75.0000", class_="kha", items={"1.1.1": "0.75"}),
            "c": _unit("C"),
            "d": _unit("D"),
        }
    }

    changes = {c.unit_code: c for c in snapshot_diff(old, new)}

    assert set(changes) == {"a", "b", "d"}  # c did not change
    assert (changes["b"].kind, changes["d"].kind, changes["a"].kind) == (REMOVED, ADDED, CHANGED)
    a = {c.key: (c.old, c.new) for c in changes["a"].changes}
    assert a["rank"] == (1, 2)
    assert a["index"] == ("80.0000", "75.0000")
    assert a["item 1.1.1"] == ("1.00", "0.75")


def test_diff_of_identical_snapshots_is_empty():
    content = {"units": {"a": _unit("A", fields={"1": {"points": "1"}})}}
    assert snapshot_diff(content, json.loads(json.dumps(content))) == []


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("rank", "Xếp hạng"),
        ("item 1.2.1", "Tiêu chí 1.2.1"),
        ("field 3 points", "Lĩnh vực 3: điểm"),
        ("field 3 max_points", "Lĩnh vực 3: thang điểm"),
        ("not_applicable", "Tiêu chí không đánh giá"),
    ],
)
def test_diff_keys_read_in_vietnamese(key, label):
    assert diff_label(key) == label
