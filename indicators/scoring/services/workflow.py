"""The assessment workflow: start, self-assessment, two appraisal rounds with the commune's
explanation, council approval, reopening."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cchc_portal.lib.numbers import format_score, round_half_up, to_decimal
from reports.models import UnitLevel

from .. import formulas as scoring
from ..formulas import ScoringError
from ..models import (
    Assessment,
    AssessmentTransition,
    CriteriaSet,
    InputSource,
    LeafScore,
)
from ..models import AssessmentStatus as S
from .adjustments import compute_totals, leaf_total
from .base import (
    ScoringServiceError,
    check_permission,
    lock_assessment,
    lock_criteria_set,
    lock_unit,
    ordered_leaves,
    record_transition,
    require_status,
)
from .inputs import computed_score, inputs_text, leaf_has_inputs, prefill_inputs
from .units import criteria_set_in_force


@transaction.atomic
def start_assessment(unit, year, *, actor, criteria_set=None):
    """The commune's assessment of ``year`` (created with one row per leaf, inputs prefilled); an
    existing one is returned. The unit row is locked so two starts cannot race."""
    unit = lock_unit(unit)
    existing = Assessment.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    check_permission(actor, "indicators.start_assessment", unit)
    if unit.level != UnitLevel.COMMUNE:
        raise ScoringServiceError("Chỉ đánh giá chỉ số CCHC cho đơn vị cấp xã.")
    if not (unit.is_valid_on(dt.date(year, 1, 1)) or unit.is_valid_on(dt.date(year, 12, 31))):
        raise ScoringServiceError(f"{unit} không tồn tại trong năm {year}.")
    criteria_set = criteria_set or criteria_set_in_force(unit, year)
    if criteria_set is None:
        raise ScoringServiceError(f"Chưa có bộ tiêu chí năm {year} áp dụng cho {unit}.")
    criteria_set = lock_criteria_set(criteria_set)
    assessment = Assessment.objects.create(unit=unit, year=year, criteria_set=criteria_set)
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(frozen=True)
    LeafScore.objects.bulk_create([
        LeafScore(assessment=assessment, criterion=c)
        for c in criteria_set.criteria.filter(is_leaf=True).order_by("position")
    ])
    prefill_inputs(assessment)
    AssessmentTransition.objects.create(assessment=assessment, to_status=S.SELF_ASSESSING, actor=actor,
                                        note="Bắt đầu tự đánh giá")
    return assessment


def _apply_inputs(leaf, entry):
    """Explicit inputs in ``entry`` override the leaf's; returns True if any was given."""
    given = False
    for name in ("numerator", "denominator", "count", "yes"):
        if name in entry and entry[name] not in (None, ""):
            setattr(leaf, name, entry[name] if name == "yes" else to_decimal(entry[name]))
            given = True
    if given:
        leaf.input_source = InputSource.EXPLICIT
    return given


def _score_entry(leaf, entry, *, score_key, problems, label):
    """The score an entry gives a leaf: computed from inputs when the leaf has them (a differing given
    score is a problem), else the given score validated against 0..max. None: not applicable."""
    criterion = leaf.criterion
    if entry.get("not_applicable"):
        return None, True
    given = entry.get(score_key)
    given = None if given in (None, "") else to_decimal(given)
    try:
        if criterion.is_computed and leaf_has_inputs(leaf):
            score = computed_score(leaf)
            if given is not None and (score is None or round_half_up(given) != score):
                problems.append(
                    f"{label}: điểm {format_score(given)} khác điểm tính từ số liệu "
                    f"({inputs_text(leaf)} → {format_score(score) if score is not None else 'không áp dụng'})"
                )
            return score, score is None
        if given is None:
            return None, False
        return scoring.leaf_score(criterion.method, criterion.max_score, criterion.params, given=given), False
    except ScoringError as error:
        problems.append(f"{label}: {error}")
        return None, False


