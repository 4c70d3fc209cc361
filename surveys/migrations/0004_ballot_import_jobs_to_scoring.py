"""Copy BallotImportJob rows into scoring.Job, the one job model (issue 12, item 2).

Each job gets a new id and keeps the old one as params["legacy_id"] (for a queued `ballots_import_task`); files
keep their stored names. The period's body and year are copied onto the job, as new ballot jobs have them.
"""

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
    rows = list(BallotImportJob.objects.select_related("period").order_by("pk"))
    Job.objects.bulk_create(
        [
            Job(
                **{name: getattr(row, name) for name in FIELDS},
                kind="ballots",
                body_id=row.period.body_id,
                year=row.period.year,
                file=row.file.name if row.file else "",
                params={"legacy_id": row.pk},
            )
            for row in rows
        ],
        batch_size=500,
    )
    # bulk_create stamps created_at with now (auto_now_add); put back the times the jobs were asked for.
    stamps = {row.pk: row.created_at for row in rows}
    copied = list(Job.objects.filter(kind="ballots"))
    for job in copied:
        job.created_at = stamps.get(job.params.get("legacy_id"), job.created_at)
    Job.objects.bulk_update(copied, ["created_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_ballot_correction"),
        ("scoring", "0005_jobs"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
