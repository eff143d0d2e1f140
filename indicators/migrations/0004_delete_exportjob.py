"""ExportJob removed: the ranking workbook and the indicator matrix are kinds of the core's generated
files (``reports.RenderedDocument``, registered in ``indicators/scoring/workbooks.py``). Old jobs are
one-off downloads; the files they left under MEDIA_ROOT/exports may be deleted."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_exportjob_unit'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ExportJob',
        ),
    ]
