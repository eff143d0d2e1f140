"""The commune PAR-index year 2024 in a real browser, end to end: Xã Vĩnh Long self-assesses with an
evidence PDF, the leader submits, the reviewer appraises round 1 (leaf 1.4.2 lowered with a
comment), the commune explains that leaf, the reviewer re-appraises it in round 2, the council
approves and the results are published; the ranking page places the commune third of five, and the
ranking workbook and a period's indicator matrix — exported by a real Celery worker on the
configured broker — are downloaded through the page and agree with it."""

import re
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils.text import capfirst
from openpyxl import load_workbook
from playwright.sync_api import expect

from cchc_portal.celery import app
from cchc_portal.lib.numbers import format_number, format_score
from indicators.models import Assessment, AssessmentStatus, EvidenceFile
from indicators.scoring.demo import varied_document
from indicators.scoring.services import import_assessment
from reports.demo import BEFORE, VINH_LINH, VINH_LONG
from reports.documents.models import DocumentStatus, RenderedDocument
from reports.models import AdministrativeUnit, ReportingPeriod
from tests.indicators.scoring_fixtures import install_criteria

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

YEAR = 2024
LEAF = "1.4.2"  # graded, 2 points: 1 in round 1, 1,5 after the explanation → final 99,50
# Finals of four other communes of Vĩnh Linh, approved before the test: Vĩnh Long comes third of five.
OTHER_FINALS = ["99.75", "99.60", "98.00", "96.50"]
EXPECTED_FINAL = Decimal("99.50")
EXPECTED_RANK = 3
EXPORT_TIMEOUT_MS = 90_000
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"


def logout(page):
    page.get_by_role("button", name="Đăng xuất").click()


def saved(page, text="Đã lưu."):
    expect(page.locator(".alert", has_text=text).first).to_be_visible()


@pytest.fixture
def scoring_year(base_data):
    """The 2024 criteria set of Quảng Trị (45) and four other communes of Vĩnh Linh, approved."""
    criteria_set = install_criteria("45", YEAR)
    district = AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    others = list(AdministrativeUnit.objects.communes().below(district).valid_on(BEFORE)
                  .exclude(code=VINH_LONG).order_by("code")[:len(OTHER_FINALS)])
    for unit, final in zip(others, OTHER_FINALS, strict=True):
        assessment = import_assessment(varied_document(criteria_set, unit.code, YEAR, final), actor=None)
        assert assessment.status == AssessmentStatus.APPROVED and assessment.final == Decimal(final)
    return criteria_set, district


@pytest.fixture
def worker(base_data):
    """A real Celery worker (thread, solo pool) on the configured broker, its queue emptied first."""
    with app.connection_for_write() as connection:
        try:
            connection.default_channel.queue_purge(app.conf.task_default_queue)  # messages of earlier runs
        except Exception:  # noqa: BLE001 - a queue that does not exist yet has nothing to purge
            pass

    def run():
        return start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30)

    return run


