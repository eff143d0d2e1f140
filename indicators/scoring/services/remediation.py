"""Council comments and remediation per leaf; the commune marks remediation steps done."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..models import AssessmentStatus as S
from ..models import (
    LeafScore,
    RemediationItem,
)
from .base import ScoringServiceError, check_permission, lock_assessment, ordered_leaves
from .evidence import read_upload, store_evidence


@transaction.atomic
def save_remediation(assessment, entries, *, actor):
    """Council comments, responsible person, remediation and deadlines per leaf (any time before publishing).
    ``entries`` = {code: {council_comment, responsible, remediation, deadlines: [date…]}}."""
    assessment = lock_assessment(assessment)
    if assessment.status == S.PUBLISHED:
        raise ScoringServiceError("Kết quả đã công bố, không sửa được.")
    check_permission(actor, "indicators.approve_assessment", assessment)
    leaves = {leaf.criterion.code: leaf for leaf in ordered_leaves(assessment)}
    changed = []
    for code, entry in entries.items():
        leaf = leaves.get(code)
        if leaf is None:
            continue
        for name in ("council_comment", "responsible", "remediation"):
            if name in entry:
                setattr(leaf, name, entry[name] or "")
        if "deadlines" in entry:
            leaf.deadlines = [d.isoformat() if isinstance(d, dt.date) else str(d) for d in entry["deadlines"] if d]
        changed.append(leaf)
    LeafScore.objects.bulk_update(changed, ["council_comment", "responsible", "remediation", "deadlines"])
    return assessment


def mark_remediation_done(item, *, actor, note="", upload=None):
    """The commune marks a remediation step done, optionally with an evidence file (read and checked
    before the transaction; stored under the same locks)."""
    checked = read_upload(upload) if upload is not None else None
    with transaction.atomic():
        item = RemediationItem.objects.select_for_update().get(pk=item.pk)
        assessment = lock_assessment(item.assessment)
        if item.done:
            raise ScoringServiceError("Nội dung này đã được đánh dấu hoàn thành.")
        check_permission(actor, "indicators.mark_remediation", assessment)
        if checked is not None:
            store_evidence(assessment, checked, actor=actor, remediation_item=item)
        item.done, item.done_at, item.done_by, item.done_note = True, timezone.now(), actor, note or ""
        item.save()
    return item
