"""Copy BallotImportJob rows into scoring.Job, the one job model (issue 12, item 2).

Each job gets a new id and keeps the old one as params["legacy_id"] (for a queued `ballots_import_task`); files
keep their stored names. The period's body and year are copied onto the job, as new ballot jobs have them.
"""

from django.core.management.color import no_style
from django.db import migrations

FIELDS = [
    "period_id",
    "status",
    "original_filename",
    "progress",
    "summary",
    "errors",
    "requested_by_id",
    "finished_at",
]


def forward(apps, schema_editor):
    Job = apps.get_model("scoring", "Job")
    BallotImportJob = apps.get_model("surveys", "BallotImportJob")
    for row in BallotImportJob.objects.select_related("period").order_by("pk"):
        job = Job.objects.create(
            **{name: getattr(row, name) for name in FIELDS},
            kind="ballots",
            body_id=row.period.body_id,
            year=row.period.year,
            file=row.file.name or "",
            params={"legacy_id": row.pk},
        )
        # create() stamps created_at with now (auto_now_add); put back the time the job was asked for.
        Job.objects.filter(pk=job.pk).update(created_at=row.created_at)


def _copy_back(model, job, *, pk):
    values = {name: getattr(job, name) for name in FIELDS} | {"file": job.file.name or ""}
    row = model.objects.create(pk=pk, **values)
    # create() stamps created_at with now (auto_now_add); put back the time the job was asked for.
    model.objects.filter(pk=row.pk).update(created_at=job.created_at)


def backward(apps, schema_editor):
    """Copy the ballot jobs back into BallotImportJob (recreated empty by reversing 0005), then drop them here."""
    Job = apps.get_model("scoring", "Job")
    BallotImportJob = apps.get_model("surveys", "BallotImportJob")
    jobs = list(Job.objects.filter(kind="ballots", period__isnull=False).order_by("pk"))
    # A job made before the move gets its old id back, first; one made since gets a new one after.
    older = [job for job in jobs if job.params.get("legacy_id")]
    newer = [job for job in jobs if not job.params.get("legacy_id")]
    for job in older:
        _copy_back(BallotImportJob, job, pk=job.params["legacy_id"])
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [BallotImportJob]):
            cursor.execute(sql)
    for job in newer:
        _copy_back(BallotImportJob, job, pk=None)
    Job.objects.filter(pk__in=[job.pk for job in jobs]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_ballot_correction"),
        ("scoring", "0005_jobs"),
    ]

    operations = [migrations.RunPython(forward, backward)]
