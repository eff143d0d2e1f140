"""The deduction & remediation letter (seed 003) from a hand-built ``letter_context`` dict."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc_portal.lib import docx_writer, pdf_writer
from indicators.scoring.contrib import register_letter_kind
from indicators.scoring.letter import letter_document
from reports.documents import registry, services
from reports.documents.models import DocumentStatus

from .helpers import docx_text, pdf_text, squash

CONTEXT = {
    "unit_name": "Xã Vĩnh Long", "unit_upper": "XÃ VĨNH LONG", "year": 2023, "next_year": 2024,
    "place": "Vĩnh Long", "self_total": Decimal("90.88"), "appraised_total": Decimal("87.25"),
    "bonus": Decimal("1"), "penalty": Decimal("0"), "final": Decimal("88.25"), "deducted_total": Decimal("12.75"),
    "rank": 11, "rank_of": 18, "classification": "Khá", "previous": {"final": Decimal("86.39"), "rank": 8},
    "rows": [
        {"code": "1.4.1", "name": "Mức độ thực hiện kế hoạch tuyên truyền CCHC đã ban hành", "max": Decimal("1"),
         "self": Decimal("1"), "appraised": Decimal("0.8"), "deducted": Decimal("0.2"),
         "comment": "Kế hoạch tuyên truyền CCHC chưa được xây dựng cụ thể.", "responsible": "Đ/c Đoàn",
         "remediation": "Xây dựng thêm phụ lục chi tiết.", "deadlines": [dt.date(2024, 1, 31)]},
        {"code": "3.12.2", "name": "Tỷ lệ hồ sơ thanh toán trực tuyến", "max": Decimal("1"), "self": Decimal("0"),
         "appraised": Decimal("0.32"), "deducted": Decimal("0.68"), "comment": "118/1245 hồ sơ thanh toán trực tuyến.",
         "responsible": "Đ/c Liên", "remediation": "Hướng dẫn công dân thanh toán trực tuyến.",
         "deadlines": [dt.date(2024, 10, 31), dt.date(2024, 12, 15)]},
    ],
    "signer": {"name": "Trần Quốc Lương", "title": "Chủ tịch", "capacity": "TM."},
}


def test_letter_states_scores_rank_trend_and_deadlines():
    document = letter_document(CONTEXT)
    text = " ".join(block["text"] for block in document["body"])
    assert ("Chỉ số CCHC của UBND xã Vĩnh Long xếp thứ 11/18 đơn vị cấp xã (trong đó điểm tự đánh giá: 90,88; "
            "điểm thẩm định: 87,25; điểm thưởng: 1,00; tổng điểm đạt được: 88,25; xếp loại: Khá)") in text
    assert "thứ hạng tụt 3 bậc (năm 2022 chỉ số đạt 86,39, xếp thứ 8/18)" in text
    assert "tổng số điểm năm 2023 bị trừ là 12,75 điểm ở 2 tiêu chí thành phần" in text
    assert "trước ngày 31/01/2024 (đợt 1) và trước ngày 31/10/2024 (đợt 2) và trước ngày 15/12/2024 (đợt 3)" in text
    assert document["header"]["summary"][0].startswith("V/v khắc phục những tồn tại, hạn chế trong công tác CCHC năm 2023")
    assert document["signature"] == {"lines": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "name": "Trần Quốc Lương"}
    appendix = document["appendices"][0]
    assert appendix["landscape"] and appendix["rows"][-1]["cells"][5] == "-12,75"
    assert appendix["rows"][1]["cells"][:6] == ["3.12.2", "Tỷ lệ hồ sơ thanh toán trực tuyến", "1,00", "0,00", "0,32",
                                                "-0,68"]


def test_letter_docx_and_pdf_agree(tmp_path, settings):
    document = letter_document(CONTEXT)
    docx_writer.write_docx(document, tmp_path / "l.docx")
    pdf_writer.write_pdf(document, tmp_path / "l.pdf")
    in_docx, in_pdf = squash(docx_text(tmp_path / "l.docx")), squash(pdf_text(tmp_path / "l.pdf"))
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "XÃ VĨNH LONG", "Số: /UBND-CCHC", "Kính gửi:",
                 "tổng điểm đạt được: 88,25", "KẾT QUẢ ĐÁNH GIÁ CCHC XÃ VĨNH LONG NĂM 2023", "-0,68", "-12,75",
                 "Trần Quốc Lương", "- Lưu: VT."):
        assert text in in_docx, text
        assert text in in_pdf, text


@pytest.mark.django_db
def test_registered_letter_kind_renders_through_the_rows(vinh_long, ho_xa, as_user):
    saved = dict(registry._kinds)
    register_letter_kind(load_context=lambda pk: CONTEXT, unit_id=lambda pk: vinh_long.pk)
    try:
        response = as_user("officer").post("/van-ban/cong-van-khac-phuc/3/docx/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        document = services.request_document("deduction_letter", {"assessment_id": 3}, "docx")
        assert document.source_key == "assessment:3" and document.unit_id == vinh_long.pk
        assert services.render_document(document.pk).status == DocumentStatus.DONE
        assert as_user("officer").get(f"/van-ban/{document.pk}/tai/").status_code == 200
        assert as_user("reviewer").get(f"/van-ban/{document.pk}/tai/").status_code == 200
        assert as_user("other_officer").get(f"/van-ban/{document.pk}/tai/").status_code == 404
        assert as_user("other_officer").post("/van-ban/cong-van-khac-phuc/3/docx/").status_code == 404
        assert as_user("officer").post("/van-ban/cong-van-khac-phuc/3/odt/").status_code == 404
    finally:
        registry._kinds.clear()
        registry._kinds.update(saved)
