"""The indicator-matrix export (communes × statistics-appendix codes of a period) started from the
ranking page: the reviewer's period form, the queued generated file and its htmx status line, the
workbook rendered by the core's ``render_document``, and the refusals (commune officers 403,
reviewers out of scope 404)."""

import re
from io import BytesIO

import pytest
from django.utils.text import capfirst
from openpyxl import load_workbook

from indicators.scoring import workbooks
from reports.demo import BEFORE, VINH_LINH
from reports.documents import services as document_services
from reports.documents.models import DocumentStatus, ErrorCode, RenderedDocument
from reports.models import PERIOD_ORDER, AdministrativeUnit, ReportingPeriod, period_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(db):
    return AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)


@pytest.fixture
def sent(monkeypatch):
    """Render tasks sent after commit (document ids), instead of a broker."""
    messages = []
    monkeypatch.setattr(document_services, "send_render", messages.append)
    return messages


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def matrix_data(district, period):
    return {"kind": "indicator_matrix", "unit": district.pk, "period": period.pk}


def offered_periods(page):
    """Option texts of the matrix-export form of a rendered ranking page ([] without the form)."""
    form = re.search(r'<form[^>]*data-testid="matrix-export".*?</form>', page, re.S)
    return re.findall(r"<option value=\"\d+\">([^<]+)</option>", form.group(0)) if form else []


def test_ranking_page_offers_the_periods_of_the_year_to_reviewers_only(as_user, district):
    page = as_user("reviewer").get(f"/chi-so/xep-hang/{district.pk}/2024/").content.decode()
    assert 'value="indicator_matrix"' in page
    kinds = set(ReportingPeriod.objects.filter(year=2024).values_list("kind", flat=True))
    assert kinds
    assert offered_periods(page) == [capfirst(period_label(2024, kind)) for kind in PERIOD_ORDER if kind in kinds]
    officer_page = as_user("officer").get(f"/chi-so/xep-hang/{district.pk}/2024/").content.decode()
    assert offered_periods(officer_page) == [] and 'value="indicator_matrix"' not in officer_page


def test_reviewer_starts_the_matrix_export_and_downloads_it(as_user, district, sent,
                                                              django_capture_on_commit_callbacks):
    period = ReportingPeriod.objects.get(year=2024, kind="Q1")
    client = as_user("reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/chi-so/xuat/", matrix_data(district, period), HTTP_HX_REQUEST="true")
    document = RenderedDocument.objects.get()
    assert response.status_code == 200 and sent == [document.pk]
    assert document.kind == workbooks.MATRIX and document.params == {"unit_id": district.pk, "period_id": period.pk}
    assert document.status == DocumentStatus.QUEUED and document.requested_by.username == "noivu.vinhlinh"
    fragment = response.content.decode()
    assert f'hx-get="/van-ban/{document.pk}/"' in fragment and 'hx-trigger="every 2s"' in fragment

    document = document_services.render_document(document.pk)
    assert document.status == DocumentStatus.DONE, document.error_code
    assert document.filename == f"chi-tieu-{district.code}-2024-Q1.xlsx"
    fragment = client.get(f"/van-ban/{document.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and f"/van-ban/{document.pk}/tai/" in fragment
    download = client.get(f"/van-ban/{document.pk}/tai/")
    assert download.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content)))["Chỉ tiêu"]
    communes = AdministrativeUnit.objects.communes().below(district).valid_on(period.reference_date)
    assert [c.value for c in sheet[1]][:3] == ["Mã", "Đơn vị", "Trạng thái"]
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == sorted(
        communes.values_list("code", flat=True))
    assert as_user("officer").get(f"/van-ban/{document.pk}/tai/").status_code == 404


def test_a_report_saved_again_makes_a_new_matrix_version(as_user, district, sent, make_report, vinh_long,
                                                         django_capture_on_commit_callbacks):
    period = ReportingPeriod.objects.get(year=2024, kind="Q2")
    client = as_user("reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/chi-so/xuat/", matrix_data(district, period), HTTP_HX_REQUEST="true")
        client.post("/chi-so/xuat/", matrix_data(district, period), HTTP_HX_REQUEST="true")
    first = RenderedDocument.objects.get()
    assert sent == [first.pk]  # the same data: one row, one rendering
    make_report(vinh_long, 2024, "Q2")  # a commune files its report
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/chi-so/xuat/", matrix_data(district, period), HTTP_HX_REQUEST="true")
    second = RenderedDocument.objects.exclude(pk=first.pk).get()
    assert second.source_version != first.source_version and sent == [first.pk, second.pk]
    first.refresh_from_db()
    assert first.expires_at is not None  # superseded


def test_a_failed_matrix_shows_the_message_not_the_exception(as_user, district, sent, monkeypatch):
    from indicators.scoring import exporters

    period = ReportingPeriod.objects.get(year=2024, kind="Q1")
    client = as_user("reviewer")
    client.post("/chi-so/xuat/", matrix_data(district, period))
    document = RenderedDocument.objects.get()

    def broken(*args, **kwargs):
        raise KeyError("appendix_value_table")

    monkeypatch.setattr(exporters, "indicator_matrix_workbook", broken)
    failed = document_services.render_document(document.pk)
    assert failed.status == DocumentStatus.FAILED and failed.error_code == ErrorCode.RENDER_FAILED
    page = client.get(f"/van-ban/{document.pk}/").content.decode()
    assert "Có lỗi khi tạo tệp" in page and "appendix_value_table" not in page and "KeyError" not in page


def test_without_htmx_the_reviewer_lands_on_the_document_page(as_user, district, sent,
                                                              django_capture_on_commit_callbacks):
    period = ReportingPeriod.objects.get(year=2024, kind="Q2")
    client = as_user("reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/chi-so/xuat/", matrix_data(district, period))
    document = RenderedDocument.objects.get()
    assert response.status_code == 302 and response.url == f"/van-ban/{document.pk}/"
    page = client.get(response.url).content.decode()
    assert "Bảng chỉ tiêu thống kê theo kỳ" in page and f'id="document-{document.pk}"' in page


@pytest.mark.parametrize("role, expected", [("officer", 403), ("leader", 403), ("outside_reviewer", 404),
                                            (None, 302)])
def test_matrix_export_is_refused_to_communes_and_out_of_scope(as_user, district, sent, role, expected):
    period = ReportingPeriod.objects.get(year=2024, kind="Q1")
    assert as_user(role).post("/chi-so/xuat/", matrix_data(district, period)).status_code == expected
    assert not RenderedDocument.objects.exists() and sent == []


def test_matrix_export_needs_a_period(as_user, district, sent):
    client = as_user("reviewer")
    assert client.post("/chi-so/xuat/", {"kind": "indicator_matrix", "unit": district.pk}).status_code == 404
    assert client.post("/chi-so/xuat/", {"kind": "indicator_matrix", "unit": district.pk,
                                         "period": "quý 1"}).status_code == 404
    assert client.post("/chi-so/xuat/", {"kind": "indicator_matrix", "unit": district.pk,
                                         "period": 999_999}).status_code == 404
    assert not RenderedDocument.objects.exists()