@transaction.atomic
def save_self_assessment(assessment, entries, *, actor):
    """Officer's self-assessment: ``entries`` = {criterion code: {self, self_note, inputs…, not_applicable}}."""
    assessment = lock_assessment(assessment)
    require_status(assessment, S.SELF_ASSESSING, message="Chỉ sửa được tự đánh giá khi đang tự đánh giá.")
    check_permission(actor, "indicators.edit_self_assessment", assessment)
    leaves = {leaf.criterion.code: leaf for leaf in ordered_leaves(assessment)}
    problems = []
    changed = []
    for code, entry in entries.items():
        leaf = leaves.get(code)
        if leaf is None:
            problems.append(f"Tiêu chí {code}: không có trong bộ tiêu chí.")
            continue
        _apply_inputs(leaf, entry)
        score, not_applicable = _score_entry(leaf, entry, score_key="self", problems=problems,
                                             label=f"Tiêu chí {code}")
        leaf.self_score = score
        leaf.not_applicable = not_applicable
        if "self_note" in entry:
            leaf.self_note = entry["self_note"] or ""
        changed.append(leaf)
    if problems:
        raise ScoringServiceError("Tự đánh giá còn lỗi, chưa lưu.", problems)
    LeafScore.objects.bulk_update(changed, ["self_score", "self_note", "not_applicable", "numerator",
                                            "denominator", "count", "yes", "input_source"])
    return assessment


@transaction.atomic
def submit_self_assessment(assessment, *, actor):
    """Leader sends the self-assessment; every applicable leaf must have a self score."""
    assessment = lock_assessment(assessment)
    require_status(assessment, S.SELF_ASSESSING, message="Chỉ gửi được bản tự đánh giá đang soạn.")
    check_permission(actor, "indicators.submit_self_assessment", assessment)
    leaves = ordered_leaves(assessment)
    missing = [leaf.criterion.code for leaf in leaves if leaf.self_score is None and not leaf.not_applicable]
    if missing:
        raise ScoringServiceError("Còn tiêu chí chưa tự chấm điểm.", [f"Tiêu chí {c}: chưa có điểm tự đánh giá."
                                                                       for c in missing])
    assessment.self_total = leaf_total(assessment, leaves, "self_score")
    assessment.self_submitted_at = timezone.now()
    record_transition(assessment, S.SELF_SUBMITTED, actor)
    assessment.save()
    return assessment


ROUND_FIELDS = {1: ("round1_score", "round1_comment"), 2: ("round2_score", "round2_comment")}


@transaction.atomic
def appraise(assessment, scores, *, actor, round):  # noqa: A002 — the brief's name
    """Reviewer's scores of round 1 or 2: ``scores`` = {code: {score, comment, not_applicable, inputs…}}."""
    assessment = lock_assessment(assessment)
    if round == 1:
        require_status(assessment, S.SELF_SUBMITTED, S.ROUND1, message="Thẩm định vòng 1 sau khi xã gửi tự đánh giá.")
    elif round == 2:
        require_status(assessment, S.ROUND2, message="Thẩm định vòng 2 sau khi xã giải trình.")
    else:
        raise ScoringServiceError("Vòng thẩm định phải là 1 hoặc 2.")
    check_permission(actor, "indicators.appraise_assessment", assessment)
    score_field, comment_field = ROUND_FIELDS[round]
    leaves = {leaf.criterion.code: leaf for leaf in ordered_leaves(assessment)}
    problems, changed = [], []
    for code, entry in scores.items():
        leaf = leaves.get(code)
        if leaf is None:
            problems.append(f"Tiêu chí {code}: không có trong bộ tiêu chí.")
            continue
        _apply_inputs(leaf, entry)
        score, not_applicable = _score_entry(leaf, entry, score_key="score", problems=problems,
                                             label=f"Tiêu chí {code}")
        setattr(leaf, score_field, score)
        leaf.not_applicable = not_applicable
        if "comment" in entry:
            setattr(leaf, comment_field, entry["comment"] or "")
        changed.append(leaf)
    if problems:
        raise ScoringServiceError("Điểm thẩm định còn lỗi, chưa lưu.", problems)
    LeafScore.objects.bulk_update(changed, [score_field, comment_field, "not_applicable", "numerator",
                                            "denominator", "count", "yes", "input_source"])
    if assessment.status == S.SELF_SUBMITTED:
        record_transition(assessment, S.ROUND1, actor, "Thẩm định vòng 1")
        assessment.save()
    return assessment


@transaction.atomic
def send_for_explanation(assessment, *, actor):
    """Round-1 results go to the commune, which may explain (giải trình) disputed leaves."""
    assessment = lock_assessment(assessment)
    require_status(assessment, S.ROUND1, message="Chỉ gửi giải trình sau khi thẩm định vòng 1.")
    check_permission(actor, "indicators.appraise_assessment", assessment)
    missing = [leaf.criterion.code for leaf in ordered_leaves(assessment)
               if leaf.round1_score is None and not leaf.not_applicable]
    if missing:
        raise ScoringServiceError("Còn tiêu chí chưa thẩm định vòng 1.", [f"Tiêu chí {c}: chưa có điểm." for c in missing])
    record_transition(assessment, S.EXPLAINING, actor, "Gửi kết quả vòng 1 để xã giải trình")
    assessment.save()
    return assessment


