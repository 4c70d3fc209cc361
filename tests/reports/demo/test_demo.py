"""`make run` loads the Lai Châu demo; a second run keeps the data and duplicates nothing."""

from django.core.management import call_command
from django.test import Client

from reports.demo import data as demo_data
from reports.models import PublishedResult
from scoring.models import CriteriaSet, Period, PeriodStatus, RoleAssignment, Unit, User


def _counts():
    return (
        PublishedResult.objects.filter(period__year=2020).count(),
        Unit.objects.count(),
        CriteriaSet.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
    )


def test_demo_loads_once_and_a_second_run_keeps_it(db, capsys):
    call_command("load_demo", demo_passwords=True)
    first = _counts()
    out = capsys.readouterr().out
    assert demo_data.DEMO_PASSWORD in out
    assert "canbo.snv" in out and "thutruong.snv" in out

    call_command("load_demo", demo_passwords=True)
    assert _counts() == first
    assert first[0] == 16
    assert first[2] == 2
    assert CriteriaSet.objects.filter(is_illustrative=True).count() == 2
    # Departments form one group from now on; their 2020 results keep the scale group they were ranked in.
    assert set(Unit.objects.filter(code="so-noi-vu").values_list("group__code", flat=True)) == {
        "so-ban-nganh"
    }
    # The demo's years are in use (2026 in self-assessment, 2020 published): open, not waiting for their setup.
    assert set(Period.objects.values_list("year", "status")) == {
        (2020, PeriodStatus.OPEN),
        (2026, PeriodStatus.OPEN),
    }


def test_demo_rankings_page_shows_2020_departments_as_published(db):
    call_command("load_demo", demo_passwords=True)
    client = Client()
    assert client.login(username="xem", password=demo_data.DEMO_PASSWORD)
    page = client.get("/ket-qua/xep-hang/", {"year": 2020}).content.decode()
    assert page.index("Sở Nội vụ") < page.index("Sở Tư pháp") < page.index("Sở Y tế")
    assert page.count("85,66") == 2
    assert "87,42" in page and "86,53" in page  # Sở Ngoại vụ as published, not 86,54 recomputed

    rows = client.get("/api/v1/rankings/", {"year": 2020}).json()["results"]
    ranks = {r["unit_name"]: r["rank"] for r in rows}
    assert ranks["Sở Giáo dục và Đào tạo"] == ranks["Sở Khoa học và Công nghệ"] == 4
    assert ranks["Sở Giao thông vận tải"] == 6
    assert ranks["Sở Ngoại vụ"] == 1


def test_demo_has_2026_dossiers_at_different_stages(db, capsys):
    from scoring.models import Assessment, Evidence
    from scoring.workflow import Status

    call_command("load_demo", demo_passwords=True)
    call_command("load_demo", demo_passwords=True)  # a second run leaves the dossiers as they are
    stages = {a.unit.code: a for a in Assessment.objects.filter(period__year=2026).select_related("unit")}
    assert stages["so-tu-phap"].status == Status.SUBMITTED
    assert stages["ubnd-huyen-tam-duong"].status == Status.SUBMITTED
    half_done = stages["so-noi-vu"]
    assert half_done.status == Status.SELF_ASSESSMENT
    assert 0 < half_done.scores.count() < stages["so-tu-phap"].scores.count()
    assert Evidence.objects.filter(assessment=half_done).exists()
    assert "so-kh" not in stages  # other units have not started
    assert half_done.period.self_assessment_deadline is not None
    out = capsys.readouterr().out
    assert "canbo.snv" in out and "thutruong.snv" in out

    client = Client()
    assert client.login(username="canbo.snv", password=demo_data.DEMO_PASSWORD)
    page = client.get(f"/tu-danh-gia/{half_done.pk}/")
    assert page.status_code == 200
    assert "Sở Nội vụ" in page.content.decode()
    assert client.get(f"/tu-danh-gia/{stages['so-tu-phap'].pk}/").status_code == 404


def test_demo_2026_has_a_unit_in_every_state_and_a_published_decision(db, capsys):
    from reports.models import PublicationDecision, PublishedResult
    from scoring.models import Assessment
    from scoring.workflow import Status

    call_command("load_demo", demo_passwords=True)
    call_command("load_demo", demo_passwords=True)
    states = set(Assessment.objects.filter(period__year=2026).values_list("status", flat=True))
    assert states == set(Status.values)
    assert PublicationDecision.objects.filter(period__year=2026).count() == 1
    assert PublishedResult.objects.filter(period__year=2026).count() == 2
    assert "Thẩm định vòng 1" in capsys.readouterr().out
    # The public sees the published 2026 results without logging in.
    rows = Client().get("/api/v1/rankings/", {"year": 2026, "body": "lai-chau"}).json()["results"]
    assert {r["unit_name"] for r in rows} == {"Sở Y tế", "UBND huyện Phong Thổ"}
