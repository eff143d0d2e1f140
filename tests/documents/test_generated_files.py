"""One generated-file system: scope on every download, failures as codes with Vietnamese messages,
bounded attempts, stale re-send, and the temporary files of killed renders removed by the expiry.

A small kind of its own ("probe", an xlsx of a district, viewed by its reviewers exactly like a
consolidated report) keeps these tests fast; the real kinds go through the same functions."""

import dataclasses
import datetime as dt
import logging
import os
import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone

from reports import scope
from reports.documents import registry, services
from reports.documents.models import ERROR_MESSAGES, DocumentStatus, ErrorCode, RenderedDocument
from reports.models import AdministrativeUnit, Membership, Role

pytestmark = pytest.mark.django_db

PROBE = "probe"
SECRET = "detail-only-for-the-log /srv/private"


@pytest.fixture
def probe_kind():
    """Register the probe kind; ``behaviour["render"]`` may be replaced to make the render fail."""
    behaviour = {}

    def write(document, path):
        behaviour.get("before", lambda: None)()
        services.atomic_write(path, lambda temp: Path(temp).write_bytes(b"PK\x03\x04 probe workbook"))

    registry.register_kind(
        PROBE, title="Bảng thử", build_context=lambda p: {}, source_key=lambda p: f"probe:{p['unit_id']}",
        source_version=lambda p: str(p.get("version", 1)),
        may_view=lambda user, p: scope.reviews(user, AdministrativeUnit.objects.get(pk=p["unit_id"])),
        filename=lambda p, fmt: f"bang-thu-{p['unit_id']}.{fmt}", unit_id=lambda p: p["unit_id"],
        formats=("xlsx",), render=write,
    )
    yield behaviour
    registry._kinds.pop(PROBE, None)


@pytest.fixture
def district(vinh_long):
    return vinh_long.parent


def probe(district, *, dispatch=False, **params):
    return services.request_document(PROBE, {"unit_id": district.pk, **params}, "xlsx", dispatch=dispatch)


@pytest.fixture
def done_probe(probe_kind, district):
    document = services.render_document(probe(district).pk)
    assert document.status == DocumentStatus.DONE
    return document


# --- scope on every download -----------------------------------------------------------------------

def test_rows_for_user_follow_the_scope(done_probe, users):
    assert list(RenderedDocument.objects.for_user(users["reviewer"])) == [done_probe]
    assert list(RenderedDocument.objects.for_user(users["admin"])) == [done_probe]
    # the province reviewer works on the units since 2025; the district of 2024 is not under them
    for role in ("province_reviewer", "outside_reviewer", "officer", "other_officer"):
        assert not RenderedDocument.objects.for_user(users[role]).exists(), role


def test_a_reviewer_who_lost_the_role_gets_404(done_probe, users, as_user):
    client = as_user("reviewer")
    url = f"/van-ban/{done_probe.pk}/tai/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    Membership.objects.filter(user=users["reviewer"], role=Role.REVIEWER).delete()
    assert client.get(url).status_code == 404
    assert client.get(f"/van-ban/{done_probe.pk}/").status_code == 404


def test_an_officer_who_lost_the_commune_cannot_download_its_report(filled_report, users, as_user):
    document = services.render_document(
        services.request_document("report", {"report_id": filled_report.pk}, "docx", dispatch=False).pk)
    client = as_user("officer")
    assert client.get(f"/van-ban/{document.pk}/tai/").status_code == 200
    Membership.objects.filter(user=users["officer"]).delete()
    assert client.get(f"/van-ban/{document.pk}/tai/").status_code == 404
    assert client.get(f"/bao-cao/{filled_report.pk}/van-ban/{document.pk}/tai/").status_code == 404


@pytest.mark.parametrize("role", ["province_reviewer", "outside_reviewer", "officer", "other_officer"])
def test_out_of_scope_download_and_status_are_404(done_probe, as_user, role):
    client = as_user(role)
    assert client.get(f"/van-ban/{done_probe.pk}/tai/").status_code == 404
    assert client.get(f"/van-ban/{done_probe.pk}/").status_code == 404


def test_in_scope_but_refused_by_the_kind_is_404(done_probe, as_user):
    registry._kinds[PROBE] = dataclasses.replace(registry._kinds[PROBE], may_view=lambda user, params: False)
    assert as_user("reviewer").get(f"/van-ban/{done_probe.pk}/tai/").status_code == 404


