"""The commune's periodic report: one context, two writers that agree, Decree 30 layout."""

import os
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from django.db import transaction
from docx.oxml.ns import qn
from PIL import Image, ImageChops

from cchc_portal.lib import docx_writer, pdf_writer
from reports.demo import BEFORE, VINH_LONG
from reports.documents.context import report_document
from reports.models import AdministrativeUnit, ReportingPeriod
from reports.services import open_report

from .conftest import fill_report, registered_parts
from .helpers import docx_text, pdf_pages, pdf_text, squash

pytestmark = pytest.mark.django_db
# The one-stop paragraph and the time cuts come from procedures' blocks, the Phụ lục 01b from indicators'.
WITH_BLOCKS = pytest.mark.requires_plugin("procedures", "indicators")

ONE_STOP_SENTENCE = (
    "Trong kỳ, UBND xã đã tiếp nhận 830 hồ sơ (kỳ trước chuyển sang 10; trực tuyến 600; trực tiếp 200; "
    "qua BCCI 20); đã giải quyết 273 hồ sơ, trong đó giải quyết trước hạn 180 hồ sơ (chiếm 65,93%), "
    "đúng hạn 90 hồ sơ (chiếm 32,97%), quá hạn 3 hồ sơ (chiếm 1,1%)"
)


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """The filled report rendered once for the module (both formats), its data rolled back."""
    folder = tmp_path_factory.mktemp("rendered")
    docx_path, pdf_path = folder / "r.docx", folder / "r.pdf"
    with django_db_blocker.unblock(), registered_parts() as data, transaction.atomic():
        unit = AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE)
        report = fill_report(open_report(unit, ReportingPeriod.objects.get(year=2024, kind="Q2")), data=data)
        document = report_document(report)
        transaction.set_rollback(True)
    docx_writer.write_docx(document, docx_path)
    pdf_writer.write_pdf(document, pdf_path)
    return document, docx_path, pdf_path


@WITH_BLOCKS
def test_context_inserts_the_portal_figures_into_the_prose(filled_report):
    document = report_document(filled_report)
    texts = [b["text"] for b in document["body"]]
    assert any(t.startswith(ONE_STOP_SENTENCE) for t in texts)
    assert any("đã hoàn thành 15/25 nhiệm vụ, đạt 60%" in t for t in texts)
    assert "Bộ phận một cửa thực hiện tốt cơ chế một cửa liên thông." in texts
    assert document["subject"] == [
        "Kết quả thực hiện công tác cải cách hành chính quý II năm 2024; "
        "phương hướng, nhiệm vụ trọng tâm quý III năm 2024"]
    assert document["header"]["number"] == "Số: 12/BC-UBND"
    assert document["header"]["place_date"] == "Vĩnh Long, ngày 20 tháng 6 năm 2024"
    assert document["signature"] == {"lines": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "name": "Trần Quốc Lương"}
    assert document["recipients"][-1] == "- Lưu: VT."
    assert [a["label"] for a in document["appendices"]] == ["Phụ lục 01b", "Phụ lục 02", "Phụ lục 03"]


def test_text_is_nfc_normalised(filled_report):
    document = report_document(filled_report)
    text = " ".join(b["text"] for b in document["body"])
    assert "UBND xã đã quán triệt kế hoạch" in text
    assert unicodedata.is_normalized("NFC", text)


def test_missing_parts_simply_omit_their_sentences(report, colleague_parts):
    fill_report(report, one_stop=None, data=None)
    document = report_document(report)
    text = " ".join(b["text"] for b in document["body"])
    assert "tiếp nhận" not in text
    assert "đã hoàn thành 15/25 nhiệm vụ" in text
    assert [a["label"] for a in document["appendices"]] == ["Phụ lục 02"]


