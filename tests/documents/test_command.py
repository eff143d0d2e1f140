"""manage.py render_report UNIT YEAR KIND --format docx|pdf --out FILE."""

import pytest
from django.core.management import CommandError, call_command

from reports.documents.models import RenderedDocument

from .helpers import docx_text

pytestmark = pytest.mark.django_db


def test_renders_through_the_rows(filled_report, tmp_path):
    out = tmp_path / "bao-cao.docx"
    call_command("render_report", "19387", "2024", "Q2", "--format", "docx", "--out", str(out))
    assert "đã hoàn thành 15/25 nhiệm vụ, đạt 60%" in docx_text(out)  # the core's own figures
    document = RenderedDocument.objects.get(source_key=f"report:{filled_report.pk}")
    assert document.status == "done"
    call_command("render_report", "19387", "2024", "Q2", "--out", str(out))  # reuses the row
    assert RenderedDocument.objects.count() == 1


@pytest.mark.parametrize("args, message", [
    (["99999", "2024", "Q2"], "Không có đơn vị cấp xã mã 99999 trong quý II năm 2024."),
    (["19387", "2024", "Q5"], "Kỳ “Q5” không hợp lệ"),
    (["19387", "2031", "Q2"], "Không có kỳ báo cáo Q2 năm 2031."),
    (["19387", "2024", "Q3"], "Xã Vĩnh Long chưa có báo cáo quý III năm 2024."),
])
def test_bad_input_is_a_message(report, tmp_path, args, message):
    """CommandError: manage.py prints the message and exits with status 1."""
    with pytest.raises(CommandError, match=message):
        call_command("render_report", *args, "--out", str(tmp_path / "x.docx"))