def test_a_row_of_an_unregistered_kind_is_404(done_probe, as_user):
    registry._kinds.pop(PROBE)
    assert as_user("admin").get(f"/van-ban/{done_probe.pk}/tai/").status_code == 404


# --- failures are codes with Vietnamese messages ---------------------------------------------------

def test_a_failed_render_stores_a_code_and_the_page_shows_the_message(probe_kind, district, as_user, caplog):
    def explode():
        raise ValueError(SECRET)

    probe_kind["before"] = explode
    with caplog.at_level(logging.ERROR, logger="reports.documents.services"):
        failed = services.render_document(probe(district).pk)
    assert failed.status == DocumentStatus.FAILED and failed.error_code == ErrorCode.RENDER_FAILED
    assert SECRET in caplog.text  # the exception is logged …
    client = as_user("reviewer")
    for response in (client.get(f"/van-ban/{failed.pk}/"), client.get(f"/van-ban/{failed.pk}/", HTTP_HX_REQUEST="true")):
        html = response.content.decode()
        assert response.status_code == 200
        assert str(ERROR_MESSAGES[ErrorCode.RENDER_FAILED]) in html  # … the page shows the message only
        assert SECRET not in html and "ValueError" not in html
    assert client.get(f"/van-ban/{failed.pk}/tai/").status_code == 404


def test_a_missing_source_is_source_missing(district):
    document = RenderedDocument.objects.create(
        kind="consolidated", source_key="consolidated:gone", source_version="1", format="docx",
        params={"unit_id": district.pk, "period_id": 999_999}, unit=district)
    failed = services.render_document(document.pk)
    assert failed.status == DocumentStatus.FAILED and failed.error_code == ErrorCode.SOURCE_MISSING


def test_a_row_of_an_unregistered_kind_fails_as_unavailable(district):
    document = RenderedDocument.objects.create(kind="removed_plugin_kind", source_key="x:1", source_version="1",
                                               format="xlsx", unit=district)
    assert services.render_document(document.pk).error_code == ErrorCode.KIND_UNAVAILABLE


def test_the_report_panel_shows_the_message_not_the_exception(filled_report, as_user, monkeypatch):
    document = services.request_document("report", {"report_id": filled_report.pk}, "docx", dispatch=False)

    def broken(doc, path):
        raise ObjectDoesNotExist(SECRET)

    monkeypatch.setattr(services.docx_writer, "write_docx", broken)
    assert services.render_document(document.pk).error_code == ErrorCode.SOURCE_MISSING
    html = as_user("officer").get(f"/bao-cao/{filled_report.pk}/van-ban/").content.decode()
    assert str(ERROR_MESSAGES[ErrorCode.SOURCE_MISSING]) in html and SECRET not in html


# --- bounded attempts, stale re-send ---------------------------------------------------------------

@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "send_render", calls.append)
    return calls


def test_a_row_over_the_retry_bound_is_not_sent_again(probe_kind, district, sent,
                                                      django_capture_on_commit_callbacks):
    def explode():
        raise RuntimeError(SECRET)

    probe_kind["before"] = explode
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        with django_capture_on_commit_callbacks(execute=True):
            document = probe(district, dispatch=True)
        assert document.status == DocumentStatus.QUEUED and len(sent) == attempt
        document = services.render_document(document.pk)
        assert document.status == DocumentStatus.FAILED and document.attempts == attempt
    with django_capture_on_commit_callbacks(execute=True):
        again = probe(district, dispatch=True)
    assert again.pk == document.pk and len(sent) == services.MAX_ATTEMPTS  # nothing sent
    assert again.status == DocumentStatus.FAILED and again.error_code == ErrorCode.GAVE_UP
    # a duplicate task does not render it either
    probe_kind["before"] = lambda: None
    assert services.render_document(again.pk).status == DocumentStatus.FAILED
    # an administrator's retry starts the attempts again
    with django_capture_on_commit_callbacks(execute=True):
        services.retry(again.pk)
    assert sent[-1] == again.pk and services.render_document(again.pk).status == DocumentStatus.DONE


def test_a_task_retried_past_the_bound_gives_up_without_rendering(probe_kind, district):
    document = probe(district)
    RenderedDocument.objects.filter(pk=document.pk).update(attempts=services.MAX_ATTEMPTS)
    rendered = []
    probe_kind["before"] = lambda: rendered.append(1)
    result = services.render_document(document.pk)
    assert result.status == DocumentStatus.FAILED and result.error_code == ErrorCode.GAVE_UP and rendered == []


