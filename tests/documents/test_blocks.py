"""Document blocks: what apps register is what the core prints, in the DOCX and the PDF alike; the
core's own frame renders with no block at all (the portal run as the core alone)."""

import contextlib

import pytest

from cchc_portal.lib import docx_writer, pdf_writer
from reports import parts as part_registry
from reports.documents import blocks
from reports.documents.context import consolidated_document, report_document
from reports.documents.kinds import consolidated_inputs

from .conftest import ONE_STOP, fill_report
from .helpers import docx_text, pdf_text, squash

pytestmark = pytest.mark.django_db

PROBE = "Khối thử nghiệm: trong kỳ đã số hóa 4.321 hồ sơ."


@contextlib.contextmanager
def only_blocks(*registered):
    """Exactly ``registered`` blocks for the duration (the registry is restored afterwards)."""
    saved = dict(blocks._blocks)
    blocks._blocks.clear()
    try:
        for block in registered:
            blocks.register(block)
        yield
    finally:
        blocks._blocks.clear()
        blocks._blocks.update(saved)


@contextlib.contextmanager
def core_parts_only():
    saved = dict(part_registry._registry)
    for key in [key for key in part_registry._registry if key not in ("header", "direction", "prose")]:
        del part_registry._registry[key]
    try:
        yield
    finally:
        part_registry._registry.clear()
        part_registry._registry.update(saved)


def probe_table(label):
    return {"label": label, "title": ["BẢNG CỦA KHỐI THỬ NGHIỆM"], "note": "(Kèm theo)",
            "columns": [{"title": "Mục", "width": 60, "align": "left"}, {"title": "Số", "width": 30, "align": "right"}],
            "rows": [{"cells": ["Hồ sơ số hóa", "4.321"]}]}


def seen(contexts, info):
    """A block that prints what it was given: the II.6 sentence, a numbered table, a figure."""
    probe = contexts.get("probe") or {}
    return blocks.Contribution(paragraphs={"II.6": [PROBE, f"{info.committee_short} / {probe.get('word', '')}"]},
                               appendices=[probe_table(blocks.NUMBERED)], figures={"probe": "4.321"})


class ProbePart(part_registry.ReportPart):
    key, title, order, url_name = "probe", "probe", 90, "part-prose"

    def document_context(self, report):
        return {"word": "từ phần đóng góp"}


def write_both(document, folder):
    docx_writer.write_docx(document, folder / "d.docx")
    pdf_writer.write_pdf(document, folder / "d.pdf")
    return squash(docx_text(folder / "d.docx")), squash(pdf_text(folder / "d.pdf"))


def test_a_registered_block_reaches_both_formats(report, tmp_path):
    fill_report(report)
    saved = dict(part_registry._registry)
    part_registry.register(ProbePart())
    try:
        with only_blocks(blocks.DocumentBlock(key="probe", order=70, report=seen)):
            document = report_document(report)
    finally:
        part_registry._registry.clear()
        part_registry._registry.update(saved)
    body = [b["text"] for b in document["body"]]
    # under its section's heading, after the typed prose; the part's context reached the block
    heading = body.index("6. Xây dựng và phát triển chính quyền điện tử, chính quyền số")
    assert body[heading + 1] == PROBE and body[heading + 2] == "UBND xã / từ phần đóng góp"
    # numbered after the core's tasks appendix (order ≥ the core's)
    assert [a["label"] for a in document["appendices"]] == ["Phụ lục 02", "Phụ lục 03"]
    assert document["appendices"][1]["title"] == ["BẢNG CỦA KHỐI THỬ NGHIỆM"]
    assert document["figures"]["probe"] == "4.321"
    in_docx, in_pdf = write_both(document, tmp_path)
    for text in (PROBE, "UBND xã / từ phần đóng góp", "BẢNG CỦA KHỐI THỬ NGHIỆM", "Hồ sơ số hóa", "Phụ lục 03"):
        assert text in in_docx, text
        assert text in in_pdf, text


def test_a_block_ordered_before_the_core_puts_its_table_first(report):
    fill_report(report)
    fixed = blocks.DocumentBlock(key="fixed", order=10, report=lambda ctx, info: blocks.Contribution(
        appendices=[probe_table("Phụ lục 01x")]))
    with only_blocks(fixed, blocks.DocumentBlock(key="probe", order=70, report=seen)):
        document = report_document(report)
    assert [a["label"] for a in document["appendices"]] == ["Phụ lục 01x", "Phụ lục 02", "Phụ lục 03"]


