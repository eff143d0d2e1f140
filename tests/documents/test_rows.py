"""Rendered documents are rows: one per version and format, written atomically, served only when
done and intact, expired when superseded."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from reports.documents import services
from reports.documents.models import DocumentStatus, RenderedDocument

pytestmark = pytest.mark.django_db


def request(report, fmt="docx", **kwargs):
    return services.request_document("report", {"report_id": report.pk}, fmt, **kwargs)


def test_rendering_the_same_version_twice_reuses_the_row_and_the_file(filled_report):
    first = services.render_document(request(filled_report).pk)
    assert first.status == DocumentStatus.DONE and first.progress == 100 and len(first.checksum) == 64
    assert first.file.name == f"documents/report/report-{filled_report.pk}-v{filled_report.revision}.docx"
    mtime = Path(first.file.path).stat().st_mtime_ns

    again = request(filled_report)
    assert again.pk == first.pk and again.status == DocumentStatus.DONE
    services.render_document(again.pk)  # a duplicate task does nothing
    assert Path(first.file.path).stat().st_mtime_ns == mtime
    assert RenderedDocument.objects.filter(source_key=f"report:{filled_report.pk}").count() == 1


def test_a_new_revision_gets_a_new_row_and_the_old_one_expires(filled_report):
    old = services.render_document(request(filled_report).pk)
    filled_report.revision += 1
    filled_report.save()
    new = request(filled_report)
    assert new.pk != old.pk and new.source_version == str(filled_report.revision)
    old.refresh_from_db()
    assert old.expires_at is not None and new.expires_at is None

    assert services.expire_documents(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not RenderedDocument.objects.filter(pk=old.pk).exists()
    assert not Path(old.file.path).exists()
    assert RenderedDocument.objects.filter(pk=new.pk).exists()


class Killed(BaseException):
    """What a worker killed mid-render looks like from inside: nothing after it runs."""


def test_a_worker_killed_mid_write_leaves_no_served_file(filled_report, monkeypatch, as_user):
    document = request(filled_report)

    def half_written(doc, path):
        Path(path).write_bytes(b"PK\x03\x04 half a document")
        raise Killed

    monkeypatch.setattr(services.docx_writer, "write_docx", half_written)
    with pytest.raises(Killed):
        services.render_document(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.RUNNING and not document.file and not document.checksum
    target = services.target_path(document)
    assert not target.exists() and not list(target.parent.glob("*.part"))
    url = f"/bao-cao/{filled_report.pk}/van-ban/{document.pk}/tai/"
    assert as_user("officer").get(url).status_code == 404

    monkeypatch.undo()  # the retry re-renders
    assert services.render_document(document.pk).status == DocumentStatus.DONE
    assert as_user("officer").get(url).status_code == 200


def test_killed_after_the_move_but_before_done_is_not_served(filled_report, monkeypatch, as_user):
    document = request(filled_report)

    def killed(path):
        raise Killed

    monkeypatch.setattr(services, "sha256_of", killed)
    with pytest.raises(Killed):
        services.render_document(document.pk)
    assert services.target_path(document).exists()  # complete file in place …
    document.refresh_from_db()
    assert document.status == DocumentStatus.RUNNING  # … but never marked done
    assert as_user("officer").get(f"/bao-cao/{filled_report.pk}/van-ban/{document.pk}/tai/").status_code == 404


def test_a_damaged_file_is_not_served_and_is_rendered_again(filled_report, as_user):
    document = services.render_document(request(filled_report).pk)
    Path(document.file.path).write_bytes(b"tampered")
    url = f"/bao-cao/{filled_report.pk}/van-ban/{document.pk}/tai/"
    assert as_user("officer").get(url).status_code == 404
    again = request(filled_report)
    assert again.pk == document.pk and again.status == DocumentStatus.QUEUED
    services.render_document(again.pk)
    assert as_user("officer").get(url).status_code == 200


def test_an_error_marks_the_row_failed_and_a_new_request_retries(filled_report, monkeypatch):
    document = request(filled_report)
    monkeypatch.setattr(services.docx_writer, "write_docx", lambda doc, path: 1 / 0)
    failed = services.render_document(document.pk)
    assert failed.status == DocumentStatus.FAILED and failed.error_code == "render_failed"
    monkeypatch.undo()
    retried = request(filled_report)
    assert retried.pk == document.pk and retried.status == DocumentStatus.QUEUED
    assert services.render_document(retried.pk).status == DocumentStatus.DONE


def test_the_task_is_sent_after_commit(filled_report, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "send_render", sent.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = request(filled_report)
    assert sent == [] and len(callbacks) == 1
    callbacks[0]()
    assert sent == [document.pk]
