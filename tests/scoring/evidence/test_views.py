"""Evidence over HTTP: upload to an item, refusals per file, link, unlink, delete, list, download, 404s."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.assessment.services import assessment_submit, evidence_upload
from scoring.models import Evidence
from tests.appraisal.helpers import assigned_appraiser_for
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import fill_scores, leaf_items
from tests.scoring.assessment_view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    HX,
    assessment_fixture,
    criteria_set_fixture,
    item_fixture,
    other_assessment_fixture,
    other_officer_fixture,
    period_fixture,
    sheet_url,
)

REPORT_NAME = "Báo cáo CCHC quý IV.pdf"


def upload_url(assessment) -> str:
    return reverse("assessment:evidence_upload", args=[assessment.pk])


def pdf(name: str = REPORT_NAME, data: bytes = samples.PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def evidence(assessment, item, unit_officer) -> Evidence:
    return evidence_upload(assessment=assessment, uploaded_file=pdf(), item_ids=[item.pk], actor=unit_officer)


# --- upload -----------------------------------------------------------------------------------------------


def test_upload_of_a_pdf_attaches_it_to_the_item(client, unit_officer, assessment, item, settings):
    client.force_login(unit_officer)

    response = client.post(upload_url(assessment), {"item": item.pk, "files": [pdf()]}, **HX)

    fragment = response.content.decode()
    assert response.status_code == 200
    stored = Evidence.objects.get(assessment=assessment)
    assert stored.original_name == REPORT_NAME and list(stored.items.all()) == [item]
    assert REPORT_NAME in fragment and reverse("assessment:evidence_download", args=[stored.pk]) in fragment
    assert "Đã tải lên: Báo cáo CCHC quý IV.pdf." in fragment
    assert "1 <small>tệp</small>" in fragment  # the summary, out of band
    assert len(stored_files(settings)) == 1


def test_upload_of_several_files_keeps_the_good_ones_and_names_the_refused(
    client, unit_officer, assessment, item
):
    client.force_login(unit_officer)
    files = [pdf("ke-hoach.pdf"), pdf("virus.pdf", samples.EXE)]

    response = client.post(upload_url(assessment), {"item": item.pk, "files": files}, **HX)

    fragment = response.content.decode()
    assert response.status_code == 422
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["ke-hoach.pdf"]
    assert "virus.pdf: Nội dung tệp «virus.pdf» không phải là PDF" in fragment


def test_upload_of_a_file_too_big_is_refused_and_nothing_remains(
    client, unit_officer, assessment, item, settings
):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = samples.PDF[:-7] + b"\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    client.force_login(unit_officer)

    response = client.post(upload_url(assessment), {"item": item.pk, "files": [pdf("lon.pdf", big)]}, **HX)

    assert response.status_code == 422
    assert "Tệp «lon.pdf» quá lớn: 1 MB, tối đa 1 MB." in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(settings) == []


def test_upload_of_a_program_renamed_pdf_is_refused_by_its_content(
    client, unit_officer, assessment, item, settings
):
    client.force_login(unit_officer)

    response = client.post(
        upload_url(assessment), {"item": item.pk, "files": [pdf("bao-cao.pdf", samples.EXE)]}, **HX
    )

    assert response.status_code == 422
    assert "Nội dung tệp «bao-cao.pdf» không phải là PDF" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(settings) == []


def test_upload_with_a_path_in_its_name_keeps_only_the_file_name(client, unit_officer, assessment, item):
    client.force_login(unit_officer)

    response = client.post(
        upload_url(assessment), {"item": item.pk, "files": [pdf("../../Quyết định 12.pdf")]}, **HX
    )

    assert response.status_code == 200
    stored = Evidence.objects.get()
    assert stored.original_name == "Quyết định 12.pdf"
    assert ".." not in stored.file.name and "Quyết" not in stored.file.name


def test_upload_with_no_usable_name_is_refused(client, unit_officer, assessment, item, settings):
    client.force_login(unit_officer)

    # Only invisible characters and dots: nothing is left to show once they are stripped.
    response = client.post(upload_url(assessment), {"item": item.pk, "files": [pdf("\u202e\u200b. .")]}, **HX)

    assert response.status_code == 422
    assert "Tên tệp không hợp lệ. Hãy đổi tên tệp rồi tải lên lại." in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(settings) == []


def test_upload_without_a_file_says_so(client, unit_officer, assessment, item):
    client.force_login(unit_officer)

    response = client.post(upload_url(assessment), {"item": item.pk}, **HX)

    assert response.status_code == 422
    assert "Chưa chọn tệp nào để tải lên." in response.content.decode()


def test_plain_form_upload_returns_to_the_item(client, unit_officer, assessment, item):
    client.force_login(unit_officer)

    response = client.post(upload_url(assessment), {"item": item.pk, "files": [pdf()]})

    assert response.status_code == 302 and response.url == f"{sheet_url(assessment)}#item-{item.code}"
    assert Evidence.objects.count() == 1


def test_upload_after_submission_is_refused(client, unit_head, assessment, item, settings):
    fill_scores(assessment=assessment, actor=unit_head)
    assessment_submit(assessment=assessment, actor=unit_head)
    client.force_login(unit_head)

    response = client.post(upload_url(assessment), {"item": item.pk, "files": [pdf()]}, **HX)

    assert response.status_code == 422
    assert "Hồ sơ đã được gửi" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(settings) == []


@pytest.fixture
def assigned_appraiser(assessment):
    return assigned_appraiser_for(assessment)


def test_upload_by_an_appraiser_is_forbidden(client, assigned_appraiser, assessment, item):
    client.force_login(assigned_appraiser)

    response = client.post(upload_url(assessment), {"item": item.pk, "files": [pdf()]}, **HX)

    assert response.status_code == 403
    assert not Evidence.objects.exists()


# --- link, unlink, delete, list --------------------------------------------------------------------------


def test_an_uploaded_file_can_back_a_second_item(client, unit_officer, assessment, evidence):
    second = leaf_items(assessment.criteria_set)[1]
    client.force_login(unit_officer)
    url = reverse("assessment:evidence_link", args=[assessment.pk])
    picker = client.get(url, {"item": second.pk}, **HX).content.decode()
    assert f'value="{evidence.pk}"' in picker and REPORT_NAME in picker
    assert "<html" not in picker and "<html" in client.get(url, {"item": second.pk}).content.decode()

    response = client.post(url, {"item": second.pk, "evidence": [evidence.pk]}, **HX)

    assert response.status_code == 200
    assert set(evidence.items.values_list("code", flat=True)) == {"1.1.1", "1.1.2"}
    assert REPORT_NAME in response.content.decode()


def test_unlinking_keeps_the_file_in_the_dossier(client, unit_officer, assessment, item, evidence):
    client.force_login(unit_officer)

    response = client.post(reverse("assessment:evidence_unlink", args=[evidence.pk]), {"item": item.pk}, **HX)

    assert response.status_code == 200
    assert not evidence.items.exists() and Evidence.objects.filter(pk=evidence.pk).exists()
    assert "Lý do không có tài liệu kiểm chứng" in response.content.decode()


def test_deleting_a_file_in_use_asks_for_confirmation(client, unit_officer, assessment, evidence, settings):
    client.force_login(unit_officer)
    url = reverse("assessment:evidence_delete", args=[evidence.pk])

    unconfirmed = client.post(url)
    page = client.get(url).content.decode()
    assert unconfirmed.status_code == 200 and Evidence.objects.filter(pk=evidence.pk).exists()
    assert "Tài liệu đang dùng cho tiêu chí 1.1.1" in page

    with_confirmation = client.post(url, {"confirm": "1"})

    assert with_confirmation.status_code == 302
    assert not Evidence.objects.exists()


def test_deleting_an_unused_file_needs_no_confirmation(client, unit_officer, assessment, item, evidence):
    evidence.items.clear()
    client.force_login(unit_officer)

    response = client.post(reverse("assessment:evidence_delete", args=[evidence.pk]))

    assert response.status_code == 302 and not Evidence.objects.exists()


def test_evidence_list_shows_each_file_its_items_and_the_total_size(client, viewer, assessment, evidence):
    client.force_login(viewer)

    page = client.get(reverse("assessment:evidence_list", args=[assessment.pk])).content.decode()

    assert REPORT_NAME in page and "#item-1.1.1" in page
    assert f"{evidence.size} B" in page
    assert "Xóa" not in page  # a viewer reads only


# --- download -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["unit_officer", "unit_head", "assigned_appraiser", "viewer", "body_admin"]
)
def test_download_keeps_the_original_name_and_type(client, request, persona, evidence):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("assessment:evidence_download", args=[evidence.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert f"filename*=utf-8''{quote(REPORT_NAME)}" in response["Content-Disposition"]


# An appraiser not assigned to the unit is outside it too: its dossier does not exist for them.
@pytest.mark.parametrize("persona", ["other_officer", "outsider", "appraiser"])
def test_user_outside_the_unit_gets_404_for_every_evidence_url(
    client, request, persona, assessment, item, evidence, settings
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("assessment:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("assessment:evidence_list", args=[assessment.pk])).status_code == 404
    upload = client.post(upload_url(assessment), {"item": item.pk, "files": [pdf("x.pdf")]}, **HX)
    assert upload.status_code == 404
    link_url = reverse("assessment:evidence_link", args=[assessment.pk])
    assert client.get(link_url, {"item": item.pk}).status_code == 404
    assert client.post(link_url, {"item": item.pk, "evidence": [evidence.pk]}).status_code == 404
    unlink_url = reverse("assessment:evidence_unlink", args=[evidence.pk])
    assert client.post(unlink_url, {"item": item.pk}).status_code == 404
    delete_url = reverse("assessment:evidence_delete", args=[evidence.pk])
    assert client.post(delete_url, {"confirm": "1"}).status_code == 404
    assert Evidence.objects.count() == 1 and evidence.items.count() == 1
    assert len(stored_files(settings)) == 1


def test_unknown_evidence_is_404(client, unit_officer, evidence):
    client.force_login(unit_officer)

    assert client.get(reverse("assessment:evidence_download", args=[evidence.pk + 99])).status_code == 404
