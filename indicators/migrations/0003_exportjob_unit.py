"""ExportJob.unit: the unit whose communes a workbook holds, so that ``ExportJob.objects.for_user`` is
built on the scope like every other scoped model (it was only in ``params``)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_units(apps, schema_editor):
    ExportJob = apps.get_model("indicators", "ExportJob")
    AdministrativeUnit = apps.get_model("reports", "AdministrativeUnit")
    known = set(AdministrativeUnit.objects.values_list("pk", flat=True))
    for job in ExportJob.objects.all():
        unit_id = (job.params or {}).get("unit")
        if unit_id in known:
            ExportJob.objects.filter(pk=job.pk).update(unit_id=unit_id)
    ExportJob.objects.filter(unit__isnull=True).delete()  # a job without a known unit can never be downloaded


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="unit",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="reports.administrativeunit", verbose_name="đơn vị",
                                    help_text="Tỉnh/huyện có các xã trong tệp"),
        ),
        migrations.RunPython(fill_units, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="exportjob",
            name="unit",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="reports.administrativeunit", verbose_name="đơn vị",
                                    help_text="Tỉnh/huyện có các xã trong tệp"),
        ),
    ]
