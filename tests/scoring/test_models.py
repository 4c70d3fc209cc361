from decimal import Decimal

import pytest
from django.db import IntegrityError

from scoring import access
from scoring.evaluation import services
from scoring.models import CriteriaItem, CriteriaSet, Level, NotApplicableItem, Role, RoleAssignment
from tests.scoring.factories import PeriodFactory, UnitFactory


def test_new_period_gets_default_bands(body):
    period, created = services.period_get_or_create(body=body, year=2020)
    assert created
    assert [(b.code, b.min_index) for b in period.bands.all()] == [
        ("tot", Decimal("80.00")),
        ("kha", Decimal("70.00")),
        ("trung_binh", Decimal("50.00")),
        ("yeu", Decimal("0.00")),
    ]


def test_next_period_copies_bands_of_previous(body):
    period, _ = services.period_get_or_create(body=body, year=2021)
    period.bands.filter(code="tot").update(min_index=Decimal("85"))
    later, _ = services.period_get_or_create(body=body, year=2022)
    assert later.bands.get(code="tot").min_index == Decimal("85.00")


def test_unit_role_requires_a_unit(body, unit, db):
    from tests.scoring.factories import UserFactory

    user = UserFactory()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, body=body, role=Role.UNIT_OFFICER, unit=None)


def test_only_fields_sit_at_the_top_of_the_tree(body, departments):
    period = PeriodFactory(body=body)
    criteria_set = CriteriaSet.objects.create(period=period, unit_group=departments, name="Bộ 2020")
    with pytest.raises(IntegrityError):
        CriteriaItem.objects.create(
            criteria_set=criteria_set, level=Level.CRITERION, code="1.1", name="x", max_points=Decimal(1)
        )


def test_period_wide_exemption_is_unique(body, departments):
    period = PeriodFactory(body=body)
    criteria_set = CriteriaSet.objects.create(period=period, unit_group=departments, name="Bộ 2020")
    field = CriteriaItem.objects.create(
        criteria_set=criteria_set, level=Level.FIELD, code="8", name="Tác động", max_points=2
    )
    item = CriteriaItem.objects.create(
        criteria_set=criteria_set,
        parent=field,
        level=Level.CRITERION,
        code="8.1",
        name="DDCI",
        max_points=2,
        method="survey",
    )
    NotApplicableItem.objects.create(item=item, reason="Không tổ chức khảo sát DDCI")
    with pytest.raises(IntegrityError):
        NotApplicableItem.objects.create(item=item, reason="lần hai")


def test_unit_officer_sees_only_own_unit(body, unit, other_unit, unit_officer):
    assert list(access.units_visible_to(unit_officer, body)) == [unit]


def test_body_admin_sees_all_units_of_body_only(body, unit, other_unit, body_admin, other_body):
    UnitFactory(body=other_body)
    assert set(access.units_visible_to(body_admin, body)) == {unit, other_unit}


def test_outsider_has_no_role_in_body(body, outsider):
    assert not access.has_role(outsider, body, Role.BODY_ADMIN, Role.VIEWER)
    assert list(access.bodies_for_user(outsider)) != [body]


def test_code_from_name_keeps_d_with_stroke():
    assert (
        services.code_from_name("Đài Phát thanh và Truyền hình tỉnh") == "dai-phat-thanh-va-truyen-hinh-tinh"
    )
    assert services.code_from_name("Sở Nội vụ") == "so-noi-vu"


def test_home_page_is_vietnamese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi"' in response.content.decode()
