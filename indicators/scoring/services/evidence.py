"""Evidence files (tài liệu kiểm chứng): size and content checked by what the file is (PDF parsed, images
re-encoded, DOCX/XLSX validated as packages), stored outside the web root."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from cchc_portal.lib import filecheck

from ..models import (
    FINAL_STATUSES,
    EvidenceFile,
)
from .base import ScoringServiceError, check_permission, lock_assessment

ALLOWED_TYPES = set(filecheck.CONTENT_TYPES)


def detect_content_type(data: bytes, name=""):
    """The content type of ``data`` checked by what it is (parsed, see ``cchc_portal.lib.filecheck``);
    None if it is refused."""
    try:
        return filecheck.check_upload(data, name).content_type
    except filecheck.FileRefused:
        return None


class CheckedUpload:
    """An upload read once and checked: the bytes to store (re-encoded for images), real content
    type and name."""

    def __init__(self, data, content_type, name):
        self.data, self.content_type, self.name = data, content_type, name


def read_upload(upload):
    """Read an uploaded file and check its size and what it is (outside any transaction); a refusal
    is a ``ScoringServiceError`` naming the file and the reason."""
    limit = settings.EVIDENCE_MAX_BYTES
    too_big = f"Tệp “{upload.name}” quá lớn (tối đa {limit // (1024 * 1024)} MB)."
    if upload.size > limit:
        raise ScoringServiceError(too_big)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ScoringServiceError(too_big)
    try:
        checked = filecheck.check_upload(data, upload.name)
    except filecheck.FileRefused as refusal:
        raise ScoringServiceError(str(refusal)) from None
    return CheckedUpload(checked.data, checked.content_type, upload.name[:255])


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
