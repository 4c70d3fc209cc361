from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_ballot_import_jobs_to_scoring"),
    ]

    operations = [
        migrations.DeleteModel(name="BallotImportJob"),
    ]
