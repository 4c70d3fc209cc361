"""Every file link of every page goes through a permission-checked view; nothing is served from /media/.

One dossier with every kind of stored file (evidence, supplementary evidence, council minutes, a publication
decision, a report job's file); the pages that list them are rendered, every download link is collected and
fetched as an allowed user (200) and as another unit's officer (404; a decision file is public: 200).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from appraisal.models import CouncilMeeting
from reports.jobs.kinds import ReportKind
from reports.models import PublicationDecision
from reports.publication.services import PublicationError, period_publish
from scoring.models import Evidence, EvidenceStage, Job
from scoring.workflow import Status
from tests.appraisal.helpers import appraise_all, assign, set_status, submitted_assessment
from tests.appraisal.view_fixtures import login, neighbour_fixture  # noqa: F401
from tests.scoring.assessment_helpers import appraisal_items

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOWNLOAD_VIEWS = {
    "assessment:evidence_download",
    "appraisal:council_minutes",
    "reports:publication_decision_file",
    "reports:report_job_download",
}
HREF = re.compile(r'href="([^"#]+)"')


def _evidence(assessment, item, name, stage=EvidenceStage.SELF_ASSESSMENT) -> Evidence:
    evidence = Evidence(
        assessment=assessment,
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
        sha256="a" * 64,
        stage=stage,
    )
    evidence.file.save(name, ContentFile(PDF), save=False)
    evidence.save()
    evidence.items.set([item])
    return evidence


@pytest.fixture
def every_file(body, unit, other_unit, body_admin, appraiser):
    """Sở Nội vụ in round 2 with its own and supplementary evidence; Sở Tư pháp published with a decision file."""
    dossier = submitted_assessment(unit=unit, status=Status.ROUND_1)
    item = appraisal_items(dossier.criteria_set)[0]
    appraise_all(assessment=dossier, flagged=[item.code], by=appraiser)
    set_status(dossier, Status.ROUND_2)
    assign(appraiser, unit)
    _evidence(dossier, item, "Ke hoach.pdf")
    _evidence(dossier, item, "Bo sung.pdf", stage=EvidenceStage.EXPLANATION)
    meeting = CouncilMeeting(period=dossier.period, held_on=timezone.localdate() - timedelta(days=1))
    meeting.minutes.save("bien-ban.pdf", ContentFile(PDF), save=False)
    meeting.save()
    published = submitted_assessment(unit=other_unit, period=dossier.period, status=Status.ROUND_1)
    appraise_all(assessment=published, by=appraiser)
    set_status(published, Status.COUNCIL_APPROVED)
    decision = period_publish(
        period=dossier.period,
        number="QĐ 12/QĐ-UBND",
        signed_on=date(2027, 3, 15),
        signer="Chủ tịch",
        file=SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf"),
        actor=body_admin,
        **_leave_out(dossier),
    )
    job = Job(
        body=body,
        kind=ReportKind.RANKINGS,
        format="xlsx",
        period=dossier.period,
        year=dossier.period.year,
        status=Job.Status.SUCCEEDED,
        progress=100,
        filename="xep-hang.xlsx",
        requested_by=body_admin,
    )
    job.file.save("xep-hang.xlsx", ContentFile(b"PK\x03\x04 workbook"), save=False)
    job.save()
    return dossier, item, meeting, decision, job


def _leave_out(dossier) -> dict:
    # Publishing the group needs Sở Nội vụ (still in round 2) left out with a reason.
    return {"exclusions": {dossier.unit_id: "Đang thẩm định lại"}}


def _pages(dossier, item, decision, job) -> list[str]:
    return [
        reverse("appraisal:sheet", args=[dossier.pk]),
        reverse("appraisal:history", args=[dossier.pk, item.pk]),
        reverse("appraisal:council", args=[dossier.period_id]),
        reverse("assessment:evidence_list", args=[dossier.pk]),
        reverse("reports:publication"),
        reverse("reports:publication_decision", kwargs={"pk": decision.pk}),
        reverse("reports:report_jobs") + "?body=lai-chau",
        reverse("reports:report_job_detail", args=[job.pk]),
        reverse("public_rankings:period", kwargs={"body": "lai-chau", "year": dossier.period.year}),
    ]


def _file_links(client, pages) -> set[str]:
    links = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for href in HREF.findall(response.content.decode()):
            assert not href.startswith(settings.MEDIA_URL) and "/media/" not in href, (page, href)
            if href.startswith("/") and not href.startswith("/" + settings.STATIC_URL.strip("/")):
                match = resolve(href.split("?")[0])
                if match.view_name in DOWNLOAD_VIEWS:
                    links.add(href)
    return links


def test_every_file_link_of_every_page_is_a_checked_view(client, every_file, body_admin, neighbour):
    dossier, item, _meeting, decision, job = every_file
    links = _file_links(login(client, body_admin), _pages(dossier, item, decision, job))

    assert {resolve(link).view_name for link in links} == DOWNLOAD_VIEWS
    for link in links:
        assert client.get(link).status_code == 200, link
    login(client, neighbour)
    for link in links:
        public = resolve(link).view_name == "reports:publication_decision_file"
        assert client.get(link).status_code == (200 if public else 404), link


def test_council_minutes_are_for_staff_council_and_appraisers_only(
    client, every_file, council_member, appraiser, viewer, unit_officer, outsider
):
    meeting = every_file[2]
    url = reverse("appraisal:council_minutes", args=[meeting.pk])
    for reader in (council_member, appraiser, viewer):
        response = login(client, reader).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"
    for stranger in (unit_officer, outsider):
        assert login(client, stranger).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_decision_file_is_public_from_the_public_page(client, every_file):
    decision = every_file[3]
    page = client.get(reverse("public_rankings:period", kwargs={"body": "lai-chau", "year": 2026}))
    url = reverse("reports:publication_decision_file", kwargs={"pk": decision.pk})
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_nothing_under_media_is_served(client, every_file, body_admin):
    meeting, decision = every_file[2], every_file[3]
    login(client, body_admin)
    for name in (meeting.minutes.name, decision.file.name):
        path = f"/{settings.MEDIA_URL.strip('/')}/{name}"
        assert client.get(path).status_code == 404
        # No URL pattern serves it (make run adds no static(MEDIA_URL), whatever DEBUG says)…
        with pytest.raises(Resolver404):
            resolve(path)
    # …and WhiteNoise (gunicorn in docker-compose) serves the static directories only, never the media root.
    media = Path(settings.MEDIA_ROOT).resolve()
    for static_dir in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        static_dir = Path(static_dir).resolve()
        assert not media.is_relative_to(static_dir) and not static_dir.is_relative_to(media)


def test_a_decision_file_must_really_be_a_pdf(body, unit, body_admin):
    dossier = submitted_assessment(unit=unit, status=Status.COUNCIL_APPROVED)
    renamed = SimpleUploadedFile("qd.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    with pytest.raises(PublicationError) as error:
        period_publish(
            period=dossier.period, number="QĐ 1", signed_on=date(2027, 3, 15), signer="A", file=renamed,
            actor=body_admin,
        )  # fmt: skip
    assert error.value.field == "file"
    assert not PublicationDecision.objects.exists()


def test_admin_pages_link_files_through_the_views_too(client, every_file):
    from tests.scoring.factories import UserFactory

    _dossier, _item, meeting, decision, job = every_file
    client.force_login(UserFactory(username="superadmin", is_staff=True, is_superuser=True))
    pages = {
        reverse("admin:reports_publicationdecision_change", args=[decision.pk]): reverse(
            "reports:publication_decision_file", kwargs={"pk": decision.pk}
        ),
        reverse("admin:reports_resultsnapshot_change", args=[decision.snapshot.pk]): reverse(
            "reports:publication_decision_file", kwargs={"pk": decision.pk}
        ),
        reverse("admin:scoring_job_change", args=[job.pk]): reverse(
            "reports:report_job_download", args=[job.pk]
        ),
        reverse("admin:appraisal_councilmeeting_change", args=[meeting.pk]): None,
    }
    for page, link in pages.items():
        html = client.get(page).content.decode()
        assert "/media/" not in html, page
        if link:
            assert link in html, page


def test_a_published_result_row_cannot_be_edited_in_the_admin(client, every_file):
    from reports.models import PublishedResult
    from tests.scoring.factories import UserFactory

    row = PublishedResult.objects.get()
    client.force_login(UserFactory(username="superadmin", is_staff=True, is_superuser=True))
    url = reverse("admin:reports_publishedresult_change", args=[row.pk])
    assert client.post(url, {"appraisal_points": "1"}).status_code == 403
    assert (
        client.post(
            reverse("admin:reports_publishedresult_delete", args=[row.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_council_minutes_are_checked_by_content(unit, body_admin, council_member):
    from appraisal.council.services import council_meeting_record
    from appraisal.rules import AppraisalError

    dossier = submitted_assessment(unit=unit, status=Status.ROUND_2)
    renamed = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    with pytest.raises(AppraisalError) as error:
        council_meeting_record(
            period=dossier.period, held_on=timezone.localdate(), members=[council_member], minutes=renamed,
            note="", approved_ids=[dossier.pk], returned={}, actor=body_admin,
        )  # fmt: skip
    assert error.value.field == "file"
    assert not CouncilMeeting.objects.exists()
