"""Generated files as rows: request a rendering, render it (what the Celery task runs), expire.

``request_document`` is called by views and commands: it finds or creates the row for (source,
version, format) and sends the task (``tasks.render_document_task``, by name) after commit.
``render_document(document_id)`` is the task's body; tests call it directly. Files are written to a
temporary file in the target directory, fsynced and moved into place with ``os.replace`` before the
row is marked done, so a worker killed mid-render never leaves a file that is served (and the
periodic ``expire_documents`` removes the ``.part`` file it leaves behind).

A running render beats: a thread bumps the row's ``updated_at`` every quarter of
``HEARTBEAT_TIMEOUT`` (as ``set_progress`` does). A row ``running`` without a beat for longer than
that lost its renderer (a worker or a command killed, OOM, a machine restarted): asking for it again
re-sends it at once, and the periodic ``resend_stale`` does the same; a ``queued`` row is re-sent
only after ``STALE_AFTER`` (its message may still be waiting in the broker).

Failures are stored as an ``ErrorCode`` (the exception is logged, never shown). A row is rendered at
most ``MAX_ATTEMPTS`` times: beyond that it is failed with ``gave_up`` and neither a new request, the
stale re-send nor a task retry renders it again (an administrator may ``retry`` it; a new version of
the source gets a new row).
"""

import datetime as dt
import logging
import os
import tempfile
import threading
from functools import partial
from pathlib import Path

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from cchc_portal.lib import docx_writer, pdf_writer

from .models import DocumentStatus, ErrorCode, RenderedDocument, sha256_of
from .registry import get_kind, is_registered

log = logging.getLogger(__name__)

RENDER_TASK = "reports.render_document"

# A superseded version's file is kept this long (a colleague may still be downloading it).
RETENTION = dt.timedelta(days=getattr(settings, "DOCUMENT_RETENTION_DAYS", 7))
# A row queued or running for longer than this is presumed lost (worker killed) and re-sent.
STALE_AFTER = dt.timedelta(minutes=getattr(settings, "DOCUMENT_STALE_MINUTES", 10))
# A row running without a heartbeat for longer than this lost its renderer and is re-sent at once.
HEARTBEAT_TIMEOUT = dt.timedelta(seconds=getattr(settings, "DOCUMENT_HEARTBEAT_SECONDS", 120))
# A row is rendered at most this many times (failures, lost workers, transient retries together).
MAX_ATTEMPTS = getattr(settings, "DOCUMENT_MAX_ATTEMPTS", 3)
# A temporary file of ``atomic_write`` older than this belongs to a render that was killed.
PART_MAX_AGE = dt.timedelta(minutes=getattr(settings, "DOCUMENT_PART_MAX_AGE_MINUTES", 60))
PART_SUFFIX = ".part"


class DocumentError(Exception):
    """A refused request; ``str(error)`` is the message for the user."""


class RenderError(Exception):
    """A failure a kind's ``render`` can name: stored as ``code`` (an ``ErrorCode``); the detail
    goes to the log only."""

    def __init__(self, code, detail=""):
        super().__init__(detail or code)
        self.code = code


def documents_dir():
    path = Path(settings.MEDIA_ROOT) / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def send_render(document_id):
    """Send the render task by its registered name: the task module (``tasks``) imports this one,
    never the reverse."""
    current_app.send_task(RENDER_TASK, args=[document_id])


def _dispatch(document):
    transaction.on_commit(partial(send_render, document.pk))


def request_document(kind, params, fmt, *, user=None, dispatch=True):
    """The row rendering ``params`` of ``kind`` in ``fmt`` at the source's current version.

    Reuses an existing row of the same version (done: nothing to do; failed or with a damaged
    file: queued again while it has attempts left; running without a heartbeat, or queued for too
    long: task re-sent, or failed with ``timeout`` once its attempts are used up). A new version marks the previous versions'
    rows to expire. The task is sent after the transaction commits."""
    spec = get_kind(kind)
    if fmt not in spec.formats:
        raise DocumentError(f"{spec.title} không có định dạng {fmt}.")
    key, version = spec.source_key(params), spec.version_of(params)
    now = timezone.now()
    with transaction.atomic():
        document, created = RenderedDocument.objects.get_or_create(
            source_key=key, source_version=version, format=fmt,
            defaults={
                "kind": kind, "params": params, "report_id": spec.report_id(params), "unit_id": spec.unit_id(params),
                "requested_by": user if user is not None and user.is_authenticated else None,
                "expires_at": now + spec.retention if spec.retention else None,
            },
        )
        send = created
        if created:
            (RenderedDocument.objects.filter(source_key=key, format=fmt, expires_at__isnull=True)
             .exclude(pk=document.pk).update(expires_at=now + RETENTION))
        else:
            document = RenderedDocument.objects.select_for_update().get(pk=document.pk)
            send = _revive(document, now)
        if send and dispatch:
            _dispatch(document)
    return document


def has_attempts_left(document):
    return document.attempts < MAX_ATTEMPTS


