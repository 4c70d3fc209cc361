"""The demo's body administrator is an ordinary account: every setup page works for it, the Django admin does not."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reports.demo import data as demo_data
from scoring.models import CriteriaSet, Period, Role, RoleAssignment, Unit, UnitGroup, User
from tests.scoring.setup_pages import SETUP_INDEX_URLS, SetupObjects, setup_api_urls, setup_page_urls


def test_demo_body_admin_sets_up_the_year_without_being_a_superuser(db, capsys):
    call_command("load_demo", demo_passwords=True)
    assert "quantri.snv" in capsys.readouterr().out
    admin = User.objects.get(username="quantri.snv")
    assert not admin.is_superuser and not admin.is_staff
    assert set(RoleAssignment.objects.filter(user=admin).values_list("body__code", "role", "unit")) == {
        ("lai-chau", Role.BODY_ADMIN, None)
    }
    # The platform operator keeps the Django admin.
    assert User.objects.get(username="admin").is_superuser

    period = Period.objects.get(body__code="lai-chau", year=demo_data.CURRENT_YEAR)
    unit = Unit.objects.get(body=period.body, code="so-noi-vu")
    objects = SetupObjects(
        body=period.body,
        period=period,
        group=UnitGroup.objects.get(pk=unit.group_id),
        unit=unit,
        person=User.objects.get(username="canbo.snv"),
        criteria_set=CriteriaSet.objects.get(period=period, unit_group_id=unit.group_id),
    )
    client = Client()
    assert client.login(username="quantri.snv", password=demo_data.DEMO_PASSWORD)

    answers = {url: client.get(url).status_code for url in setup_page_urls(objects) + setup_api_urls(objects)}
    answers |= {url: client.get(url, follow=True).status_code for url in SETUP_INDEX_URLS}

    assert answers == dict.fromkeys(answers, 200)
    admin_site = client.get(reverse("admin:index"))
    assert admin_site.status_code == 302 and reverse("admin:login") in admin_site.url
