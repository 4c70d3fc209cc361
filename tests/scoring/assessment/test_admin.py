"""The admin shows a dossier read-only: status, history, scores, evidence and extensions, with no file link."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.assessment.services import assessment_submit, evidence_upload
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import appraisal_items, assessment_for, fill_scores
from tests.scoring.factories import UserFactory


def test_admin_shows_the_dossier_read_only_without_a_file_url(client, unit, unit_officer, unit_head):
    assessment = assessment_for(unit=unit)
    item = appraisal_items(assessment.criteria_set)[0]
    evidence = evidence_upload(
        assessment=assessment,
        uploaded_file=SimpleUploadedFile("Quyết định 701.pdf", samples.PDF),
        item_ids=[item.pk],
        actor=unit_officer,
    )
    fill_scores(assessment=assessment)
    assessment_submit(assessment=assessment, actor=unit_head)
    admin = UserFactory(username="superadmin", is_staff=True, is_superuser=True)
    client.force_login(admin)

    page = client.get(reverse("admin:scoring_assessment_change", args=[assessment.pk]))
    listing = client.get(reverse("admin:scoring_assessment_changelist"))

    assert page.status_code == 200 and listing.status_code == 200
    html = page.content.decode()
    assert "Quyết định 701.pdf" in html
    assert evidence.file.name not in html
    assert 'name="status"' not in html  # shown, never edited here
    assert "Đã gửi" in html
    assert client.get(reverse("admin:scoring_assessment_add")).status_code == 403
