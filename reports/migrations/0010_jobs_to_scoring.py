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


def _copy(Job, rows, fields, *, keep_id, extra):
    created = []
    for row in rows:
        values = {name: getattr(row, name) for name in fields}
        values["file"] = row.file.name if row.file else ""
        job = Job(**values, **extra(row))
        if keep_id:
            job.pk = row.pk
        created.append(job)
    Job.objects.bulk_create(created, batch_size=500)
    # bulk_create stamps created_at with now (auto_now_add); put back the times the jobs were asked for.
    if not keep_id:
        by_legacy = {job.params["legacy_id"]: job for job in Job.objects.filter(kind__in={r.kind for r in rows})}
        created = [by_legacy[row.pk] for row in rows if row.pk in by_legacy]
    stamps = {row.pk: row.created_at for row in rows}
    for job in created:
        job.created_at = stamps[job.params["legacy_id"]] if not keep_id else stamps[job.pk]
    Job.objects.bulk_update(created, ["created_at"], batch_size=500)


def forward(apps, schema_editor):
    Job = apps.get_model("scoring", "Job")
    ReportJob = apps.get_model("reports", "ReportJob")
    ImportJob = apps.get_model("reports", "ImportJob")
    reports = list(ReportJob.objects.order_by("pk"))
    _copy(Job, reports, REPORT_FIELDS, keep_id=True, extra=lambda row: {})
    # Ids were given by hand: move PostgreSQL's sequence past them before any row gets one of its own.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Job]):
            cursor.execute(sql)
    imports = list(ImportJob.objects.order_by("pk"))
    _copy(
        Job,
        imports,
        IMPORT_FIELDS,
        keep_id=False,
        extra=lambda row: {"params": {"legacy_id": row.pk, "replace": False}},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_publication_left_out"),
        ("scoring", "0005_jobs"),
    ]
    run_before = [("surveys", "0004_ballot_import_jobs_to_scoring")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
