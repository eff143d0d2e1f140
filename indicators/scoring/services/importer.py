"""Import of a cchc-assessment/1 document: phase one checks everything, phase two saves it all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cchc_portal.lib.numbers import format_score, round_half_up
from reports import limits
from reports.models import UnitLevel

from ..formulas import Method, ScoringError
from ..models import (
    Assessment,
    AssessmentTransition,
    CriteriaSet,
    InputSource,
    LeafScore,
)
from ..models import AssessmentStatus as S
from .adjustments import adjustment_problems, compute_totals, leaf_total, replace_adjustments
from .base import (
    ScoringServiceError,
    check_permission,
    lock_criteria_set,
    lock_unit,
    ordered_leaves,
    record_transition,
)
from .inputs import computed_score, inputs_text, leaf_has_inputs
from .units import criteria_set_in_force, resolve_unit_for_year

ASSESSMENT_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "assessment-v1.schema.json"


def _schema_problems(data):
    import json

    import jsonschema

    schema = json.loads(ASSESSMENT_SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = "".join(f"[{p!r}]" if isinstance(p, str) and "." in p else f".{p}" for p in error.absolute_path)
        label = SCHEMA_MESSAGES.get(error.validator, "không hợp lệ")
        problems.append(f"{path.lstrip('.') or '(gốc)'}: {label} ({error.message[:200]})")
    return problems


SCHEMA_MESSAGES = {
    "required": "thiếu mục bắt buộc",
    "additionalProperties": "có mục không thuộc định dạng",
    "type": "sai kiểu dữ liệu",
    "minimum": "nhỏ hơn giá trị tối thiểu",
    "maximum": "lớn hơn giá trị tối đa",
    "const": "phải là “cchc-assessment/1”",
    "format": "không đúng định dạng (ngày YYYY-MM-DD)",
}


# A document's keys and the columns that hold them (the limits of reports.limits apply).
LEAF_COLUMNS = {"self": "self_score", "appraised": "appraised", "numerator": "numerator",
                "denominator": "denominator", "count": "count", "self_note": "self_note",
                "council_comment": "council_comment", "responsible": "responsible", "remediation": "remediation"}
MAX_DEADLINES = 10  # remediation rounds of one leaf


def limit_problems(data):
    """Values of a schema-valid document that no column can hold: NUL characters anywhere, numbers
    over their column (self 1e30, numerator ≥ 10^10 …), texts over their length, too many deadlines."""
    problems = [str(p) for p in limits.check_document(data)]
    for code, entry in data["scores"].items():
        for key, name in LEAF_COLUMNS.items():
            problem = limits.check_value(LeafScore._meta.get_field(name), entry.get(key), f"scores.{code}.{key}",
                                         nul=False)
            if problem is not None:
                problems.append(str(problem))
        if len(entry.get("deadlines", [])) > MAX_DEADLINES:
            problems.append(f"scores.{code}.deadlines: tối đa {MAX_DEADLINES} thời hạn khắc phục")
    for key in ("bonus", "penalty"):
        problem = limits.check_value(Assessment._meta.get_field(key), data.get(key), key)
        if problem is not None:
            problems.append(str(problem))
    return problems


def check_assessment_document(data):
    """Phase one of ``import_assessment``: every problem of a cchc-assessment/1 document, plus the
    resolved unit, criteria set and the per-leaf values to store (nothing is saved). Values no
    column can hold are refused before any lookup (``limit_problems``)."""
    problems = _schema_problems(data)
    if problems:
        return problems, None
    problems = limit_problems(data)
    if problems:
        return problems, None
    year, code = data["year"], data["unit"]
    unit = resolve_unit_for_year(code, year)
    if unit is None:
        return [f"unit: không có đơn vị mã {code} trong năm {year}"], None
    if unit.level != UnitLevel.COMMUNE:
        return [f"unit: {unit} không phải đơn vị cấp xã"], None
    if data.get("criteria_set"):
        chain = [unit, *unit.ancestors()]
        criteria_set = CriteriaSet.objects.filter(unit__in=chain, year=year, code=data["criteria_set"]).first()
        if criteria_set is None:
            return [f"criteria_set: không có bộ tiêu chí {data['criteria_set']} năm {year} áp dụng cho {unit}"], None
    else:
        criteria_set = criteria_set_in_force(unit, year)
        if criteria_set is None:
            return [f"criteria_set: chưa có bộ tiêu chí năm {year} áp dụng cho {unit}"], None
    existing = Assessment.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        problems += start_problems(existing, criteria_set)  # asked again under the lock
    criteria = {c.code: c for c in criteria_set.criteria.all()}
    values = {}
    for code_, entry in data["scores"].items():
        path = f"scores.{code_}"
        criterion = criteria.get(code_)
        if criterion is None:
            problems.append(f"{path}: không có tiêu chí {code_} trong bộ {criteria_set.code}")
            continue
        if not criterion.is_leaf:
            problems.append(f"{path}: {code_} không phải tiêu chí lá (chỉ chấm điểm tiêu chí lá)")
            continue
        leaf = LeafScore(criterion=criterion)
        for name in ("numerator", "denominator", "count", "yes"):
            if name in entry:
                setattr(leaf, name, entry[name] if name == "yes" else Decimal(entry[name]))
        has_inputs = any(name in entry for name in ("numerator", "denominator", "count", "yes"))
        if has_inputs and not criterion.is_computed and criterion.method != Method.YES_NO:
            problems.append(f"{path}: tiêu chí {code_} ({criterion.get_method_display()}) không tính từ số liệu")
            has_inputs = False
        if has_inputs and not leaf_has_inputs(leaf):
            problems.append(f"{path}: thiếu số liệu để tính điểm ({_needed_inputs(criterion.method)})")
            has_inputs = False
        if ("numerator" in entry and "denominator" in entry and entry["numerator"] > entry["denominator"]
                and criterion.source.startswith("one_stop")):
            problems.append(f"{path}: tử số {entry['numerator']} lớn hơn mẫu số {entry['denominator']}")
        not_applicable = bool(entry.get("not_applicable"))
        record = {"leaf": leaf, "entry": entry, "has_inputs": has_inputs, "not_applicable": not_applicable}
        for key, label in (("self", "điểm tự đánh giá"), ("appraised", "điểm thẩm định")):
            if key in entry and Decimal(str(entry[key])) > criterion.max_score:
                problems.append(f"{path}.{key}: {label} {format_score(Decimal(str(entry[key])))} "
                                f"vượt điểm chuẩn {format_score(criterion.max_score)}")
            elif key in entry and Decimal(str(entry[key])) != round_half_up(Decimal(str(entry[key]))):
                problems.append(f"{path}.{key}: điểm có tối đa 2 chữ số thập phân")
        computed = None
        if has_inputs and not not_applicable:
            try:
                computed = computed_score(leaf)
            except ScoringError as error:
                problems.append(f"{path}: {error}")
            if computed is None:
                record["not_applicable"] = True
            elif "appraised" in entry and round_half_up(Decimal(str(entry["appraised"]))) != computed:
                problems.append(
                    f"{path}.appraised: {format_score(Decimal(str(entry['appraised'])))} khác điểm tính từ số liệu "
                    f"{inputs_text(leaf)} = {format_score(computed)}")
        record["appraised"] = (computed if has_inputs else
                               (round_half_up(Decimal(str(entry["appraised"]))) if "appraised" in entry else None))
        # Without a "self" score, a computed leaf's inputs give it, as on the self-assessment screen.
        record["self"] = (round_half_up(Decimal(str(entry["self"]))) if "self" in entry
                          else computed if has_inputs else None)
        try:
            record["deadlines"] = [dt.date.fromisoformat(d).isoformat() for d in entry.get("deadlines", [])]
        except ValueError as error:
            problems.append(f"{path}.deadlines: ngày không hợp lệ ({error})")
        values[code_] = record
    for key, label in (("bonus", "điểm thưởng"), ("penalty", "điểm trừ")):
        if key in data and Decimal(str(data[key])) != round_half_up(Decimal(str(data[key]))):
            problems.append(f"{key}: {label} có tối đa 2 chữ số thập phân")
    problems += adjustment_problems(criteria_set, Decimal(str(data.get("bonus", 0))),
                                     Decimal(str(data.get("penalty", 0))), paths=("bonus: ", "penalty: "))
    return problems, {"unit": unit, "criteria_set": criteria_set, "values": values, "existing": existing}


def _needed_inputs(method):
    return {Method.PER_COUNT_CAPPED: "count", Method.YES_NO: "yes"}.get(method, "numerator và denominator")


# The workflow's order, and the steps an import may walk (explanation and round 2 are never skipped
# into: an import reaches round 2 only because the assessment was reopened into it).
ORDER = [S.SELF_ASSESSING, S.SELF_SUBMITTED, S.ROUND1, S.EXPLAINING, S.ROUND2, S.APPROVED, S.PUBLISHED]
IMPORT_STEPS = {S.SELF_SUBMITTED, S.ROUND1, S.APPROVED}
IMPORTABLE = (S.SELF_ASSESSING, S.SELF_SUBMITTED, S.ROUND1, S.ROUND2)


def start_problems(assessment, criteria_set):
    """Why an import may not start from ``assessment``'s state (the UI's rules), or []."""
    if assessment.status not in IMPORTABLE:
        what = {S.APPROVED: "đã được Hội đồng thông qua", S.PUBLISHED: "đã công bố",
                S.EXPLAINING: "đang chờ xã giải trình"}[assessment.status]
        return [f"unit: kết quả năm {assessment.year} của {assessment.unit} {what}, không nhập đè được"
                + (" (mở lại để thẩm định vòng 2 trước)" if assessment.status != S.EXPLAINING else "")]
    if assessment.status != S.SELF_ASSESSING and assessment.criteria_set_id != criteria_set.pk:
        return [f"criteria_set: bản đánh giá đã dùng bộ {assessment.criteria_set.code}, không đổi bộ tiêu chí "
                "sau khi xã gửi tự đánh giá"]
    return []


def target_status(start, leaves):
    """The furthest state the workflow reaches with these leaves, starting from ``start``."""
    has_self = all(leaf.self_score is not None or leaf.not_applicable for leaf in leaves)
    if all(leaf.appraised is not None or leaf.not_applicable for leaf in leaves):
        return S.APPROVED
    if any(leaf.appraised is not None for leaf in leaves):
        return S.ROUND2 if start == S.ROUND2 else S.ROUND1
    return S.SELF_SUBMITTED if has_self else S.SELF_ASSESSING


def path_problems(start, target, leaves, stored_self):
    """Problems with walking from ``start`` to ``target``: never backwards; no appraisal without a
    full self-assessment (what submitting requires); submitted self scores are not changed."""
    problems = []
    if ORDER.index(target) < ORDER.index(start):
        problems.append(f"scores: tệp chỉ đưa bản đánh giá tới bước “{S(target).label}”, bản đánh giá đang ở bước "
                        f"“{S(start).label}”; không lùi bước")
    if ORDER.index(target) > ORDER.index(S.SELF_SUBMITTED):
        problems += [f"scores.{leaf.criterion.code}.self: thiếu điểm tự đánh giá; xã phải gửi đủ tự đánh giá trước "
                     "khi thẩm định" for leaf in leaves if leaf.self_score is None and not leaf.not_applicable]
    if start != S.SELF_ASSESSING:
        problems += [f"scores.{leaf.criterion.code}.self: bản tự đánh giá đã gửi, không sửa điểm tự đánh giá"
                     for leaf in leaves if leaf.pk in stored_self and stored_self[leaf.pk] != leaf.self_score]
    return problems


def import_assessment(data, *, actor):
    """Store a cchc-assessment/1 document by the workflow's rules; any problem refuses the whole document.

    Phase one checks the document (nothing locked); phase two locks the commune, then its assessment,
    asks again whether an import may start from the assessment's state and where the document takes
    it: every leaf appraised (or not applicable) → approved with its totals, some appraised → round 1
    (round 2 after a reopening), every self score → self-assessment sent, else self-assessing. An
    approved, published or explaining assessment is refused; so is a step back, or an appraisal
    without a full self-assessment. The transitions walked are recorded. ``actor=None`` only for the
    ``import_assessment`` command; a user needs ``indicators.import_assessment`` on the commune."""
    problems, checked = check_assessment_document(data)
    if problems:
        raise ScoringServiceError("Tệp đánh giá có lỗi, không lưu gì.", problems)
    unit, criteria_set, values = checked["unit"], checked["criteria_set"], checked["values"]
    year = data["year"]
    with transaction.atomic():
        unit = lock_unit(unit)
        assessment = Assessment.objects.select_for_update(of=("self",)).select_related("unit", "criteria_set") \
            .filter(unit=unit, year=year).first()
        check_permission(actor, "indicators.import_assessment", assessment or unit)
        criteria_set = lock_criteria_set(criteria_set)
        start = assessment.status if assessment is not None else S.SELF_ASSESSING
        if assessment is not None:
            problems = start_problems(assessment, criteria_set)
            if problems:
                raise ScoringServiceError("Tệp đánh giá không nhập được vào bản đánh giá hiện có.", problems)
            if assessment.criteria_set_id != criteria_set.pk:  # still self-assessing: the set may change
                assessment.leaves.all().delete()
                assessment.criteria_set = criteria_set
        else:
            assessment = Assessment.objects.create(unit=unit, year=year, criteria_set=criteria_set)
            AssessmentTransition.objects.create(assessment=assessment, to_status=S.SELF_ASSESSING, actor=actor,
                                                note="Nhập từ tệp cchc-assessment/1")
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(frozen=True)
        existing = {leaf.criterion_id: leaf for leaf in assessment.leaves.select_related("criterion")}
        stored_self = {leaf.pk: leaf.self_score for leaf in existing.values()}
        round_field = "round2_score" if start == S.ROUND2 else "round1_score"
        leaves = []
        for criterion in criteria_set.criteria.filter(is_leaf=True).order_by("position"):
            leaf = existing.get(criterion.pk) or LeafScore(assessment=assessment, criterion=criterion)
            record = values.get(criterion.code)
            if record is not None:
                _apply_record(leaf, record, round_field)
            elif leaf.appraised is None and not leaf.not_applicable:  # appraised on screen before the import
                leaf.appraised = leaf.round2_score if leaf.round2_score is not None else leaf.round1_score
            leaves.append(leaf)
        target = target_status(start, leaves)
        problems = path_problems(start, target, leaves, stored_self)
        if problems:
            raise ScoringServiceError("Tệp đánh giá không theo đúng quy trình đánh giá, không lưu gì.", problems)
        LeafScore.objects.bulk_create([leaf for leaf in leaves if leaf.pk is None])
        LeafScore.objects.bulk_update(
            [leaf for leaf in leaves if leaf.pk is not None],
            ["numerator", "denominator", "count", "yes", "input_source", "not_applicable", "self_score", "appraised",
             round_field, "self_note", "council_comment", "responsible", "remediation", "deadlines"])
        replace_adjustments(assessment, Decimal(str(data.get("bonus", 0))), "", Decimal(str(data.get("penalty", 0))),
                             "", actor)
        leaves = ordered_leaves(assessment)
        _store_totals(assessment, leaves, target)
        for step in ORDER[ORDER.index(start) + 1:ORDER.index(target) + 1]:
            if step in IMPORT_STEPS or step == target:
                record_transition(assessment, step, actor, "Nhập từ tệp cchc-assessment/1")
        assessment.save()
    return assessment


def _apply_record(leaf, record, round_field):
    given, entry = record["leaf"], record["entry"]
    leaf.numerator, leaf.denominator, leaf.count, leaf.yes = given.numerator, given.denominator, given.count, given.yes
    leaf.input_source = InputSource.EXPLICIT if record["has_inputs"] else ""
    leaf.not_applicable = record["not_applicable"]
    leaf.self_score = record["self"]
    leaf.appraised = None if leaf.not_applicable else record["appraised"]
    setattr(leaf, round_field, leaf.appraised)
    leaf.self_note = entry.get("self_note", "")
    leaf.council_comment = entry.get("council_comment", "")
    leaf.responsible = entry.get("responsible", "")
    leaf.remediation = entry.get("remediation", "")
    leaf.deadlines = record["deadlines"]


def _store_totals(assessment, leaves, target):
    if target == S.APPROVED:
        compute_totals(assessment, leaves)
        assessment.approved_at = timezone.now()
        assessment.self_submitted_at = assessment.self_submitted_at or assessment.approved_at
        return
    assessment.final = assessment.appraised_total = None
    if all(leaf.self_score is not None or leaf.not_applicable for leaf in leaves):
        assessment.self_total = leaf_total(assessment, leaves, "self_score")
        if assessment.self_submitted_at is None and target != S.SELF_ASSESSING:
            assessment.self_submitted_at = timezone.now()
