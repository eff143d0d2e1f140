"""The overview's control and the download views: scope first (404), then the row's state."""

import pytest

from reports.documents import services
from reports.documents.models import DocumentStatus, RenderedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_document(filled_report):
    document = services.request_document("report", {"report_id": filled_report.pk}, "docx", dispatch=False)
    return services.render_document(document.pk)


@pytest.mark.parametrize("role, expected", [
    (None, 302), ("officer", 200), ("other_officer", 404), ("reviewer", 200), ("province_reviewer", 404),
    ("outside_reviewer", 404), ("admin", 200),
])
def test_download_permission_matrix(as_user, filled_report, done_document, role, expected):
    response = as_user(role).get(f"/bao-cao/{filled_report.pk}/van-ban/{done_document.pk}/tai/")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content)[:2] == b"PK"


def test_a_document_of_another_report_is_not_reachable_through_this_one(as_user, filled_report, done_document,
                                                                       make_report, vinh_long):
    other = make_report(vinh_long, 2024, "Q1")
    assert as_user("officer").get(f"/bao-cao/{other.pk}/van-ban/{done_document.pk}/tai/").status_code == 404


def test_post_requests_a_rendering_and_the_panel_polls_until_done(as_user, filled_report):
    client = as_user("officer")
    response = client.post(f"/bao-cao/{filled_report.pk}/van-ban/tao/pdf/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    document = RenderedDocument.objects.get(source_key=f"report:{filled_report.pk}", format="pdf")
    assert document.status == DocumentStatus.QUEUED and document.requested_by.username == "canbo.vinhlong"
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html and "progress-bar" in html

    services.render_document(document.pk)
    html = client.get(f"/bao-cao/{filled_report.pk}/van-ban/").content.decode()
    assert "every 2s" not in html
    assert f"/bao-cao/{filled_report.pk}/van-ban/{document.pk}/tai/" in html
    assert f"/bao-cao/{filled_report.pk}/van-ban/{document.pk}/xem-truoc.png" in html
    preview = client.get(f"/bao-cao/{filled_report.pk}/van-ban/{document.pk}/xem-truoc.png")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert b"".join(preview.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_overview_loads_the_panel(as_user, filled_report):
    html = as_user("officer").get(f"/bao-cao/{filled_report.pk}/").content.decode()
    assert f'hx-get="/bao-cao/{filled_report.pk}/van-ban/"' in html


def test_unknown_format_is_404(as_user, filled_report):
    assert as_user("officer").post(f"/bao-cao/{filled_report.pk}/van-ban/tao/odt/").status_code == 404


def test_out_of_scope_request_is_404(as_user, filled_report):
    assert as_user("other_officer").post(f"/bao-cao/{filled_report.pk}/van-ban/tao/pdf/").status_code == 404
    assert not RenderedDocument.objects.exists()
