"""Copy ReportJob and ImportJob rows into scoring.Job, the one job model (issue 12, item 2).

Report jobs keep their ids (their pages' addresses and any queued `report_job_task` message still name them);
import jobs get new ids and keep the old one as params["legacy_id"] (for a queued `published_results_import_task`).
Files keep their stored names: only the name is copied, nothing is moved. Runs before the ballot jobs are copied
(surveys 0004), so that the ids kept here are taken before any new id is given.
"""

from django.core.management.color import no_style
from django.db import migrations

REPORT_FIELDS = [
    "body_id",
    "kind",
    "format",
    "period_id",
    "year",
    "unit_id",
    "params",
    "status",
    "progress",
    "progress_note",
    "file",
    "filename",
    "error",
    "attempts",
    "requested_by_id",
    "started_at",
    "finished_at",
]
IMPORT_FIELDS = [
    "body_id",
    "kind",
    "status",
    "file",
    "original_filename",
    "year",
    "progress",
    "summary",
    "errors",
    "requested_by_id",
    "started_at",
    "finished_at",
]


REPORT_KINDS = ["annual", "unit", "rankings", "province_plan", "unit_plan", "recompute"]


def _reset_sequences(schema_editor, models):
    # Ids were given by hand: move PostgreSQL's sequences past them before any row gets one of its own.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def forward(apps, schema_editor):
    Job = apps.get_model("scoring", "Job")
    ReportJob = apps.get_model("reports", "ReportJob")
    ImportJob = apps.get_model("reports", "ImportJob")
    for row in ReportJob.objects.order_by("pk"):
        values = {name: getattr(row, name) for name in REPORT_FIELDS} | {"file": row.file.name or ""}
        Job.objects.create(pk=row.pk, **values)
        # create() stamps created_at with now (auto_now_add); put back the time the job was asked for.
        Job.objects.filter(pk=row.pk).update(created_at=row.created_at)
    _reset_sequences(schema_editor, [Job])
    for row in ImportJob.objects.order_by("pk"):
        values = {name: getattr(row, name) for name in IMPORT_FIELDS} | {"file": row.file.name or ""}
        job = Job.objects.create(params={"legacy_id": row.pk, "replace": False}, **values)
        Job.objects.filter(pk=job.pk).update(created_at=row.created_at)


def _copy_back(model, jobs, fields, *, old_pk):
    for job in jobs:
        values = {name: getattr(job, name) for name in fields} | {"file": job.file.name or ""}
        row = model.objects.create(pk=old_pk(job), **values)
        # create() stamps created_at with now (auto_now_add); put back the time the job was asked for.
        model.objects.filter(pk=row.pk).update(created_at=job.created_at)


def backward(apps, schema_editor):
    """Copy the jobs back into the two old models (recreated empty by reversing 0011), then drop them here."""
    Job = apps.get_model("scoring", "Job")
    ReportJob = apps.get_model("reports", "ReportJob")
    ImportJob = apps.get_model("reports", "ImportJob")
    reports = list(Job.objects.filter(kind__in=REPORT_KINDS).order_by("pk"))
    imports = list(Job.objects.filter(kind="published_results").order_by("pk"))
    _copy_back(ReportJob, reports, REPORT_FIELDS, old_pk=lambda job: job.pk)
    # An import made before the move gets its old id back, first; one made since gets a new one after.
    older = [job for job in imports if job.params.get("legacy_id")]
    _copy_back(ImportJob, older, IMPORT_FIELDS, old_pk=lambda job: job.params["legacy_id"])
    _reset_sequences(schema_editor, [ReportJob, ImportJob])
    newer = [job for job in imports if not job.params.get("legacy_id")]
    _copy_back(ImportJob, newer, IMPORT_FIELDS, old_pk=lambda job: None)
    Job.objects.filter(pk__in=[job.pk for job in reports + imports]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_publication_left_out"),
        ("scoring", "0005_jobs"),
    ]
    run_before = [("surveys", "0004_ballot_import_jobs_to_scoring")]

    operations = [migrations.RunPython(forward, backward)]
