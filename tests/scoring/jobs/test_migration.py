"""The move of the three job models into scoring.Job keeps every row: state, files, errors, people and times."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reports", "0009_publication_left_out"), ("surveys", "0003_ballot_correction")]
AFTER = [("reports", "0011_remove_old_jobs"), ("surveys", "0005_remove_ballotimportjob")]


def _latest() -> list[tuple[str, str]]:
    """Return the newest migration of every app: where the test leaves the database, whatever came after the move."""
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_old_jobs_become_jobs_with_their_state_files_and_times(body, unit, body_admin):
    from tests.scoring.factories import PeriodFactory

    period = PeriodFactory(body=body, year=2020)
    asked = datetime.datetime(2021, 4, 13, 8, 30, tzinfo=datetime.UTC)
    done = asked + datetime.timedelta(minutes=2)
    try:
        old = _migrate(BEFORE)
        ReportJob = old.get_model("reports", "ReportJob")
        ImportJob = old.get_model("reports", "ImportJob")
        BallotImportJob = old.get_model("surveys", "BallotImportJob")
        report = ReportJob.objects.create(
            body_id=body.pk,
            kind="unit",
            format="pdf",
            period_id=period.pk,
            year=2020,
            unit_id=unit.pk,
            params={"draft": True},
            status="succeeded",
            progress=100,
            progress_note="Hoàn thành",
            file="reports/0123abcd.pdf",
            filename="phan-tich-so-noi-vu-2020.pdf",
            attempts=2,
            requested_by_id=body_admin.pk,
            started_at=asked,
            finished_at=done,
        )
        failed = ReportJob.objects.create(
            body_id=body.pk,
            kind="rankings",
            format="xlsx",
            year=2020,
            status="failed",
            error="Chưa có kết quả.",
        )
        imported = ImportJob.objects.create(
            body_id=body.pk,
            kind="published_results",
            status="failed",
            file="imports/feed.csv",
            original_filename="ket-qua.csv",
            year=2020,
            progress=100,
            errors=[{"row": 3, "column": "index", "message": "sai", "text": "Dòng 3: sai"}],
            requested_by_id=body_admin.pk,
            finished_at=done,
        )
        ballots = BallotImportJob.objects.create(
            period_id=period.pk,
            status="succeeded",
            file=f"ballot-imports/{period.pk}/phieu.xlsx",
            original_filename="phieu.xlsx",
            progress=100,
            summary={"created": 12, "unchanged": 0, "rejected_by_reason": {}},
            requested_by_id=body_admin.pk,
            finished_at=done,
        )
        for model, row in ((ReportJob, report), (ImportJob, imported), (BallotImportJob, ballots)):
            model.objects.filter(pk=row.pk).update(created_at=asked)

        new = _migrate(AFTER)
        Job = new.get_model("scoring", "Job")

        assert Job.objects.count() == 4
        moved = Job.objects.get(pk=report.pk)  # report jobs keep their ids: their pages' addresses
        assert (moved.kind, moved.format, moved.period_id, moved.year, moved.unit_id, moved.params) == (
            "unit",
            "pdf",
            period.pk,
            2020,
            unit.pk,
            {"draft": True},
        )
        assert (moved.status, moved.progress, moved.progress_note, moved.attempts) == (
            "succeeded",
            100,
            "Hoàn thành",
            2,
        )
        assert (moved.file.name, moved.filename, moved.requested_by_id) == (
            "reports/0123abcd.pdf",
            "phan-tich-so-noi-vu-2020.pdf",
            body_admin.pk,
        )
        assert (moved.created_at, moved.started_at, moved.finished_at) == (asked, asked, done)
        assert Job.objects.get(pk=failed.pk).error == "Chưa có kết quả."

        job = Job.objects.get(kind="published_results")
        assert job.params == {"legacy_id": imported.pk, "replace": False}
        assert (job.status, job.file.name, job.original_filename, job.year) == (
            "failed",
            "imports/feed.csv",
            "ket-qua.csv",
            2020,
        )
        assert job.errors == [{"row": 3, "column": "index", "message": "sai", "text": "Dòng 3: sai"}]
        assert (job.created_at, job.finished_at, job.requested_by_id) == (asked, done, body_admin.pk)

        job = Job.objects.get(kind="ballots")
        assert (job.body_id, job.period_id, job.year, job.params) == (
            body.pk,
            period.pk,
            2020,
            {"legacy_id": ballots.pk},
        )
        assert (job.status, job.file.name, job.summary["created"], job.created_at) == (
            "succeeded",
            f"ballot-imports/{period.pk}/phieu.xlsx",
            12,
            asked,
        )
        # A new job takes an id none of the kept ones has.
        assert Job.objects.create(body_id=body.pk, kind="annual").pk > max(report.pk, failed.pk)

        # And back: the old models get their rows again, with their old ids, files and times.
        old = _migrate(BEFORE)
        assert Job.objects.count() == 0  # the table stays (scoring 0005), emptied of the rows moved back
        back = old.get_model("reports", "ReportJob").objects.get(pk=report.pk)
        assert (back.file.name, back.status, back.attempts, back.created_at) == (
            "reports/0123abcd.pdf",
            "succeeded",
            2,
            asked,
        )
        assert old.get_model("reports", "ReportJob").objects.count() == 3
        back = old.get_model("reports", "ImportJob").objects.get(pk=imported.pk)
        assert (back.file.name, back.errors[0]["row"], back.created_at) == ("imports/feed.csv", 3, asked)
        back = old.get_model("surveys", "BallotImportJob").objects.get(pk=ballots.pk)
        assert (back.period_id, back.summary["created"], back.created_at) == (period.pk, 12, asked)
    finally:
        _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_the_move_loses_nothing_of_the_demo():
    """The whole Lai Châu demo through the move back and forth: every row of every other table stays."""
    from django.apps import apps

    from reports.demo.load import demo_load

    body = demo_load().body

    def counts() -> dict[str, int]:
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model._meta.app_label in {"scoring", "appraisal", "surveys", "reports"}
            and model.__name__ != "Job"
        }

    before = counts()
    try:
        old = _migrate(BEFORE)
        ImportJob = old.get_model("reports", "ImportJob")
        ImportJob.objects.create(
            body_id=body.pk, kind="published_results", file="imports/kq.csv", original_filename="kq.csv"
        )
        new = _migrate(AFTER)
        assert (
            new.get_model("scoring", "Job").objects.filter(kind="published_results", body_id=body.pk).count()
            == 1
        )
        _migrate(_latest())
        assert counts() == before
    finally:
        _migrate(_latest())
