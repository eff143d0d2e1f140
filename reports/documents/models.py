"""Generated files are rows: one per (source, version, format), with status, progress and checksum.

Every generated file of the portal is a kind of this one model: the core's documents (a commune's
report, a consolidated report, a ZIP of approved reports) and the kinds other apps register (a
letter, an Excel workbook). Imported at the end of ``reports/models.py`` so the model belongs to the
``reports`` app.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The core's own kinds. Other apps register theirs by name in the registry (the column holds
    any registered name, so the core never lists a plug-in's kinds)."""

    REPORT = "report", _("Báo cáo CCHC của xã")
    CONSOLIDATED = "consolidated", _("Báo cáo tổng hợp")
    BUNDLE = "bundle", _("Tệp nén các báo cáo đã duyệt")


class DocumentFormat(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"
    ZIP = "zip", "ZIP"
    XLSX = "xlsx", "XLSX"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class ErrorCode(models.TextChoices):
    """Why a rendering failed. Only the code is stored; the user reads ``ERROR_MESSAGES`` (the
    exception itself goes to the log, never to the page)."""

    SOURCE_MISSING = "source_missing", _("Thiếu dữ liệu nguồn")
    KIND_UNAVAILABLE = "kind_unavailable", _("Loại văn bản không còn được hỗ trợ")
    RENDER_FAILED = "render_failed", _("Lỗi khi tạo tệp")
    TIMEOUT = "timeout", _("Quá thời gian")
    GAVE_UP = "gave_up", _("Đã thử quá số lần cho phép")


ERROR_MESSAGES = {
    ErrorCode.SOURCE_MISSING: _("Không tìm thấy dữ liệu để tạo tệp (báo cáo, đơn vị hoặc kỳ báo cáo đã bị xóa "
                                "hoặc chưa có). Hãy kiểm tra lại dữ liệu rồi yêu cầu tạo lại."),
    ErrorCode.KIND_UNAVAILABLE: _("Loại văn bản này không còn được cổng hỗ trợ."),
    ErrorCode.RENDER_FAILED: _("Có lỗi khi tạo tệp. Hãy thử tạo lại; nếu vẫn lỗi, xin báo quản trị viên."),
    ErrorCode.TIMEOUT: _("Tạo tệp quá lâu nên đã dừng. Hãy thử lại sau hoặc báo quản trị viên."),
    ErrorCode.GAVE_UP: _("Đã thử tạo tệp nhiều lần nhưng không thành công; cổng không tự thử lại nữa. "
                         "Xin báo quản trị viên."),
}


def error_message(code):
    """The Vietnamese message of an error code (an unknown code reads as a generic failure)."""
    return ERROR_MESSAGES.get(code, ERROR_MESSAGES[ErrorCode.RENDER_FAILED])


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


class RenderedDocumentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Rows whose unit is in the user's scope (``reports.scope``); a row without a unit (a
        ZIP of every commune) only for national staff. The kind's ``may_view`` decides the rest."""
        from .. import scope  # reports.models imports this module before the unit models exist

        return scope.scoped(self, user, "unit")

    def servable(self):
        return self.filter(status=DocumentStatus.DONE).exclude(file="")

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class RenderedDocument(models.Model):
    """One rendering of one version of a source (a report, a consolidated report, a letter, a ZIP,
    a workbook).

    ``source_key`` names the source ("report:15", "consolidated:unit=464:period=8",
    "assessment:3"); ``source_version`` is the report's revision or a hash of the inputs. Rendering
    the same version in the same format again reuses the row and its file. The file is written
    atomically by the worker and served only while ``status`` is done and its SHA-256 matches
    ``checksum``. Rows of superseded versions get ``expires_at`` and are removed by the periodic
    cleanup task. A failure is stored as an ``ErrorCode``; ``attempts`` bounds the retries.
    """

    kind = models.CharField(_("loại văn bản"), max_length=32, help_text=_("Tên loại đã đăng ký"))
    source_key = models.CharField(_("nguồn"), max_length=160)
    source_version = models.CharField(_("phiên bản nguồn"), max_length=64)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    report = models.ForeignKey(
        "reports.Report", verbose_name=_("báo cáo"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="documents",
    )
    unit = models.ForeignKey(
        "reports.AdministrativeUnit", verbose_name=_("đơn vị"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="documents",
        help_text=_("Đơn vị quyết định ai được tải văn bản (xã của báo cáo, huyện/tỉnh của báo cáo tổng hợp)"),
    )
    format = models.CharField(_("định dạng"), max_length=8, choices=DocumentFormat.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error_code = models.CharField(_("mã lỗi"), max_length=32, choices=ErrorCode.choices, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to="documents/", max_length=300, blank=True)
    preview = models.FileField(_("ảnh trang đầu"), upload_to="documents/", max_length=300, blank=True)
    filename = models.CharField(_("tên tệp tải về"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(_("số lần tạo"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    started_at = models.DateTimeField(_("bắt đầu tạo"), null=True, blank=True)
    finished_at = models.DateTimeField(_("tạo xong"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đã tạo")
        verbose_name_plural = _("văn bản đã tạo")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "source_version", "format"], name="rendered_document_unique_version",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="rendered_document_progress_max"),
        ]
        indexes = [models.Index(fields=["source_key", "-created_at"], name="rendered_doc_source_idx")]

    def __str__(self):
        return f"{self.source_key} v{self.source_version} ({self.format}) — {self.get_status_display()}"

    @property
    def content_type(self):
        return CONTENT_TYPES[self.format]

    @property
    def error_message(self):
        return error_message(self.error_code) if self.error_code else ""

    @property
    def kind_title(self):
        from .registry import get_kind, is_registered

        return get_kind(self.kind).title if is_registered(self.kind) else self.kind

    @property
    def is_pending(self):
        return self.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)

    def file_is_intact(self):
        """Done, the file present and its SHA-256 the recorded one: only then is it served."""
        if self.status != DocumentStatus.DONE or not self.file or not self.checksum:
            return False
        try:
            return sha256_of(self.file.path) == self.checksum
        except OSError:
            return False
