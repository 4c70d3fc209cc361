"""Messages queued under the old task names, before the move to one job model, still run their job once."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from reports.tasks import published_results_import_task, report_job_task
from scoring.models import Job
from surveys.tasks import ballots_import_task
from tests.scoring.factories import PeriodFactory


def test_an_old_report_message_runs_the_job_of_its_id_once(body, body_admin, monkeypatch):
    from reports.jobs import services as report_jobs

    runs = []
    monkeypatch.setattr(report_jobs, "_render", lambda job, progress: runs.append(job.pk) or "xong")
    job = Job.objects.create(body=body, kind="recompute", year=2020, requested_by=body_admin)

    report_job_task(job.pk)
    report_job_task(job.pk)

    assert runs == [job.pk]
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED


def test_old_import_messages_find_their_job_by_its_old_id(body, body_admin, monkeypatch):
    period = PeriodFactory(body=body, year=2026)
    published = Job(body=body, kind="published_results", original_filename="kq.csv", params={"legacy_id": 7})
    published.file.save("imports/kq.csv", ContentFile(b"khong phai csv"), save=True)
    ballots = Job(
        body=body, kind="ballots", period=period, original_filename="p.csv", params={"legacy_id": 7}
    )
    ballots.file.save("ballot-imports/p.csv", ContentFile(b"x"), save=True)

    published_results_import_task(7, replace=True)
    ballots_import_task(7)

    published.refresh_from_db()
    ballots.refresh_from_db()
    # Both ran (and failed on their bad files, recording why); the message's choice to replace was kept.
    assert (published.status, published.params["replace"], bool(published.errors)) == ("failed", True, True)
    assert (ballots.status, bool(ballots.errors)) == ("failed", True)


def test_a_bookmark_to_an_old_import_job_page_leads_to_the_job_under_its_new_id(
    client, body, body_admin, unit_officer
):
    period = PeriodFactory(body=body, year=2026)
    published = Job.objects.create(
        body=body, kind="published_results", original_filename="kq.csv", params={"legacy_id": 987654}
    )
    ballots = Job.objects.create(
        body=body, kind="ballots", period=period, original_filename="p.csv", params={"legacy_id": 987654}
    )
    old_import = reverse("reports:import_job_detail", args=[987654])
    old_ballots = reverse("surveys:ballots_import_job", args=[period.pk, 987654])

    client.force_login(body_admin)
    response = client.get(old_import)
    assert response.status_code == 301
    assert response["Location"] == reverse("reports:import_job_detail", args=[published.pk])
    response = client.get(old_ballots)
    assert response.status_code == 301
    assert response["Location"] == reverse("surveys:ballots_import_job", args=[period.pk, ballots.pk])
    assert client.get(reverse("reports:import_job_detail", args=[987653])).status_code == 404

    # Nobody else finds them through the old address either.
    client.force_login(unit_officer)
    assert client.get(old_import).status_code == 404
    assert client.get(old_ballots).status_code == 404
