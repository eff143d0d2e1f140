"""Generated files: failures stored as codes (the exception text is no longer kept), the xlsx
format, and a kind column without fixed choices (apps register their kinds)."""

from django.db import migrations, models


def failed_rows_get_a_code(apps, schema_editor):
    RenderedDocument = apps.get_model("reports", "RenderedDocument")
    RenderedDocument.objects.filter(status="failed").update(error_code="render_failed")


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_unit_path'),
    ]

    operations = [
        migrations.AddField(
            model_name='rendereddocument',
            name='error_code',
            field=models.CharField(blank=True, choices=[('source_missing', 'Thiếu dữ liệu nguồn'), ('kind_unavailable', 'Loại văn bản không còn được hỗ trợ'), ('render_failed', 'Lỗi khi tạo tệp'), ('timeout', 'Quá thời gian'), ('gave_up', 'Đã thử quá số lần cho phép')], max_length=32, verbose_name='mã lỗi'),
        ),
        migrations.RunPython(failed_rows_get_a_code, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='rendereddocument',
            name='error',
        ),
        migrations.AlterField(
            model_name='rendereddocument',
            name='format',
            field=models.CharField(choices=[('docx', 'DOCX'), ('pdf', 'PDF'), ('zip', 'ZIP'), ('xlsx', 'XLSX')], max_length=8, verbose_name='định dạng'),
        ),
        migrations.AlterField(
            model_name='rendereddocument',
            name='kind',
            field=models.CharField(help_text='Tên loại đã đăng ký', max_length=32, verbose_name='loại văn bản'),
        ),
    ]
