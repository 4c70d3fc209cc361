"""The setup API's input refusals, on any input: one Vietnamese message per refused field, none of DRF's English.

No database: the serializers are checked on their own, as each endpoint checks them before any service runs.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.accounts.people.api import PeopleListInviteApi, PersonPasswordResetApi
from scoring.evaluation.api import ExemptionListCreateApi
from scoring.periods.api import BandSerializer, PeriodDeadlinesApi, PeriodListCreateApi
from scoring.rest import field_errors
from scoring.units.api import UnitListCreateApi, UnitMergeApi

SERIALIZERS = [
    UnitListCreateApi.InputSerializer,
    UnitMergeApi.InputSerializer,
    PeriodListCreateApi.InputSerializer,
    PeriodDeadlinesApi.InputSerializer,
    PeopleListInviteApi.InputSerializer,
    PersonPasswordResetApi.InputSerializer,
    ExemptionListCreateApi.InputSerializer,
]
# Words of DRF's own (English) messages: none may reach a caller.
ENGLISH = ("valid", "required", "field", "ensure", "must", "format", "expected", "number", "choice", "null")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(max_size=300),
    st.sampled_from(
        ["2026-01-31", "2026-02-01T17:00:00+07:00", "lai-chau", "unit_officer", "a@b.vn", "72.5"]
    ),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3))
names = st.sampled_from(
    ["body", "code", "name", "group", "kind", "active_from", "year", "copy_previous", "email", "full_name", "role",
     "unit", "sources", "effective_on", "note", "end_sources", "starts_on", "self_assessment", "council", "mode",
     "period", "item_code", "reason", "username"]
)  # fmt: skip


def _check(checked) -> None:
    if checked.is_valid():
        return
    errors = field_errors(checked)
    assert errors, checked.errors
    for field, messages in errors.items():
        assert messages, field
        for message in messages:
            lowered = message.lower()
            assert not any(word in lowered for word in ENGLISH), (field, message)


@pytest.mark.parametrize("serializer", SERIALIZERS, ids=lambda s: s.__qualname__)
@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(names, values, max_size=8))
def test_any_refused_input_is_told_in_vietnamese_under_its_fields(serializer, data):
    _check(serializer(data=data))


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.one_of(
        values,
        st.lists(
            st.dictionaries(st.sampled_from(["code", "label", "min_index"]), scalars, max_size=3), max_size=4
        ),
    )
)
def test_any_refused_band_list_is_told_in_vietnamese_by_row(rows):
    checked = BandSerializer(data=rows, many=True)
    _check(checked)
    if not checked.is_valid() and isinstance(rows, list) and rows:
        assert all(key == "__all__" or key.split(".")[0].isdigit() for key in field_errors(checked))