def test_the_core_alone_renders_header_direction_prose_and_tasks(report, tmp_path):
    fill_report(report)
    with only_blocks(), core_parts_only():
        document = report_document(report)
    assert [a["label"] for a in document["appendices"]] == ["Phụ lục 02"]
    assert document["figures"] == {"tasks": "15/25", "task_rate": "60%"}
    in_docx, in_pdf = write_both(document, tmp_path)
    for text in ("ỦY BAN NHÂN DÂN", "Số: 12/BC-UBND", "đã hoàn thành 15/25 nhiệm vụ, đạt 60%",
                 "Bộ phận một cửa thực hiện tốt cơ chế một cửa liên thông.", "Nhiệm vụ số 25", "- Lưu: VT."):
        assert text in in_docx, text
        assert text in in_pdf, text
    assert "tiếp nhận" not in in_docx and "Phụ lục 01b" not in in_docx


@pytest.mark.requires_plugin("procedures")
def test_the_one_stop_paragraph_is_the_procedures_block(report, colleague_parts):
    fill_report(report, data=colleague_parts)
    with_block = " ".join(b["text"] for b in report_document(report)["body"])
    assert "Trong kỳ, UBND xã đã tiếp nhận 830 hồ sơ" in with_block
    one_stop = blocks._blocks["one_stop"]
    blocks.unregister("one_stop")
    try:
        document = report_document(report)
    finally:
        blocks.register(one_stop)
    without = " ".join(b["text"] for b in document["body"])
    assert "tiếp nhận 830 hồ sơ" not in without and "received" not in document["figures"]
    assert "đã thực hiện cắt giảm thời gian giải quyết 2 thủ tục hành chính" in without  # the other block stays


def summed(communes, info):
    total = sum((c.contexts.get("probe") or {}).get("count", 0) for c in communes)
    return blocks.Contribution(
        results=[("Kết quả của khối thử nghiệm", [f"Tổng cộng {total} mục ({info.subject})."])],
        sections=[("PHẦN CỦA KHỐI THỬ NGHIỆM", ["Có Phụ lục kèm theo."])],
        appendices=[probe_table(blocks.NUMBERED)], figures={"probe_total": str(total)},
        commune_columns=[{"title": "Mục", "width": 20, "align": "right"}],
        commune_cells={c.unit_id: [str((c.contexts.get("probe") or {}).get("count", 0))] for c in communes},
        commune_title="MỤC THỬ NGHIỆM")


def test_consolidated_blocks_sum_the_filed_communes(make_report, vinh_long, ho_xa, users, period):
    from reports import services as report_services

    class CountPart(ProbePart):
        def document_context(self, report):
            return {"count": 7 if report.unit_id == vinh_long.pk else 5}

    saved = dict(part_registry._registry)
    part_registry.register(CountPart())
    try:
        for commune in (vinh_long, ho_xa):
            report = fill_report(make_report(commune, 2024, "Q2"), one_stop=ONE_STOP)
            report_services.submit_report(report, actor=users["admin"])
        with only_blocks(blocks.DocumentBlock(key="probe", consolidated=summed,
                                              fingerprint=lambda info: ["probe", info.year])):
            document = consolidated_document(*consolidated_inputs(vinh_long.parent_id, period.pk))
    finally:
        part_registry._registry.clear()
        part_registry._registry.update(saved)
    body = [b["text"] for b in document["body"]]
    assert "2. Kết quả của khối thử nghiệm" in body and "Tổng cộng 12 mục (các đơn vị cấp xã)." in body
    assert "III. PHẦN CỦA KHỐI THỬ NGHIỆM" in body
    table = document["appendices"][0]
    assert table["title"] == ["TÌNH HÌNH BÁO CÁO VÀ MỤC THỬ NGHIỆM", "CỦA CÁC ĐƠN VỊ CẤP XÃ"]
    cells = {row["cells"][1]: row["cells"][4] for row in table["rows"]}
    assert cells["Xã Vĩnh Long"] == "7" and cells["Thị trấn Hồ Xá"] == "5" and list(cells.values()).count("") == 16
    assert [a["label"] for a in document["appendices"]] == ["Phụ lục 01", "Phụ lục 02"]
    assert document["figures"]["probe_total"] == "12"


def test_a_block_fingerprint_enters_the_consolidated_version(vinh_long, period):
    from reports.documents.context import consolidated_fingerprint

    unit, period, communes, reports = consolidated_inputs(vinh_long.parent_id, period.pk)
    with only_blocks(blocks.DocumentBlock(key="probe", fingerprint=lambda info: [info.unit_id, "v1"])):
        first = consolidated_fingerprint(unit, period, communes, reports)
    with only_blocks(blocks.DocumentBlock(key="probe", fingerprint=lambda info: [info.unit_id, "v2"])):
        second = consolidated_fingerprint(unit, period, communes, reports)
    assert first != second and first["blocks"] == {"probe": [unit.pk, "v1"]}