def test_stale_rows_are_sent_again_until_the_bound(probe_kind, district, sent, django_capture_on_commit_callbacks):
    lost = probe(district, version=1)
    spent = probe(district, version=2)
    fresh = probe(district, version=3)
    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1)
    RenderedDocument.objects.filter(pk__in=[lost.pk, spent.pk]).update(
        status=DocumentStatus.RUNNING, updated_at=long_ago)
    RenderedDocument.objects.filter(pk=spent.pk).update(attempts=services.MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resend_stale() == 1
    assert sent == [lost.pk]
    spent.refresh_from_db()
    assert spent.status == DocumentStatus.FAILED and spent.error_code == ErrorCode.TIMEOUT
    fresh.refresh_from_db()
    assert fresh.status == DocumentStatus.QUEUED


def test_the_task_retries_are_bounded():
    from reports.documents.tasks import render_document_task

    assert render_document_task.max_retries == services.MAX_ATTEMPTS
    assert render_document_task.soft_time_limit


# --- temporary files of killed renders -------------------------------------------------------------

def test_expiry_removes_stale_part_files_of_killed_renders(done_probe):
    folder = Path(done_probe.file.path).parent
    old = folder / ".bang-thu-v1-killed.part"
    young = folder / ".bang-thu-v1-running.part"
    old.write_bytes(b"half")
    young.write_bytes(b"half")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert services.expire_documents() == 0
    assert not old.exists()
    assert young.exists()  # a render still writing it
    assert Path(done_probe.file.path).exists()


def test_the_report_panel_offers_no_retry_once_given_up(filled_report, as_user):
    document = services.request_document("report", {"report_id": filled_report.pk}, "docx", dispatch=False)
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error_code=ErrorCode.GAVE_UP, attempts=services.MAX_ATTEMPTS)
    html = as_user("officer").get(f"/bao-cao/{filled_report.pk}/van-ban/").content.decode()
    assert str(ERROR_MESSAGES[ErrorCode.GAVE_UP]) in html
    assert 'data-testid="render-docx"' not in html and 'data-testid="render-pdf"' in html


def test_the_admin_shows_the_message_and_retries_a_row_that_gave_up(probe_kind, district, as_user, sent,
                                                                   django_capture_on_commit_callbacks):
    document = probe(district)
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error_code=ErrorCode.GAVE_UP, attempts=services.MAX_ATTEMPTS)
    client = as_user("admin")
    page = client.get(reverse("admin:reports_rendereddocument_change", args=[document.pk])).content.decode()
    assert str(ERROR_MESSAGES[ErrorCode.GAVE_UP]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:reports_rendereddocument_changelist"), {
            "action": "retry_documents", "_selected_action": [document.pk]})
    assert response.status_code == 302 and sent == [document.pk]
    document.refresh_from_db()
    assert (document.status, document.error_code, document.attempts) == (DocumentStatus.QUEUED, "", 0)


def test_a_damaged_file_is_rendered_again_even_after_many_attempts(done_probe, probe_kind, district, sent,
                                                                  django_capture_on_commit_callbacks):
    RenderedDocument.objects.filter(pk=done_probe.pk).update(attempts=services.MAX_ATTEMPTS)
    Path(done_probe.file.path).write_bytes(b"damaged on disk")
    with django_capture_on_commit_callbacks(execute=True):
        again = probe(district, dispatch=True)
    assert again.pk == done_probe.pk and sent == [done_probe.pk]
    assert again.status == DocumentStatus.QUEUED and again.attempts == 0
    assert services.render_document(again.pk).status == DocumentStatus.DONE


# --- a render killed outside Celery: the heartbeat ------------------------------------------------

def _running(document, *, beat_ago, attempts=1):
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RUNNING, progress=40, attempts=attempts,
        started_at=timezone.now() - beat_ago, updated_at=timezone.now() - beat_ago)


def test_the_heartbeat_is_far_shorter_than_the_stale_delay():
    assert services.HEARTBEAT_TIMEOUT < services.STALE_AFTER


