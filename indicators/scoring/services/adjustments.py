"""The council's bonus and penalty, and the totals an assessment stores when its scores change state."""

from __future__ import annotations

from django.db import transaction

from cchc_portal.lib.numbers import format_score, round_half_up, to_decimal

from .. import formulas as scoring
from ..models import (
    Adjustment,
    AdjustmentKind,
    CriterionLevel,
)
from ..models import AssessmentStatus as S
from .base import (
    ZERO,
    ScoringServiceError,
    check_permission,
    lock_assessment,
    ordered_leaves,
    require_status,
)

ADJUSTABLE = (S.SELF_SUBMITTED, S.ROUND1, S.ROUND2)


def check_adjustable(assessment):
    require_status(assessment, *ADJUSTABLE, message="Chỉ ghi điểm thưởng/trừ trong khi thẩm định.")


@transaction.atomic
def set_adjustments(assessment, *, actor, bonus=ZERO, bonus_reason="", penalty=ZERO, penalty_reason=""):
    """The council's bonus and penalty (capped by the set's T/P rows), replacing earlier entries; the
    assessment's stored bonus and penalty follow at once."""
    assessment = lock_assessment(assessment)
    check_adjustable(assessment)
    check_permission(actor, "indicators.appraise_assessment", assessment)
    problems = adjustment_problems(assessment.criteria_set, bonus, penalty)
    if problems:
        raise ScoringServiceError("Điểm thưởng/trừ không hợp lệ.", problems)
    replace_adjustments(assessment, bonus, bonus_reason, penalty, penalty_reason, actor)
    store_adjustment_totals(assessment)
    assessment.save(update_fields=["bonus", "penalty", "updated_at"])
    return assessment


@transaction.atomic
def set_adjustment(assessment, kind, points, reason="", *, actor):
    """One kind (bonus or penalty) changed, the other kept: what the admin's change and delete do."""
    assessment = lock_assessment(assessment)
    current = {k: (ZERO, "") for k in AdjustmentKind.values}
    for adjustment in assessment.adjustments.all():
        current[adjustment.kind] = (current[adjustment.kind][0] + adjustment.points, adjustment.reason)
    current[kind] = (to_decimal(points or 0), reason or "")
    (bonus, bonus_reason), (penalty, penalty_reason) = current[AdjustmentKind.BONUS], current[AdjustmentKind.PENALTY]
    return set_adjustments(assessment, actor=actor, bonus=bonus, bonus_reason=bonus_reason, penalty=penalty,
                           penalty_reason=penalty_reason)


def store_adjustment_totals(assessment):
    """The assessment's bonus and penalty from its adjustment rows, each capped by the set's rows."""
    caps, _rows = adjustment_caps(assessment.criteria_set)
    points = {AdjustmentKind.BONUS: ZERO, AdjustmentKind.PENALTY: ZERO}
    for adjustment in assessment.adjustments.all():
        points[adjustment.kind] += adjustment.points
    assessment.bonus = scoring.capped(points[AdjustmentKind.BONUS], caps[CriterionLevel.BONUS])
    assessment.penalty = scoring.capped(points[AdjustmentKind.PENALTY], caps[CriterionLevel.PENALTY])
    return assessment


def adjustment_caps(criteria_set):
    caps = {CriterionLevel.BONUS: None, CriterionLevel.PENALTY: None}
    rows = {}
    for criterion in criteria_set.criteria.filter(level__in=[CriterionLevel.BONUS, CriterionLevel.PENALTY]):
        caps[criterion.level] = (caps[criterion.level] or ZERO) + criterion.max_score
        rows.setdefault(criterion.level, criterion)
    return caps, rows


def adjustment_problems(criteria_set, bonus, penalty, *, paths=("", "")):
    caps, _rows = adjustment_caps(criteria_set)
    problems = []
    for path, label, value, level in ((paths[0], "điểm thưởng", bonus, CriterionLevel.BONUS),
                                      (paths[1], "điểm trừ", penalty, CriterionLevel.PENALTY)):
        value = to_decimal(value or 0)
        cap = caps[level]
        if value < 0:
            problems.append(f"{path}{label} không được âm")
        elif value > 0 and cap is None:
            problems.append(f"{path}bộ tiêu chí không có dòng {label}")
        elif cap is not None and value > cap:
            problems.append(f"{path}{label} {format_score(value)} vượt mức tối đa {format_score(cap)}")
    return problems


def replace_adjustments(assessment, bonus, bonus_reason, penalty, penalty_reason, actor):
    _caps_, rows = adjustment_caps(assessment.criteria_set)
    assessment.adjustments.all().delete()
    for kind, points, reason in ((AdjustmentKind.BONUS, bonus, bonus_reason),
                                 (AdjustmentKind.PENALTY, penalty, penalty_reason)):
        points = to_decimal(points or 0)
        if points > 0:
            Adjustment.objects.create(assessment=assessment, kind=kind, criterion=rows.get(kind), points=points,
                                      reason=reason or "", created_by=actor)


def leaf_total(assessment, leaves, attribute):
    return scoring.total(
        [(leaf.criterion.max_score, None if leaf.not_applicable else getattr(leaf, attribute) or ZERO)
         for leaf in leaves],
        assessment.criteria_set.max_score,
    )


def compute_totals(assessment, leaves=None):
    """Stored figures of an assessment whose leaves have their appraised score: totals, per-field
    totals, bonus, penalty, final, deductions, classification. Mutates and returns ``assessment``."""
    leaves = leaves if leaves is not None else ordered_leaves(assessment)
    criteria_set = assessment.criteria_set
    caps, _rows = adjustment_caps(criteria_set)
    assessment.appraised_total = leaf_total(assessment, leaves, "appraised")
    if all(leaf.self_score is not None or leaf.not_applicable for leaf in leaves):
        assessment.self_total = leaf_total(assessment, leaves, "self_score")
    store_adjustment_totals(assessment)
    assessment.final = scoring.final(assessment.appraised_total, assessment.bonus, assessment.penalty)
    assessment.deducted_total = sum((leaf.deducted for leaf in leaves), ZERO)
    fields = {}
    for leaf in leaves:
        key = leaf.criterion.field_code or leaf.criterion.code.split(".")[0]
        entry = fields.setdefault(key, {"max": ZERO, "self": ZERO, "appraised": ZERO})
        entry["max"] += leaf.criterion.max_score
        if not leaf.not_applicable:
            entry["self"] += leaf.self_score or ZERO
            entry["appraised"] += leaf.appraised or ZERO
    assessment.field_totals = {k: {n: str(round_half_up(v)) for n, v in entry.items()} for k, entry in fields.items()}
    assessment.classification = criteria_set.classify(assessment.final)
    return assessment