@transaction.atomic
def explain(assessment, explanations, *, actor):
    """The commune's explanations: {code: {"explanation": text, "disputed": bool}}."""
    assessment = lock_assessment(assessment)
    require_status(assessment, S.EXPLAINING, message="Chỉ giải trình khi Nội vụ đã gửi kết quả vòng 1.")
    check_permission(actor, "indicators.explain_assessment", assessment)
    leaves = {leaf.criterion.code: leaf for leaf in ordered_leaves(assessment)}
    unknown = [code for code in explanations if code not in leaves]
    if unknown:
        raise ScoringServiceError("Có tiêu chí không thuộc bộ tiêu chí.", [f"Tiêu chí {c}" for c in unknown])
    changed = []
    for code, entry in explanations.items():
        leaf = leaves[code]
        leaf.explanation = (entry.get("explanation") or "").strip()
        leaf.disputed = bool(entry.get("disputed")) and bool(leaf.explanation)
        changed.append(leaf)
    LeafScore.objects.bulk_update(changed, ["explanation", "disputed"])
    return assessment


@transaction.atomic
def finish_explanation(assessment, *, actor):
    """The commune has finished explaining: the reviewer does round 2 (undisputed leaves keep round 1)."""
    assessment = lock_assessment(assessment)
    require_status(assessment, S.EXPLAINING, message="Chưa ở bước giải trình.")
    check_permission(actor, "indicators.explain_assessment", assessment)
    leaves = ordered_leaves(assessment)
    for leaf in leaves:
        if leaf.round2_score is None:
            leaf.round2_score = leaf.round1_score
    LeafScore.objects.bulk_update(leaves, ["round2_score"])
    record_transition(assessment, S.ROUND2, actor, "Xã đã gửi giải trình")
    assessment.save()
    return assessment


@transaction.atomic
def approve_assessment(assessment, *, actor, note=""):
    """The council approves: appraised = round 2 (else round 1) per leaf; totals stored; frozen."""
    assessment = lock_assessment(assessment)
    check_permission(actor, "indicators.approve_assessment", assessment)  # includes the state
    require_status(assessment, S.ROUND1, S.ROUND2, message="Hội đồng chỉ thông qua sau khi thẩm định.")
    leaves = ordered_leaves(assessment)
    missing = []
    for leaf in leaves:
        if leaf.not_applicable:
            leaf.appraised = None
            continue
        leaf.appraised = leaf.round2_score if leaf.round2_score is not None else leaf.round1_score
        if leaf.appraised is None:
            missing.append(leaf.criterion.code)
        if not leaf.council_comment:
            leaf.council_comment = leaf.round2_comment or leaf.round1_comment
    if missing:
        raise ScoringServiceError("Còn tiêu chí chưa có điểm thẩm định.", [f"Tiêu chí {c}: chưa có điểm." for c in missing])
    LeafScore.objects.bulk_update(leaves, ["appraised", "council_comment"])
    compute_totals(assessment, leaves)
    assessment.approved_at = timezone.now()
    record_transition(assessment, S.APPROVED, actor, note or "Hội đồng thẩm định thông qua")
    assessment.save()
    CriteriaSet.objects.filter(pk=assessment.criteria_set_id).update(frozen=True)
    return assessment


@transaction.atomic
def reopen(assessment, *, actor, reason):
    """Reopen an approved or published assessment for round 2 (its stored results are cleared)."""
    reason = (reason or "").strip()
    if not reason:
        raise ScoringServiceError("Phải nêu lý do mở lại kết quả đánh giá.")
    assessment = lock_assessment(assessment)
    require_status(assessment, S.APPROVED, S.PUBLISHED, message="Chỉ mở lại được kết quả đã thông qua hoặc đã công bố.")
    check_permission(actor, "indicators.reopen_assessment", assessment)
    record_transition(assessment, S.ROUND2, actor, reason)
    assessment.rank = assessment.rank_of = None
    assessment.final = assessment.appraised_total = None
    assessment.classification = ""
    assessment.published_at = assessment.approved_at = None
    assessment.save()
    return assessment
