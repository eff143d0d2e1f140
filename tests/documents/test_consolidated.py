"""The district's consolidated report and the ZIP of a period's approved reports."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from reports import services as report_services
from reports.documents import services
from reports.documents.context import consolidated_document
from reports.documents.kinds import consolidated_inputs
from reports.documents.models import DocumentStatus, RenderedDocument

from .conftest import ONE_STOP, fill_report
from .helpers import docx_text, squash

pytestmark = pytest.mark.django_db

HO_XA = {**ONE_STOP, "carried_over": 0, "online": 100, "direct": 50, "postal": 0, "resolved_early": 60,
         "resolved_on_time": 70, "resolved_late": 10, "pending_in_time": 10, "pending_overdue": 0, "withdrawn": 0,
         "digitised": None}


def submit_on(report, actor, day):
    report_services.submit_report(report, actor=actor)
    report.refresh_from_db()
    report.submitted_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    report.save()
    return report


@pytest.fixture
def district_reports(make_report, vinh_long, ho_xa, users, period, colleague_parts):
    on_time = fill_report(make_report(vinh_long, 2024, "Q2"), data=colleague_parts)
    late = fill_report(make_report(ho_xa, 2024, "Q2"), data=colleague_parts, one_stop=HO_XA, tasks_done=5,
                       tasks_total=10)
    submit_on(on_time, users["leader"], period.deadline)
    submit_on(late, users["admin"], period.deadline + dt.timedelta(days=2))
    report_services.approve_report(on_time, actor=users["reviewer"])
    return on_time, late


@pytest.mark.requires_plugin("procedures", "indicators")
def test_consolidated_report_sums_the_communes(district_reports, vinh_long, period):
    unit, period, communes, reports = consolidated_inputs(vinh_long.parent_id, period.pk)
    document = consolidated_document(unit, period, communes, reports)
    figures = document["figures"]
    # 830 + 150 received; 273 + 140 resolved; (180 + 90 + 60 + 70) / 413 on time.
    assert figures["received"] == "980" and figures["resolved"] == "413"
    assert figures["on_time_rate"] == "96,85%" and figures["early_share"] == "58,11%"
    assert figures["tasks"] == "20/35"
    assert figures["communes"] == "18" and figures["filed"] == "2"
    assert figures["late"] == ["Thị trấn Hồ Xá"] and len(figures["missing"]) == 16
    text = " ".join(block["text"] for block in document["body"])
    assert "đã hoàn thành 20/35 nhiệm vụ trong kế hoạch cải cách hành chính, đạt 57,14%" in text
    assert "Các đơn vị gửi báo cáo muộn: Thị trấn Hồ Xá." in text
    summed = {row["cells"][0]: row["cells"][3] for row in document["appendices"][1]["rows"]}
    assert summed["3.3.1"] == "2.468"  # a count indicator: 1.234 × 2
    assert summed["1.4.2"] == "" and summed["3.2.4"] == ""  # a choice and a percent are not summed
    assert document["header"]["issuer"] == ["ỦY BAN NHÂN DÂN", "HUYỆN VĨNH LINH"]


@pytest.mark.requires_plugin("procedures", "indicators")
def test_consolidated_docx_through_the_rows(district_reports, vinh_long, period, as_user):
    client = as_user("reviewer")
    url = f"/tham-dinh/ky/{period.pk}/van-ban/tong-hop/{vinh_long.parent_id}/docx/"
    assert client.post(url).status_code == 302
    document = RenderedDocument.objects.get(kind="consolidated")
    assert services.render_document(document.pk).status == DocumentStatus.DONE
    response = client.get(f"/van-ban/{document.pk}/tai/")
    assert response.status_code == 200
    text = squash(docx_text(io.BytesIO(b"".join(response.streaming_content))))
    assert "đã tiếp nhận 980 hồ sơ" in text and "Thị trấn Hồ Xá" in text
    assert as_user("outside_reviewer").get(f"/van-ban/{document.pk}/tai/").status_code == 404
    assert as_user("officer").get(f"/van-ban/{document.pk}/tai/").status_code == 404
    assert as_user("outside_reviewer").post(url).status_code == 404
    assert as_user("officer").post(url).status_code == 403
    # the panel on the period page shows the link
    html = client.get(f"/tham-dinh/ky/{period.pk}/van-ban/").content.decode()
    assert f"/van-ban/{document.pk}/tai/" in html and "Tải tất cả báo cáo đã duyệt (ZIP)" in html


def test_zip_of_the_approved_reports(district_reports, vinh_long, period, users, as_user):
    on_time, late = district_reports
    report_services.approve_report(late, actor=users["reviewer"])
    client = as_user("reviewer")
    assert client.post(f"/tham-dinh/ky/{period.pk}/van-ban/zip/{vinh_long.parent_id}/docx/").status_code == 302
    bundle = RenderedDocument.objects.get(kind="bundle")
    assert services.render_document(bundle.pk).status == DocumentStatus.DONE
    response = client.get(f"/van-ban/{bundle.pk}/tai/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names == ["bao-cao-cchc-19363-2024-Q2.docx", "bao-cao-cchc-19387-2024-Q2.docx"]
    # each report's rendering is a row of its own, reused by the next ZIP or download
    assert RenderedDocument.objects.filter(kind="report", status=DocumentStatus.DONE).count() == 2
    assert as_user("other_officer").get(f"/van-ban/{bundle.pk}/tai/").status_code == 404