def _revive(document, now):
    """Whether the (locked) row of an existing version must be rendered again; resets it if so."""
    if document.status == DocumentStatus.DONE and not document.file_is_intact():
        # A file damaged or lost after a successful render: not a failure of the render, so the
        # attempts start again.
        document.attempts = 0
        document.save(update_fields=["attempts", "updated_at"])
        _reset(document)
        return True
    if document.status == DocumentStatus.FAILED:
        if not has_attempts_left(document):  # failed too often: not rendered again
            _fail(document.pk, ErrorCode.GAVE_UP)
            document.refresh_from_db()
            return False
        _reset(document)
        return True
    if is_stale(document, now):
        if not has_attempts_left(document):
            _fail(document.pk, ErrorCode.TIMEOUT)
            document.refresh_from_db()
            return False
        if document.status == DocumentStatus.RUNNING:  # its renderer is gone: waiting again
            _reset(document)
        else:
            document.save(update_fields=["updated_at"])
        return True
    return False


def is_stale(document, now=None):
    """Running without a heartbeat for ``HEARTBEAT_TIMEOUT``, or queued for ``STALE_AFTER``."""
    now = now or timezone.now()
    if document.status == DocumentStatus.RUNNING:
        return document.updated_at < now - HEARTBEAT_TIMEOUT
    return document.status == DocumentStatus.QUEUED and document.updated_at < now - STALE_AFTER


def _stale_rows(now):
    return RenderedDocument.objects.filter(
        Q(status=DocumentStatus.QUEUED, updated_at__lt=now - STALE_AFTER)
        | Q(status=DocumentStatus.RUNNING, updated_at__lt=now - HEARTBEAT_TIMEOUT))


def _reset(document):
    document.status, document.progress, document.error_code = DocumentStatus.QUEUED, 0, ""
    document.checksum = ""
    document.save(update_fields=["status", "progress", "error_code", "checksum", "updated_at"])


def _fail(document_id, code, *, include_done=False):
    """Mark the row failed with ``code`` (a done row only with ``include_done``: its file is damaged)."""
    rows = RenderedDocument.objects.filter(pk=document_id)
    if not include_done:
        rows = rows.exclude(status=DocumentStatus.DONE)
    rows.update(status=DocumentStatus.FAILED, error_code=code, progress=0, updated_at=timezone.now())


def retry(document_id, *, dispatch=True):
    """An administrator's explicit retry: the attempts start again and the row is queued."""
    with transaction.atomic():
        document = RenderedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or (document.status == DocumentStatus.DONE and document.file_is_intact()):
            return document
        document.attempts = 0
        document.save(update_fields=["attempts", "updated_at"])
        _reset(document)
        if dispatch:
            _dispatch(document)
    return document


def resend_stale(now=None):
    """Re-send the task of rows running without a heartbeat (a lost worker) or queued for longer
    than ``STALE_AFTER`` (a lost message); a row without attempts left is failed with ``timeout``
    instead. Returns the number re-sent."""
    now = now or timezone.now()
    sent = 0
    for document_id in _stale_rows(now).values_list("pk", flat=True):
        with transaction.atomic():
            document = RenderedDocument.objects.select_for_update().get(pk=document_id)
            if _revive(document, now):
                _dispatch(document)
                sent += 1
    return sent


def set_progress(document_id, progress):
    RenderedDocument.objects.filter(pk=document_id).update(progress=progress, updated_at=timezone.now())


class Heartbeat:
    """While a render runs, a daemon thread bumps its row's ``updated_at`` every ``interval``
    seconds (a quarter of ``HEARTBEAT_TIMEOUT``). Killing the process kills the beat with it, so a
    row that stopped beating has lost its renderer. The thread uses (and closes) its own database
    connection; a failed beat is logged and the next one tried."""

    def __init__(self, document_id, interval=None):
        self.document_id = document_id
        self.interval = interval or max(HEARTBEAT_TIMEOUT.total_seconds() / 4, 0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{document_id}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=5)
        return False

    def beat(self):
        RenderedDocument.objects.filter(pk=self.document_id, status=DocumentStatus.RUNNING).update(
            updated_at=timezone.now())

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except DatabaseError as error:
                    log.warning("Heartbeat of document %s failed: %s", self.document_id, error)
        finally:
            connection.close()


def target_path(document):
    """MEDIA_ROOT/documents/<kind>/<source>-v<version>.<ext>: one file per row, stable across retries."""
    stem = slugify(document.source_key.replace(":", "-").replace("=", "-")) or f"document-{document.pk}"
    version = slugify(document.source_version)[:32]
    folder = documents_dir() / document.kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{stem}-v{version}.{document.format}"


