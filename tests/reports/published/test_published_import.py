"""Importing published results of earlier years: the service, the command and the upload page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import PublishedFieldResult, PublishedResult
from reports.published import services
from reports.published.data import PublishedResultsImportError, PublishedResultsReplaceRefused
from reports.published.io import parse_published_results
from scoring.models import EvaluatingBody, Job, Period, Unit, UnitGroup
from tests.scoring.factories import PeriodFactory, UnitFactory, UnitGroupFactory

DATA = Path(__file__).parent.parent / "data"
REFERENCE = DATA / "lai-chau-2020-departments.csv"
HEADER = "year,group,unit_name,appraisal_points,survey_points,max_points"
IMPORT_URL = reverse("reports:published_results_import")


def rows_of(text: str, **kwargs):
    return parse_published_results(content=text.encode(), filename="ket-qua.csv", **kwargs)


def reference_rows():
    return parse_published_results(content=REFERENCE.read_bytes(), filename=REFERENCE.name, default_year=2020)


def reference_table() -> list[dict[str, str]]:
    lines = [line for line in REFERENCE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def table_counts() -> dict[str, int]:
    """Return the row count of every table of our apps, to show that a failed import saved nothing."""
    return {
        model._meta.label: model.objects.count()
        for app in ("scoring", "reports")
        for model in apps.get_app_config(app).get_models()
    }


# --- the service ----------------------------------------------------------------------------------


def test_reference_file_imports_16_results_into_2_new_groups(body, body_admin):
    summary = services.published_results_import(body=body, rows=reference_rows(), actor=body_admin)

    assert summary == services.ImportSummary(
        created=16, updated=0, unchanged=0, groups_created=2, units_created=16, periods_created=1
    )
    results = PublishedResult.objects.for_body(body.pk).select_related("unit", "unit_group")
    assert results.count() == 16
    by_group = {g.code: g.published_results.count() for g in UnitGroup.objects.filter(body=body)}
    assert by_group == {"full_scale": 15, "reduced_scale": 1}
    noi_vu = results.get(unit__name="Sở Nội vụ")
    assert (noi_vu.appraisal_points, noi_vu.survey_points, noi_vu.max_points) == (
        Decimal("62.30"),
        Decimal("23.37"),
        Decimal("98"),
    )
    assert noi_vu.source == PublishedResult.Source.IMPORT and noi_vu.created_by == body_admin
    assert noi_vu.unit.group == noi_vu.unit_group
    assert noi_vu.unit.code == "so-noi-vu"


def test_imported_results_rank_and_classify_as_published(body):
    from scoring import calc

    services.published_results_import(body=body, rows=reference_rows())
    period = Period.objects.get(body=body, year=2020)
    totals = [
        calc.UnitTotals(
            unit_id=r.unit_id,
            group=r.unit_group.code,
            appraisal_points=r.appraisal_points,
            survey_points=r.survey_points,
            max_points=r.max_points,
        )
        for r in PublishedResult.objects.filter(period=period).select_related("unit_group")
    ]
    ranked = {r.unit_id: r for r in calc.rank_units(totals, [b.as_band() for b in period.bands.all()])}
    names = dict(Unit.objects.filter(body=body).values_list("name", "id"))
    table = reference_table()
    for published in table:
        mine = ranked[names[published["unit_name"]]]
        index = Decimal(published["index_pct"])
        same_group = [Decimal(p["index_pct"]) for p in table if p["group"] == published["group"]]
        assert abs(mine.index - index) <= Decimal("0.01"), published["unit_name"]
        assert mine.band.label == published["classification"]
        assert mine.rank == 1 + sum(other > index for other in same_group), published["unit_name"]


def test_importing_the_same_file_again_changes_nothing(body):
    services.published_results_import(body=body, rows=reference_rows())
    before = table_counts()
    stamps = dict(PublishedResult.objects.values_list("id", "created_at"))

    summary = services.published_results_import(body=body, rows=reference_rows())

    assert summary == services.ImportSummary(unchanged=16)
    assert table_counts() == before
    assert dict(PublishedResult.objects.values_list("id", "created_at")) == stamps


def test_reimport_with_changed_points_updates_the_result(body):
    services.published_results_import(body=body, rows=reference_rows())
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "Sở Y tế,51.57,21.25,72.82", "Sở Y tế,51.82,21.25,73.07"
    )
    text = text.replace("73.07,98,74.31", "73.07,98,74.56")
    # Without the explicit choice the changed row is refused, listed with its old and new index.
    with pytest.raises(PublishedResultsReplaceRefused) as caught:
        services.published_results_import(body=body, rows=rows_of(text, default_year=2020))
    assert [e.column for e in caught.value.errors] == ["unit_name"]
    assert "«Sở Y tế» đã nhập trước đó (chỉ số 74,31)" in caught.value.errors[0].message
    assert PublishedResult.objects.get(unit__name="Sở Y tế").appraisal_points == Decimal("51.57")

    summary = services.published_results_import(
        body=body, rows=rows_of(text, default_year=2020), replace=True
    )

    assert (summary.updated, summary.unchanged, summary.created) == (1, 15, 0)
    assert PublishedResult.objects.get(unit__name="Sở Y tế").appraisal_points == Decimal("51.82")


def test_existing_group_and_unit_are_matched_by_code_name_case_and_spaces(body, departments, unit):
    rows = rows_of(
        f"{HEADER}\n"
        "2020,so-ban-nganh,  sở  NỘI vụ ,62.30,23.37,98\n"  # the group by code
        '2021,"SỞ,  BAN, NGÀNH",Sở Nội vụ,63,23,98\n'  # the group by name
    )

    summary = services.published_results_import(body=body, rows=rows)

    assert (summary.groups_created, summary.units_created, summary.periods_created) == (0, 0, 2)
    assert set(PublishedResult.objects.values_list("unit_id", "unit_group_id")) == {(unit.pk, departments.pk)}


def test_result_keeps_the_group_of_its_year_while_the_unit_keeps_its_own(body, departments, unit):
    rows = rows_of(f"{HEADER}\n2019,Nhóm cũ,Sở Nội vụ,60,20,100\n")

    services.published_results_import(body=body, rows=rows)

    result = PublishedResult.objects.get()
    assert result.unit_group.name == "Nhóm cũ"
    unit.refresh_from_db()
    assert unit.group == departments


def test_ambiguous_unit_name_is_a_row_error_and_saves_nothing(body, departments):
    UnitFactory(body=body, group=departments, code="so-a-1", name="Sở A")
    UnitFactory(body=body, group=departments, code="so-a-2", name="sở a")
    before = table_counts()

    with pytest.raises(PublishedResultsImportError) as caught:
        services.published_results_import(
            body=body, rows=rows_of(f"{HEADER}\n2020,X,Sở B,60,20,100\n2020,X,Sở A,60,20,100\n")
        )

    [error] = caught.value.errors
    assert (error.row, error.column) == (3, "unit_name")
    assert "so-a-1, so-a-2" in error.message
    assert table_counts() == before


def test_unit_code_column_matches_or_creates_and_name_rows_follow_it(body, departments):
    UnitFactory(body=body, group=departments, code="so-a", name="Sở A (tên cũ)")
    text = f"{HEADER},unit_code\n2020,X,Sở A,60,20,100,so-a\n2020,X,Sở B,60,20,100,so-b-moi\n2021,X,Sở B,61,20,100,\n"

    summary = services.published_results_import(body=body, rows=rows_of(text))

    assert summary.units_created == 1
    assert Unit.objects.get(code="so-b-moi").published_results.count() == 2
    assert Unit.objects.get(code="so-a").name == "Sở A (tên cũ)"


def test_new_unit_code_is_made_unique(body, departments):
    UnitFactory(body=body, group=departments, code="so-noi-vu", name="Sở Nội vụ (đã giải thể)")

    services.published_results_import(body=body, rows=rows_of(f"{HEADER}\n2020,X,Sở Nội vụ,60,20,100\n"))

    assert Unit.objects.get(name="Sở Nội vụ").code == "so-noi-vu-2"


def test_same_unit_by_code_and_by_name_in_one_year_is_an_error(body, departments, unit):
    text = f"{HEADER},unit_code\n2020,X,Sở Nội vụ,60,20,100,so-noi-vu\n2020,X,Sở Nội vụ,61,20,100,\n"

    with pytest.raises(PublishedResultsImportError) as caught:
        services.published_results_import(body=body, rows=rows_of(text))

    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "unit_name")]


def test_published_classification_differing_from_the_period_bands_is_an_error(body):
    # The period's bands are those of another province: "Tốt" from 85 only.
    period = PeriodFactory(
        body=body, year=2020, bands=[("tot", "Tốt", "85"), ("kha", "Khá", "70"), ("yeu", "Yếu", "0")]
    )
    assert period.bands.count() == 3
    before = table_counts()

    with pytest.raises(PublishedResultsImportError) as caught:
        services.published_results_import(body=body, rows=reference_rows())

    wrong = {(e.row, e.column) for e in caught.value.errors}
    # Every department published "Tốt" below 85% (lines 10 to 16 of the file).
    assert wrong == {(line, "classification") for line in range(10, 17)}
    assert table_counts() == before


def test_a_bad_file_leaves_every_table_unchanged(body):
    services.published_results_import(body=body, rows=rows_of(f"{HEADER}\n2019,X,Sở A,60,20,100\n"))
    before = table_counts()
    # Line 17 (Sở Tài chính) published as "Tốt" although 76.94% is "Khá": found only after the new
    # period, groups and units were planned, so the rollback must undo the period created for it.
    text = REFERENCE.read_text(encoding="utf-8").replace("76.94,Khá", "76.94,Tốt")

    with pytest.raises(PublishedResultsImportError) as caught:
        services.published_results_import(body=body, rows=rows_of(text, default_year=2020))

    assert [(e.row, e.column) for e in caught.value.errors] == [(17, "classification")]
    assert table_counts() == before


def test_field_results_are_stored_and_replaced_when_they_change(body):
    header = f"{HEADER},field_1_points,field_1_max,field_8_points,field_8_max"
    services.published_results_import(
        body=body, rows=rows_of(f"{header}\n2020,X,Sở A,60,20,100,12,14,30,33\n")
    )
    stored = PublishedResult.objects.get().fields.values_list("field_code", "points", "max_points")
    assert list(stored) == [("1", Decimal(12), Decimal(14)), ("8", Decimal(30), Decimal(33))]

    again = services.published_results_import(
        body=body, rows=rows_of(f"{header}\n2020,X,Sở A,60,20,100,12,14,30,33\n")
    )
    with pytest.raises(PublishedResultsReplaceRefused):
        services.published_results_import(
            body=body, rows=rows_of(f"{header}\n2020,X,Sở A,60,20,100,13,14,,\n")
        )
    changed = services.published_results_import(
        body=body, rows=rows_of(f"{header}\n2020,X,Sở A,60,20,100,13,14,,\n"), replace=True
    )
    without = services.published_results_import(body=body, rows=rows_of(f"{HEADER}\n2020,X,Sở A,60,20,100\n"))

    assert (again.unchanged, changed.updated, without.unchanged) == (1, 1, 1)
    assert list(PublishedFieldResult.objects.values_list("field_code", "points")) == [("1", Decimal(13))]


def test_result_from_in_app_appraisal_is_not_overwritten(body, departments, unit):
    period = PeriodFactory(body=body, year=2020)
    PublishedResult.objects.create(
        period=period,
        unit=unit,
        unit_group=departments,
        appraisal_points=Decimal(60),
        survey_points=Decimal(20),
        max_points=Decimal(100),
        source=PublishedResult.Source.APPRAISAL,
    )

    with pytest.raises(PublishedResultsImportError) as caught:
        services.published_results_import(body=body, rows=rows_of(f"{HEADER}\n2020,X,Sở Nội vụ,61,20,100\n"))

    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "unit_name")]
    assert PublishedResult.objects.get().appraisal_points == Decimal(60)


def test_import_into_one_body_leaves_another_body_alone(body, other_body):
    other_group = UnitGroupFactory(body=other_body, code="full_scale", name="full_scale")
    UnitFactory(body=other_body, group=other_group, code="so-noi-vu", name="Sở Nội vụ")

    summary = services.published_results_import(body=body, rows=reference_rows())

    assert (summary.groups_created, summary.units_created) == (2, 16)
    assert not PublishedResult.objects.filter(unit__body=other_body).exists()


# --- the command ----------------------------------------------------------------------------------


def test_command_in_an_empty_database_creates_the_body(db):
    out = io.StringIO()

    call_command("import_published_results", str(REFERENCE), "--year", "2020", stdout=out)

    body = EvaluatingBody.objects.get()
    assert (body.code, body.name) == ("default", "Cơ quan đánh giá")
    assert PublishedResult.objects.for_body(body.pk).count() == 16
    assert "16 kết quả mới" in out.getvalue()


def test_command_names_the_new_body_as_asked(db):
    call_command(
        "import_published_results", str(REFERENCE), "--year=2020", "--body=lai-chau", "--body-name=UBND tỉnh Lai Châu",
        stdout=io.StringIO(),
    )  # fmt: skip

    assert EvaluatingBody.objects.get().name == "UBND tỉnh Lai Châu"


def test_command_uses_the_only_body_and_reports_a_repeat_as_unchanged(body):
    call_command("import_published_results", str(REFERENCE), "--year", "2020", stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_published_results", str(REFERENCE), "--year", "2020", stdout=out)

    assert "16 kết quả không đổi" in out.getvalue()
    assert PublishedResult.objects.for_body(body.pk).count() == 16


def test_command_with_several_bodies_needs_body(body, other_body):
    with pytest.raises(CommandError, match="--body"):
        call_command("import_published_results", str(REFERENCE), "--year", "2020")

    call_command(
        "import_published_results",
        str(REFERENCE),
        "--year",
        "2020",
        "--body",
        "dien-bien",
        stdout=io.StringIO(),
    )
    assert PublishedResult.objects.for_body(other_body.pk).count() == 16
    assert not PublishedResult.objects.for_body(body.pk).exists()


def test_command_with_unknown_body_code_fails(body):
    with pytest.raises(CommandError, match="khong-co"):
        call_command("import_published_results", str(REFERENCE), "--year", "2020", "--body", "khong-co")


def test_command_prints_every_error_and_saves_nothing(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n2020,X,Sở A,abc,20,100\n2020,X,Sở B,90,20,100\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_published_results", str(bad), stderr=err)

    assert "Dòng 2, cột appraisal_points: «abc» không phải là số." in err.getvalue()
    assert "Dòng 3, cột appraisal_points, survey_points" in err.getvalue()
    assert not EvaluatingBody.objects.exists()


def test_command_failing_in_the_database_does_not_create_the_body(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER},classification\n2020,X,Sở A,60,20,100,Yếu\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import_published_results", str(bad), stderr=io.StringIO())

    assert table_counts() == dict.fromkeys(table_counts(), 0)


def test_command_with_missing_file_fails(db):
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("import_published_results", "/khong/co/tep.csv")


# --- the upload page and its background job -----------------------------------------------------


def _upload(client, *, content: bytes, name: str = "ket-qua.csv", **data):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content), **data})


def test_upload_that_would_replace_earlier_results_is_refused_until_replace_is_chosen(
    client, body, body_admin, django_capture_on_commit_callbacks
):
    client.force_login(body_admin)
    changed = (
        REFERENCE.read_text(encoding="utf-8")
        .replace("Sở Y tế,51.57,21.25,72.82", "Sở Y tế,51.82,21.25,73.07")
        .replace("73.07,98,74.31", "73.07,98,74.56")
        .encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=REFERENCE.read_bytes(), name=REFERENCE.name, year="2020", body="lai-chau")
        _upload(client, content=changed, name="sua.csv", year="2020", body="lai-chau")

    refused = Job.objects.get(original_filename="sua.csv")
    assert refused.status == Job.Status.FAILED
    page = client.get(reverse("reports:import_job_detail", args=[refused.pk])).content.decode()
    assert 'data-testid="would-replace"' in page and "«Sở Y tế» đã nhập trước đó (chỉ số 74,31)" in page
    assert PublishedResult.objects.get(unit__name="Sở Y tế").appraisal_points == Decimal("51.57")

    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=changed, name="thay.csv", year="2020", body="lai-chau", replace="on")

    assert Job.objects.get(original_filename="thay.csv").status == Job.Status.SUCCEEDED
    assert PublishedResult.objects.get(unit__name="Sở Y tế").appraisal_points == Decimal("51.82")


def test_upload_imports_in_the_background_and_shows_the_summary(
    client, body, body_admin, django_capture_on_commit_callbacks
):
    client.force_login(body_admin)
    page = client.get(IMPORT_URL)
    assert page.status_code == 200
    assert (
        "appraisal_points" in page.content.decode()
        and reverse("reports:published_results_sample") in page.content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _upload(
            client, content=REFERENCE.read_bytes(), name=REFERENCE.name, year="2020", body="lai-chau"
        )

    job = Job.objects.get()
    assert len(callbacks) == 1
    assert response.status_code == 302 and response.url == reverse("reports:import_job_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.progress, job.requested_by, job.original_filename) == (
        Job.Status.SUCCEEDED,
        100,
        body_admin,
        REFERENCE.name,
    )
    assert job.summary["created"] == 16
    assert job.file.name.startswith("imports/") and REFERENCE.stem not in job.file.name
    assert PublishedResult.objects.for_body(body.pk).count() == 16

    fragment = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "16 kết quả mới" in fragment
    assert "hx-trigger" not in fragment and "<html" not in fragment


def test_upload_with_errors_shows_row_column_and_reason_and_saves_nothing(
    client, body, body_admin, django_capture_on_commit_callbacks
):
    client.force_login(body_admin)
    before = table_counts()
    content = f"{HEADER}\n2020,X,Sở A,60,abc,100\n".encode()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, content=content)

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.errors[0] | {"text": ""} == {
        "row": 2,
        "column": "survey_points",
        "message": "«abc» không phải là số.",
        "text": "",
    }
    page = client.get(response.url).content.decode()
    assert "survey_points" in page and "«abc» không phải là số." in page
    assert table_counts() == before | {"scoring.Job": before["scoring.Job"] + 1}


def test_job_page_polls_every_second_until_done(client, body, body_admin, django_capture_on_commit_callbacks):
    client.force_login(body_admin)
    # Callbacks captured but not run: the job stays queued, as while a worker is busy.
    with django_capture_on_commit_callbacks(execute=False):
        response = _upload(client, content=REFERENCE.read_bytes(), year="2020")
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED

    page = client.get(response.url).content.decode()

    assert 'hx-trigger="every 1s"' in page and "<progress" in page

    services.import_job_run(job=job)
    services.import_job_run(job=job)  # a second delivery of the task does nothing
    job.refresh_from_db()
    assert job.summary["created"] == 16
    assert "hx-trigger" not in client.get(response.url, headers={"HX-Request": "true"}).content.decode()


def test_upload_form_rejects_other_file_types(client, body, body_admin):
    client.force_login(body_admin)

    response = _upload(client, content=b"%PDF", name="ket-qua.pdf")

    assert response.status_code == 200
    assert not Job.objects.exists()


def test_sample_file_downloads_and_imports(client, body, body_admin):
    client.force_login(body_admin)

    response = client.get(reverse("reports:published_results_sample"))

    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = parse_published_results(content=response.content, filename="mau.csv")
    assert services.published_results_import(body=body, rows=rows).created == 3


def test_outsider_gets_404_for_another_body(client, body, outsider, body_admin):
    job = services.import_job_create(
        body=body, upload=SimpleUploadedFile("a.csv", REFERENCE.read_bytes()), year=2020, actor=body_admin
    )
    client.force_login(outsider)

    assert client.get(IMPORT_URL, {"body": "lai-chau"}).status_code == 404
    assert _upload(client, content=REFERENCE.read_bytes(), body="lai-chau", year="2020").status_code == 404
    assert client.get(reverse("reports:import_job_detail", args=[job.pk])).status_code == 404
    # Their own body's page works, and shows nothing of Lai Châu.
    own = client.get(IMPORT_URL)
    assert own.status_code == 200 and "a.csv" not in own.content.decode()


@pytest.mark.parametrize("persona", ["unit_officer", "appraiser", "viewer"])
def test_users_without_admin_role_get_404(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(IMPORT_URL).status_code == 404


def test_anonymous_user_is_sent_to_login(client, body):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302 and reverse("login") in response.url


# --- acceptance: the rankings API serves the imported results as published -----------------------


def test_rankings_api_gives_published_indices_classes_and_ranks(client, body, body_admin, tmp_path):
    second_year = tmp_path / "ket-qua-2021.csv"
    second_year.write_text(
        f"{HEADER},index_pct,classification\n"
        "2021,UBND huyện,UBND huyện Tam Đường,60.50,25.00,100,85.50,Tốt\n"
        "2021,UBND huyện,UBND huyện Phong Thổ,55.25,24.00,100,79.25,Khá\n"
        "2021,UBND huyện,UBND huyện Mường Tè,45.00,20.00,99.50,65.33,Trung bình\n",
        encoding="utf-8",
    )
    call_command("import_published_results", str(REFERENCE), "--year=2020", stdout=io.StringIO())
    call_command("import_published_results", str(second_year), stdout=io.StringIO())
    client.force_login(body_admin)
    published = {
        "2020": reference_table(),
        "2021": list(csv.DictReader(second_year.read_text(encoding="utf-8").splitlines())),
    }

    for year, table in published.items():
        data = client.get(reverse("rankings-api"), {"year": year, "body": "lai-chau"}).json()
        served = {r["unit_name"]: r for r in data["results"]}
        assert len(served) == len(table)
        for row in table:
            mine = served[row["unit_name"]]
            index = Decimal(row["index_pct"])
            same_group = [Decimal(p["index_pct"]) for p in table if p["group"] == row["group"]]
            assert abs(Decimal(mine["index_pct"]) - index) <= Decimal("0.01"), row["unit_name"]
            assert mine["classification"]["label"] == row["classification"]
            assert mine["rank"] == 1 + sum(other > index for other in same_group)