@pytest.mark.parametrize("kind, subject, heading", [
    ("H1", "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024; "
           "phương hướng, nhiệm vụ trọng tâm 6 tháng cuối năm 2024", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2024"),
    ("M9", "Kết quả thực hiện công tác cải cách hành chính 9 tháng năm 2024; "
           "phương hướng, nhiệm vụ trọng tâm quý IV năm 2024", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM QUÝ IV NĂM 2024"),
    ("Y", "Kết quả thực hiện công tác cải cách hành chính năm 2024; phương hướng, nhiệm vụ năm 2025",
          "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM NĂM 2025"),
])
def test_subject_adapts_to_the_period(make_report, vinh_long, kind, subject, heading):
    period = ReportingPeriod.objects.get(year=2024, kind=kind)
    period.is_open = True
    period.save()
    document = report_document(make_report(vinh_long, 2024, kind))
    assert document["subject"] == [subject]
    assert heading in [b["text"] for b in document["body"]]


@WITH_BLOCKS
def test_docx_layout_follows_decree_30(rendered):
    _, docx_path, _ = rendered
    document = docx.Document(str(docx_path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and not section.first_page_header.paragraphs[0].text
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0]
    assert header._tbl.tblPr.find(qn("w:tblBorders")) is not None
    left, right = (c.paragraphs for c in header.rows[0].cells)
    assert [p.text for p in left[:2]] == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH LONG"] and left[1].runs[0].bold
    assert "Số: 12/BC-UBND" in [p.text for p in left]
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].runs[0].bold
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].runs[0].bold
    place = [p for p in right if p.text.startswith("Vĩnh Long, ngày")][0]
    assert place.runs[0].italic
    title = [p for p in document.paragraphs if p.text == "BÁO CÁO"][0]
    assert title.runs[0].bold and title.alignment == 1
    body = [p for p in document.paragraphs if p.text.startswith("Trong kỳ, UBND xã đã tiếp nhận")][0]
    assert body.alignment == 3 and round(body.paragraph_format.first_line_indent.mm) == 10
    closing = document.tables[1]
    recipients = closing.rows[0].cells[0].paragraphs
    assert recipients[0].text == "Nơi nhận:" and recipients[0].runs[0].bold and recipients[0].runs[0].italic
    assert recipients[-1].text == "- Lưu: VT."
    signature = [p.text for p in closing.rows[0].cells[1].paragraphs if p.text.strip()]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Quốc Lương"]
    appendix_table = document.tables[2]
    assert appendix_table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


@WITH_BLOCKS
def test_docx_and_pdf_carry_the_same_figures(rendered):
    document, docx_path, pdf_path = rendered
    in_docx, in_pdf = squash(docx_text(docx_path)), squash(pdf_text(pdf_path))
    for text in (ONE_STOP_SENTENCE, "đã hoàn thành 15/25 nhiệm vụ, đạt 60%", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Vĩnh Long, ngày 20 tháng 6 năm 2024", "Trần Quốc Lương",
                 "TM. ỦY BAN NHÂN DÂN", "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn đạt 98,9%",
                 "Phụ lục 01b", "Số lượng hồ sơ đã tiếp nhận", "1.234", "Hòa giải tranh chấp đất đai", "33,33",
                 "(Kèm theo Báo cáo số 12/BC-UBND ngày 20/06/2024 của UBND xã Vĩnh Long)", "- Lưu: VT."):
        assert text in in_docx, text
        assert text in in_pdf, text
    for value in document["figures"].values():
        assert value in in_docx and value in in_pdf


@WITH_BLOCKS
def test_pdf_pages_number_from_two_and_appendices_start_on_new_pages(rendered):
    _, _, pdf_path = rendered
    pages = pdf_pages(pdf_path)
    assert pages[0].lstrip().startswith("ỦY BAN NHÂN DÂN")
    assert pages[1].strip().splitlines()[0].strip() == "2"
    heads = [" ".join([line.strip() for line in page.splitlines() if line.strip()][:3]) for page in pages]
    starts = {label: i for i, head in enumerate(heads) for label in ("Phụ lục 01b", "Phụ lục 02", "Phụ lục 03")
              if label in head}
    assert len(starts) == 3 and len(set(starts.values())) == 3


REFERENCE = Path(__file__).parent / "reference" / "report-first-page.png"


@WITH_BLOCKS
def test_first_page_matches_the_reference_image(rendered, tmp_path):
    """Layout regressions show: page 1 at 50 dpi against the committed PNG (set
    UPDATE_DOCUMENT_REFERENCE=1 to re-create it after an intended change)."""
    _, _, pdf_path = rendered
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-png", "-singlefile", str(pdf_path),
                    str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png").convert("L")
    if os.environ.get("UPDATE_DOCUMENT_REFERENCE") == "1":
        page.save(REFERENCE)
    reference = Image.open(REFERENCE).convert("L")
    assert page.size == reference.size
    difference = ImageChops.difference(page, reference).point(lambda value: 255 if value > 64 else 0)
    changed = difference.histogram()[255]
    assert changed / (page.size[0] * page.size[1]) < 0.01, f"{changed} pixels differ from {REFERENCE.name}"
