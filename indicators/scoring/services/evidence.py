"""Evidence files (tài liệu kiểm chứng): size and real content type checked, stored outside the web root."""

from __future__ import annotations

import hashlib
import io
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from ..models import (
    FINAL_STATUSES,
    EvidenceFile,
)
from .base import ScoringServiceError, check_permission, lock_assessment

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_TYPES = {
    "application/pdf", "image/png", "image/jpeg", "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def detect_content_type(data: bytes, name=""):
    """The content type read from the bytes (magic numbers), not from the name; None if not allowed."""
    if data.startswith(b"%PDF"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if any(n.startswith("xl/") for n in names):
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return None
    if data.startswith(OLE_MAGIC):
        # Both legacy formats share the OLE container; the stream names tell them apart.
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data:
            return "application/msword"
        if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data or b"B\x00o\x00o\x00k" in data:
            return "application/vnd.ms-excel"
        return "application/msword" if name.lower().endswith(".doc") else (
            "application/vnd.ms-excel" if name.lower().endswith(".xls") else None)
    return None


class CheckedUpload:
    """An upload read once and checked: its bytes, real content type and name."""

    def __init__(self, data, content_type, name):
        self.data, self.content_type, self.name = data, content_type, name


def read_upload(upload):
    """Read an uploaded file and check its size and real content type (outside any transaction)."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ScoringServiceError(f"Tệp {upload.name} quá lớn (tối đa {limit // (1024 * 1024)} MB).")
    data = upload.read()
    if len(data) > limit:
        raise ScoringServiceError(f"Tệp {upload.name} quá lớn (tối đa {limit // (1024 * 1024)} MB).")
    content_type = detect_content_type(data, upload.name)
    if content_type is None:
        raise ScoringServiceError(
            f"Tệp {upload.name} không phải PDF, ảnh PNG/JPEG hoặc tài liệu Word/Excel (kiểm tra theo nội dung tệp).")
    return CheckedUpload(data, content_type, upload.name[:255])


def store_evidence(assessment, checked, *, actor, leaf=None, remediation_item=None):
    """Save a checked upload; the caller holds the assessment's lock and has checked state and permission."""
    digest = hashlib.sha256(checked.data).hexdigest()
    evidence = EvidenceFile(assessment=assessment, leaf=leaf, remediation_item=remediation_item,
                            original_name=checked.name, size=len(checked.data), content_type=checked.content_type,
                            sha256=digest, uploaded_by=actor)
    evidence.file.save(f"{assessment.pk}-{digest[:16]}", ContentFile(checked.data), save=False)
    evidence.save()
    return evidence


def attach_evidence(assessment, upload, *, actor, leaf=None):
    """Evidence for a leaf while the assessment is being scored (not once the council approved it)."""
    checked = read_upload(upload)
    with transaction.atomic():
        assessment = lock_assessment(assessment)
        if assessment.status in FINAL_STATUSES:
            raise ScoringServiceError("Kết quả đã được Hội đồng thông qua, không đính kèm thêm tài liệu kiểm chứng.")
        check_permission(actor, "indicators.upload_evidence", assessment)
        if leaf is not None and leaf.assessment_id != assessment.pk:
            raise ScoringServiceError("Tiêu chí không thuộc bản đánh giá này.")
        return store_evidence(assessment, checked, actor=actor, leaf=leaf)