def download(page, link, tmp_path):
    with page.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_commune_year_from_self_assessment_to_ranking_workbook(page, login, portal, scoring_year, worker,
                                                               tmp_path):
    criteria_set, district = scoring_year
    leaves = list(criteria_set.criteria.filter(is_leaf=True).exclude(level__in=["bonus", "penalty"])
                  .order_by("position"))
    evidence_pdf = tmp_path / "bien-ban-toa-dam.pdf"
    evidence_pdf.write_bytes(PDF)

    # 1. The officer starts the 2024 self-assessment, scores every leaf and attaches evidence.
    login("canbo.vinhlong")
    page.goto(f"{portal}/chi-so/")
    page.locator("tr", has_text=str(YEAR)).get_by_role("button", name="Bắt đầu tự đánh giá").click()
    expect(page.get_by_role("heading", name=f"Chỉ số CCHC năm {YEAR} — Xã Vĩnh Long")).to_be_visible()
    assessment = Assessment.objects.get(unit__code=VINH_LONG, year=YEAR)
    assert assessment.leaves.count() == len(leaves)
    page.get_by_role("link", name="Tự chấm điểm").click()
    for criterion in leaves:
        page.get_by_label(f"Điểm tự chấm {criterion.code}", exact=True).fill(format_number(criterion.max_score))
    page.get_by_label(f"Giải thích {LEAF}", exact=True).fill("Tuyên truyền qua loa truyền thanh, Zalo và tọa đàm")
    page.get_by_role("button", name="Lưu").click()
    saved(page)
    leaf = assessment.leaves.get(criterion__code=LEAF)
    page.get_by_label(f"Tài liệu kiểm chứng {LEAF}", exact=True).set_input_files(str(evidence_pdf))
    page.locator(f"#leaf-{leaf.pk}").get_by_title("Tải lên").click()
    saved(page, "Đã đính kèm tài liệu kiểm chứng.")
    expect(page.locator(f"#leaf-{leaf.pk}").get_by_role("link", name="bien-ban-toa-dam.pdf")).to_be_visible()
    evidence = EvidenceFile.objects.get(leaf=leaf)
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    expect(page.get_by_role("button", name="Gửi bản tự đánh giá")).to_have_count(0)  # the leader's step
    logout(page)

    # 2. The leader submits.
    login("lanhdao.vinhlong")
    page.goto(f"{portal}/chi-so/danh-gia/{assessment.pk}/")
    page.get_by_role("button", name="Gửi bản tự đánh giá").click()
    saved(page, "Đã gửi bản tự đánh giá.")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SELF_SUBMITTED and assessment.self_total == Decimal(100)
    logout(page)

    # 3. The reviewer appraises round 1: 1.4.2 lowered to 1 with a comment; the commune may explain.
    login("noivu.vinhlinh")
    page.goto(f"{portal}/chi-so/danh-gia/{assessment.pk}/")
    page.get_by_role("link", name="Thẩm định vòng 1").click()
    expect(page.get_by_label(f"Điểm {LEAF}", exact=True)).to_have_value("2")  # the self score, prefilled
    page.get_by_label(f"Điểm {LEAF}", exact=True).fill("1")
    page.get_by_label(f"Ý kiến thẩm định {LEAF}", exact=True).fill("Chưa có kết quả tọa đàm")
    page.get_by_role("button", name="Lưu").click()
    saved(page)
    page.get_by_role("button", name="Gửi xã giải trình").click()
    saved(page, "Đã gửi kết quả vòng 1 để xã giải trình.")
    logout(page)

    # 4. The commune sees the comment and explains the leaf.
    login("canbo.vinhlong")
    page.goto(f"{portal}/chi-so/danh-gia/{assessment.pk}/")
    expect(page.locator(f"#leaf-{leaf.pk}")).to_contain_text("Chưa có kết quả tọa đàm")
    page.get_by_role("link", name="Giải trình", exact=True).click()
    page.get_by_label(f"Giải trình {LEAF}", exact=True).fill("Đã tổ chức tọa đàm ngày 20/11/2024, có biên bản kèm theo")
    page.get_by_label(f"Đề nghị xem xét lại {LEAF}", exact=True).check()
    page.get_by_role("button", name="Lưu").click()
    saved(page)
    expect(page.locator(f"#leaf-{leaf.pk}")).to_contain_text("Đề nghị xem xét")
    page.get_by_role("button", name="Gửi giải trình").click()
    saved(page, "Đã gửi giải trình.")
    logout(page)

    # 5. The reviewer re-appraises the disputed leaf in round 2; the council approves.
    login("noivu.vinhlinh")
    page.goto(f"{portal}/chi-so/danh-gia/{assessment.pk}/")
    page.get_by_role("link", name="Thẩm định vòng 2").click()
    expect(page.get_by_label(f"Điểm {LEAF}", exact=True)).to_have_value("1")  # round 1 carried over
    page.get_by_label(f"Điểm {LEAF}", exact=True).fill("1,5")
    page.get_by_label(f"Ý kiến thẩm định {LEAF}", exact=True).fill("Chấp nhận một phần giải trình")
    page.get_by_role("button", name="Lưu").click()
    saved(page)
    page.get_by_role("button", name="Hội đồng thông qua").click()
    saved(page, "Hội đồng đã thông qua kết quả.")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED and assessment.final == EXPECTED_FINAL

    # 6. Publication from the ranking page; Vĩnh Long is third of five.
    page.goto(f"{portal}/chi-so/")
    page.locator(".list-group-item", has_text=f"Năm {YEAR}").get_by_role("link", name="Xếp hạng").click()
    expect(page.get_by_role("heading", name=re.compile(f"Xếp hạng chỉ số CCHC năm {YEAR}"))).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Công bố kết quả").click()
    saved(page, f"Đã công bố kết quả của {len(OTHER_FINALS) + 1} đơn vị.")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(len(OTHER_FINALS) + 1)
    row = rows.filter(has_text="Xã Vĩnh Long")
    page_rank = row.locator("td").nth(0).inner_text().strip()
    page_final = row.locator("td.fw-bold.text-end").inner_text().strip()
    assert page_rank == str(EXPECTED_RANK) and page_final == format_score(EXPECTED_FINAL) == "99,50"
    expect(rows.nth(EXPECTED_RANK - 1)).to_contain_text("Xã Vĩnh Long")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.rank, assessment.rank_of) == (
        AssessmentStatus.PUBLISHED, EXPECTED_RANK, len(OTHER_FINALS) + 1)

    # 7. The workbooks, rendered by a real worker, downloaded through the page.
    with worker():
        page.get_by_role("button", name="Xuất Excel").click()
        link = page.locator("#export-area").get_by_role("link", name=re.compile(r"Tải xep-hang-chi-so-cchc-"))
        expect(link).to_be_visible(timeout=EXPORT_TIMEOUT_MS)
        workbook_path = download(page, link, tmp_path)
        ranking_job = RenderedDocument.objects.get(kind="ranking_workbook")
        assert ranking_job.status == DocumentStatus.DONE and ranking_job.progress == 100

        period = ReportingPeriod.objects.get(year=YEAR, kind="Q2")
        page.get_by_label("Bảng chỉ tiêu thống kê (các xã × mã chỉ tiêu) của kỳ").select_option(
            label=capfirst(period.label))
        page.get_by_role("button", name="Xuất bảng chỉ tiêu").click()
        link = page.locator("#export-area").get_by_role("link", name=re.compile(r"Tải chi-tieu-"))
        expect(link).to_be_visible(timeout=EXPORT_TIMEOUT_MS)
        matrix_path = download(page, link, tmp_path)

    assert workbook_path.name == f"xep-hang-chi-so-cchc-{district.code}-{YEAR}.xlsx"
    sheet = load_workbook(workbook_path)["Xếp hạng"]
    header = [cell.value for cell in sheet[1]]
    by_name = {r[header.index("Đơn vị")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(by_name) == len(OTHER_FINALS) + 1
    vinh_long = by_name["Xã Vĩnh Long"]
    assert str(vinh_long[header.index("Hạng")]) == page_rank
    assert format_score(Decimal(str(vinh_long[header.index("Tổng điểm")]))) == page_final
    assert vinh_long[header.index("Mã")] == VINH_LONG
    assert vinh_long[header.index("Xếp loại")] == assessment.classification

    assert matrix_path.name == f"chi-tieu-{district.code}-{YEAR}-{period.kind}.xlsx"
    matrix = load_workbook(matrix_path)["Chỉ tiêu"]
    codes = [r[0] for r in matrix.iter_rows(min_row=2, values_only=True)]
    assert VINH_LONG in codes and codes == sorted(codes)
    assert RenderedDocument.objects.get(kind="indicator_matrix").params == {"unit_id": district.pk, "period_id": period.pk}
    logout(page)

    # 8. The commune sees its published place.
    login("canbo.vinhlong")
    page.goto(f"{portal}/chi-so/")
    expect(page.locator("tr", has_text=str(YEAR))).to_contain_text(
        f"{EXPECTED_RANK}/{len(OTHER_FINALS) + 1} · {assessment.classification}")
    assert page.problems == []
