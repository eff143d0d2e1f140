"""A real Celery worker (in a thread) against the configured broker: filesystem on SQLite, Redis
when CELERY_BROKER_URL=redis://… — the request is sent after commit, the worker renders, the
download view serves the result."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth import get_user_model
from django.test import Client

from cchc_portal.celery import app
from reports.demo import BEFORE, VINH_LONG
from reports.documents.models import DocumentStatus, RenderedDocument
from reports.models import AdministrativeUnit, ReportingPeriod
from reports.services import open_report

from .conftest import fill_report, registered_parts

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(base_data):
    with app.connection_for_write() as connection:
        try:
            connection.default_channel.queue_purge(app.conf.task_default_queue)  # messages of earlier runs
        except Exception:  # noqa: BLE001 - a queue that does not exist yet has nothing to purge
            pass
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def wait_for(document_pk, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = RenderedDocument.objects.get(pk=document_pk)
        if document.status in (DocumentStatus.DONE, DocumentStatus.FAILED):
            return document
        time.sleep(0.2)
    raise AssertionError(f"document {document_pk} still {document.status} after {timeout}s")


def test_worker_renders_a_requested_pdf(worker):
    officer = get_user_model().objects.get(username="canbo.vinhlong")
    unit = AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE)
    with registered_parts() as data:
        report = fill_report(open_report(unit, ReportingPeriod.objects.get(year=2024, kind="Q2"), actor=officer),
                             data=data)
        client = Client()
        client.force_login(officer)
        assert client.post(f"/bao-cao/{report.pk}/van-ban/tao/pdf/").status_code == 302
        queued = RenderedDocument.objects.get(source_key=f"report:{report.pk}", format="pdf")
        document = wait_for(queued.pk)
        assert document.status == DocumentStatus.DONE, document.error_code
        assert document.progress == 100 and document.preview
        response = client.get(f"/bao-cao/{report.pk}/van-ban/{document.pk}/tai/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:5] == b"%PDF-"


@pytest.mark.requires_plugin("indicators")
def test_worker_renders_a_workbook_kind(worker):
    """A kind another app registers (scoring's ranking workbook, xlsx) goes through the same worker."""
    import io

    from openpyxl import load_workbook

    from reports.demo import VINH_LINH

    reviewer = get_user_model().objects.get(username="noivu.vinhlinh")
    district = AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    client = Client()
    client.force_login(reviewer)
    response = client.post("/chi-so/xuat/", {"kind": "ranking", "unit": district.pk, "year": 2023})
    assert response.status_code == 302
    queued = RenderedDocument.objects.get(kind="ranking_workbook")
    assert response.url == f"/van-ban/{queued.pk}/"
    document = wait_for(queued.pk)
    assert document.status == DocumentStatus.DONE, document.error_code
    download = client.get(f"/van-ban/{document.pk}/tai/")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Xếp hạng"]
    assert [cell.value for cell in sheet[1]][:3] == ["Hạng", "Mã", "Đơn vị"]
