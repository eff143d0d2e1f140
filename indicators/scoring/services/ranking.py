"""Publication of a scope's results: ranks stored, remediation items created."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .. import formulas as scoring
from ..models import AssessmentStatus as S
from ..models import (
    LeafScore,
    RemediationItem,
)
from ..selectors import scope_assessments
from .base import ScoringServiceError, check_permission, record_transition


@transaction.atomic
def publish_results(scope_unit, year, *, actor):
    """Publish the year's results under ``scope_unit``: ranks stored, communes may see them."""
    assessments = list(scope_assessments(scope_unit, year).select_for_update(of=("self",)))
    check_permission(actor, "indicators.review_scope", scope_unit)
    if not assessments:
        raise ScoringServiceError(f"Chưa có kết quả nào được Hội đồng thông qua dưới {scope_unit} năm {year}.")
    ranks = scoring.competition_ranks((a.pk, a.final) for a in assessments)
    now = timezone.now()
    for assessment in assessments:
        assessment.rank = ranks[assessment.pk]
        assessment.rank_of = len(assessments)
        assessment.rank_scope = scope_unit
        if assessment.status == S.APPROVED:
            record_transition(assessment, S.PUBLISHED, actor, f"Công bố kết quả của {scope_unit}")
            assessment.published_at = now
        assessment.save()
    _create_remediation_items(assessments)
    return assessments


def _create_remediation_items(assessments):
    leaves = LeafScore.objects.filter(assessment__in=assessments).exclude(deadlines=[])
    existing = set(RemediationItem.objects.filter(assessment__in=assessments).values_list("leaf_id", "round_no"))
    items = []
    for leaf in leaves:
        for index, day in enumerate(leaf.deadlines or [], start=1):
            if (leaf.pk, index) not in existing:
                items.append(RemediationItem(assessment_id=leaf.assessment_id, leaf=leaf, round_no=index,
                                             due=dt.date.fromisoformat(day)))
    RemediationItem.objects.bulk_create(items)
