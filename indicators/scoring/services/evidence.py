"""Evidence files (tài liệu kiểm chứng): size and real content type checked, stored outside the web root."""

from __future__ import annotations

import hashlib
import io
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile

from ..models import (
    EvidenceFile,
)
from .base import ScoringServiceError

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


def attach_evidence(assessment, upload, *, actor, leaf=None, remediation_item=None):
    """Store an uploaded file as evidence after checking its size and real content type."""
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
    digest = hashlib.sha256(data).hexdigest()
    evidence = EvidenceFile(assessment=assessment, leaf=leaf, remediation_item=remediation_item,
                            original_name=upload.name[:255], size=len(data), content_type=content_type,
                            sha256=digest, uploaded_by=actor)
    evidence.file.save(f"{assessment.pk}-{digest[:16]}", ContentFile(data), save=False)
    evidence.save()
    return evidence
