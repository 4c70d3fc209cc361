from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0010_jobs_to_scoring"),
    ]

    operations = [
        migrations.DeleteModel(name="ImportJob"),
        migrations.DeleteModel(name="ReportJob"),
    ]
