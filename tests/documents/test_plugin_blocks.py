"""The blocks of the real plug-ins read what their real parts give (no stand-ins): a report with
one-stop counts and time cuts saved in the procedures app prints the II.2 paragraph and the
time-cut appendix, in the DOCX and the PDF alike."""

from decimal import Decimal

import pytest

from cchc_portal.lib import docx_writer, pdf_writer
from procedures.models import OneStopStats, TimeCut
from reports.documents.context import report_document

from .conftest import ONE_STOP, fill_report
from .helpers import docx_text, pdf_text, squash

pytestmark = pytest.mark.django_db


def test_saved_one_stop_counts_and_time_cuts_reach_both_formats(report, tmp_path):
    fill_report(report)
    OneStopStats.objects.create(report=report, **ONE_STOP)
    TimeCut.objects.create(report=report, position=1, procedure_name="Đăng ký khai sinh", legal_days=Decimal("3"),
                           cut_days=Decimal("1.5"), decision="QĐ 7/QĐ-UBND")
    document = report_document(report)
    assert document["figures"]["received"] == "830" and document["figures"]["on_time_rate"] == "98,9%"
    time_cuts = document["appendices"][-1]
    assert time_cuts["label"] == "Phụ lục 03"  # after the core's tasks appendix (Phụ lục 02)
    assert time_cuts["rows"][0]["cells"] == ["1", "Đăng ký khai sinh", "3", "1,5", "50", "QĐ 7/QĐ-UBND"]
    docx_writer.write_docx(document, tmp_path / "r.docx")
    pdf_writer.write_pdf(document, tmp_path / "r.pdf")
    in_docx, in_pdf = squash(docx_text(tmp_path / "r.docx")), squash(pdf_text(tmp_path / "r.pdf"))
    for text in ("Trong kỳ, UBND xã đã tiếp nhận 830 hồ sơ",
                 "đã thực hiện cắt giảm thời gian giải quyết 1 thủ tục hành chính",
                 "CẮT GIẢM THỜI GIAN GIẢI QUYẾT NĂM 2024", "Đăng ký khai sinh"):
        assert text in in_docx, text
        assert text in in_pdf, text