def test_a_running_row_whose_heartbeat_stopped_is_sent_again_at_once(probe_kind, district, sent,
                                                                    django_capture_on_commit_callbacks):
    document = probe(district)
    # killed two heartbeats ago: well within STALE_AFTER, so only the heartbeat can tell it is lost
    _running(document, beat_ago=services.HEARTBEAT_TIMEOUT + dt.timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        again = probe(district, dispatch=True)
    assert again.pk == document.pk and sent == [document.pk]
    assert (again.status, again.progress, again.attempts) == (DocumentStatus.QUEUED, 0, 1)
    done = services.render_document(again.pk)
    assert (done.status, done.attempts) == (DocumentStatus.DONE, 2)


def test_a_running_row_with_a_fresh_heartbeat_is_not_sent_again(probe_kind, district, sent,
                                                              django_capture_on_commit_callbacks):
    document = probe(district)
    _running(document, beat_ago=services.HEARTBEAT_TIMEOUT - dt.timedelta(seconds=30))
    with django_capture_on_commit_callbacks(execute=True):
        again = probe(district, dispatch=True)
        assert services.resend_stale() == 0
    assert sent == [] and again.status == DocumentStatus.RUNNING and again.progress == 40


def test_a_queued_row_waits_for_the_stale_delay_not_the_heartbeat(probe_kind, district, sent,
                                                                 django_capture_on_commit_callbacks):
    document = probe(district)
    RenderedDocument.objects.filter(pk=document.pk).update(
        updated_at=timezone.now() - services.HEARTBEAT_TIMEOUT - dt.timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        probe(district, dispatch=True)
    assert sent == []  # its message may still be waiting in the broker


def test_the_periodic_resend_uses_the_heartbeat_too(probe_kind, district, sent,
                                                   django_capture_on_commit_callbacks):
    lost = probe(district, version=1)
    spent = probe(district, version=2)
    for document in (lost, spent):
        _running(document, beat_ago=services.HEARTBEAT_TIMEOUT + dt.timedelta(seconds=5))
    RenderedDocument.objects.filter(pk=spent.pk).update(attempts=services.MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resend_stale() == 1
    assert sent == [lost.pk]
    spent.refresh_from_db()
    assert spent.status == DocumentStatus.FAILED and spent.error_code == ErrorCode.TIMEOUT


def test_an_interrupted_render_stops_beating_and_is_sent_again_when_asked(
        probe_kind, district, sent, monkeypatch, django_capture_on_commit_callbacks):
    # Ctrl-C in a command that renders in-process: no Celery, nothing marks the row.
    def interrupt():
        raise KeyboardInterrupt

    probe_kind["before"] = interrupt
    document = probe(district)
    with pytest.raises(KeyboardInterrupt):
        services.render_document(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.RUNNING
    assert not [t for t in threading.enumerate() if t.name == f"heartbeat-{document.pk}"]
    assert not list(Path(services.documents_dir(), PROBE).glob("*.part"))
    monkeypatch.setattr(services, "HEARTBEAT_TIMEOUT", dt.timedelta(0))  # the timeout has passed
    probe_kind["before"] = lambda: None
    with django_capture_on_commit_callbacks(execute=True):
        again = probe(district, dispatch=True)
    assert sent == [document.pk] and again.status == DocumentStatus.QUEUED
    assert services.render_document(again.pk).status == DocumentStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_a_long_render_keeps_beating_so_it_is_not_taken_for_lost(probe_kind, district, monkeypatch):
    monkeypatch.setattr(services, "HEARTBEAT_TIMEOUT", dt.timedelta(seconds=0.4))  # a beat every 0.1 s
    seen = {}

    def slow():
        start = RenderedDocument.objects.get(source_key=f"probe:{district.pk}").updated_at
        time.sleep(0.8)  # no set_progress meanwhile
        row = RenderedDocument.objects.get(source_key=f"probe:{district.pk}")
        seen.update(moved=row.updated_at - start, stale=services.is_stale(row))

    probe_kind["before"] = slow
    document = services.render_document(probe(district).pk)
    assert document.status == DocumentStatus.DONE
    assert seen["moved"] >= dt.timedelta(seconds=0.4) and seen["stale"] is False
    assert not [t for t in threading.enumerate() if t.name == f"heartbeat-{document.pk}"]


def test_lost_renders_are_re_sent_by_a_frequent_beat_task(probe_kind, district, sent, settings,
                                                          django_capture_on_commit_callbacks):
    from cchc_portal.celery import app
    from reports.documents.tasks import resend_stale_documents_task

    entry = settings.CELERY_BEAT_SCHEDULE["resend-lost-renders"]
    assert entry["task"] in app.tasks and entry["task"] == resend_stale_documents_task.name
    assert len(entry["schedule"].minute) >= 12  # at least every five minutes
    document = probe(district)
    _running(document, beat_ago=services.HEARTBEAT_TIMEOUT + dt.timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_stale_documents_task() == 1
    assert sent == [document.pk]