def atomic_write(path, write):
    """Call ``write(temp_path)`` for a temporary file next to ``path``, fsync it, then move it into
    place with ``os.replace``; on any error the temporary file is removed and ``path`` untouched."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=PART_SUFFIX)
    os.close(handle)
    try:
        write(temp)
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_document(document_dict, fmt, path):
    """Render the plain document dict to ``path`` in ``fmt`` (atomically)."""
    writer = {"docx": docx_writer.write_docx, "pdf": pdf_writer.write_pdf}[fmt]
    return atomic_write(path, lambda temp: writer(document_dict, temp))


def render_document(document_id):
    """Render row ``document_id`` unless it is already done with an intact file.

    Marks the row running (one more attempt; none left: failed with ``gave_up``), builds the
    context, writes the file atomically (and, for a PDF, a PNG of its first page), then records
    checksum and size and marks it done. A non-transient error marks it failed with its code (the
    exception is logged); a transient one (database locked, connection lost) propagates so the
    task retries, the row staying queued."""
    with transaction.atomic():
        document = RenderedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return None
        if document.status == DocumentStatus.DONE and document.file_is_intact():
            return document
        if document.status == DocumentStatus.FAILED and document.error_code == ErrorCode.GAVE_UP:
            return document
        if not has_attempts_left(document):
            _fail(document.pk, ErrorCode.GAVE_UP, include_done=True)
            return RenderedDocument.objects.get(pk=document.pk)
        document.status, document.progress, document.error_code = DocumentStatus.RUNNING, 5, ""
        document.started_at = timezone.now()
        document.attempts += 1
        document.save()
    try:
        with Heartbeat(document.pk):
            checksum, size, preview, filename, path = _render(document)
    except TRANSIENT_ERRORS:
        RenderedDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.QUEUED, progress=0, updated_at=timezone.now())
        raise
    except Exception as error:  # noqa: BLE001 - every failure becomes a stored code; the detail is logged
        code = _error_code(error)
        log.exception("Rendering document %s (%s) failed: %s", document.pk, document.kind, code)
        _fail(document.pk, code)
        return RenderedDocument.objects.get(pk=document.pk)
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.DONE, progress=100, checksum=checksum, size=size, error_code="",
        file=str(path.relative_to(settings.MEDIA_ROOT)), preview=preview, filename=filename,
        finished_at=timezone.now(), updated_at=timezone.now(),
    )
    return RenderedDocument.objects.get(pk=document.pk)


def _render(document):
    """Write the row's file; (checksum, size, preview name, download name, path)."""
    if not is_registered(document.kind):
        raise RenderError(ErrorCode.KIND_UNAVAILABLE, f"kind {document.kind!r} is not registered")
    spec = get_kind(document.kind)
    path = target_path(document)
    filename = spec.filename(document.params, document.format)
    if spec.render is not None:
        spec.render(document, path)
    else:
        context = spec.build_context(document.params)
        set_progress(document.pk, 40)
        write_document(context, document.format, path)
    set_progress(document.pk, 85)
    preview = ""
    if document.format == "pdf":
        preview_path = path.with_suffix(".png")
        try:
            atomic_write(preview_path, lambda temp: pdf_writer.first_page_png(path, temp))
            preview = str(preview_path.relative_to(settings.MEDIA_ROOT))
        except (OSError, RuntimeError) as error:  # a missing pdftoppm costs the preview only
            log.warning("No preview for document %s: %s", document.pk, error)
    return sha256_of(path), path.stat().st_size, preview, filename, path


def _error_code(error):
    if isinstance(error, RenderError):
        return error.code
    if isinstance(error, ObjectDoesNotExist):
        return ErrorCode.SOURCE_MISSING
    if isinstance(error, SoftTimeLimitExceeded):
        return ErrorCode.TIMEOUT
    return ErrorCode.RENDER_FAILED


def _transient_errors():
    from django.db import InterfaceError, OperationalError

    return (OperationalError, InterfaceError)


TRANSIENT_ERRORS = _transient_errors()


def mark_failed(document_id, code=ErrorCode.GAVE_UP):
    """Called when the task gives up (its retries used up): the row fails with ``code``."""
    _fail(document_id, code)


def remove_stale_parts(now=None):
    """Remove the temporary files (``*.part``) of renders killed before ``os.replace`` that are
    older than ``PART_MAX_AGE`` (a running render's file is younger). Returns how many."""
    cutoff = (now or timezone.now()).timestamp() - PART_MAX_AGE.total_seconds()
    removed = 0
    for part in documents_dir().rglob(f"*{PART_SUFFIX}"):
        try:
            if part.is_file() and part.stat().st_mtime < cutoff:
                part.unlink()
                removed += 1
        except FileNotFoundError:  # finished or removed meanwhile
            continue
    return removed


def expire_documents(now=None):
    """Delete rows (and their files) whose ``expires_at`` has passed; failed rows older than the
    retention go too; and the ``.part`` files killed renders left. Returns the number of rows removed."""
    now = now or timezone.now()
    stale = RenderedDocument.objects.expired(now) | RenderedDocument.objects.filter(
        status=DocumentStatus.FAILED, updated_at__lt=now - RETENTION)
    removed = 0
    for document in stale.distinct().iterator():
        for field in (document.file, document.preview):
            if field:
                Path(settings.MEDIA_ROOT, field.name).unlink(missing_ok=True)
        document.delete()
        removed += 1
    parts = remove_stale_parts(now)
    if removed or parts:
        log.info("Expired %s generated files and %s temporary files", removed, parts)
    return removed
