"""State changes of criteria sets and PAR-index assessments.

Each verb is one function that runs in ``transaction.atomic()``, locks what it changes
(``select_for_update``), records the transition and raises ``ScoringServiceError`` with a Vietnamese
message (and optionally a list of problems) that views and commands show. Totals, ranks and
classification are computed here, once, when scores change state — never per request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from cchc_portal.lib.numbers import format_score, round_half_up, to_decimal
from reports.models import REFORM_DATE, AdministrativeUnit, Report, UnitLevel

from . import scoring
from .importers_criteria import CriteriaTable
from .models import (
    Adjustment,
    AdjustmentKind,
    Assessment,
    AssessmentStatus,
    AssessmentTransition,
    CriteriaSet,
    Criterion,
    CriterionLevel,
    EvidenceFile,
    InputSource,
    LeafScore,
    RemediationItem,
)
from .scoring import Method, ScoringError

S = AssessmentStatus
ZERO = Decimal(0)


class ScoringServiceError(Exception):
    """A refused change; ``str(error)`` is the message, ``problems`` the detailed lines."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.problems = list(problems or [])


# --- Units and criteria sets --------------------------------------------------------------------

def year_reference_days(year):
    """Days on which a code is resolved for an assessment year: 31 December, then 30 June (a
    pre-2025 unit's year 2025 ends with the reform)."""
    return [dt.date(year, 12, 31), REFORM_DATE - dt.timedelta(days=1) if year == REFORM_DATE.year
            else dt.date(year, 6, 30)]


def resolve_unit_for_year(code, year):
    """The unit carrying ``code`` during ``year`` (None if none)."""
    for day in year_reference_days(year):
        unit = AdministrativeUnit.objects.valid_on(day).filter(code=code).select_related("parent__parent").first()
        if unit is not None:
            return unit
    return None


def unit_reference_day(unit, year):
    for day in year_reference_days(year):
        if unit.is_valid_on(day):
            return day
    return dt.date(year, 12, 31)


def criteria_set_in_force(unit, year):
    return CriteriaSet.objects.in_force(unit, year)


@transaction.atomic
def import_criteria_set(table: CriteriaTable, *, unit, year, code="", name="", source_name="", bands=None):
    """Phase two of a criteria import: save a checked table as the set of ``unit`` and ``year``.

    An existing, unfrozen set with the same code is replaced; a frozen one is refused."""
    if not table.ok:
        raise ScoringServiceError("Bảng tiêu chí còn lỗi, chưa lưu.", table.problems)
    code = code or f"{unit.code}-{year}"
    name = name or f"Bộ tiêu chí chỉ số CCHC cấp xã năm {year} — {unit.name}"
    existing = CriteriaSet.objects.select_for_update().filter(unit=unit, year=year, code=code).first()
    if existing is not None:
        if existing.frozen or existing.assessments.exists():
            raise ScoringServiceError(f"Bộ tiêu chí {code} năm {year} đã được dùng để đánh giá nên không thể thay thế.")
        existing.criteria.all().delete()
        criteria_set = existing
        criteria_set.name = name
        criteria_set.max_score = table.set_max
        criteria_set.source_name = source_name
        if bands is not None:
            criteria_set.bands = bands
        criteria_set.save()
    else:
        criteria_set = CriteriaSet.objects.create(
            unit=unit, year=year, code=code, name=name, max_score=table.set_max, source_name=source_name,
            **({"bands": bands} if bands is not None else {}),
        )
    _create_criteria(criteria_set, [
        {"code": r.code, "parent": r.parent, "level": r.level, "name_vi": r.name_vi, "max_score": r.max_score,
         "method": r.method, "params": {k: str(v) for k, v in r.params.items()}, "source": r.source,
         "rule_vi": r.rule_vi, "origin": r.origin, "is_leaf": r.is_leaf, "field_code": r.field_code}
        for r in table.rows
    ])
    return criteria_set


def _create_criteria(criteria_set, rows):
    created = {}
    objects = []
    for position, row in enumerate(rows, start=1):
        values = dict(row)
        values.pop("parent")
        objects.append(Criterion(criteria_set=criteria_set, position=position, **values))
    for obj in Criterion.objects.bulk_create(objects):
        created[obj.code] = obj
    if any(obj.pk is None for obj in created.values()):  # backends without RETURNING
        created = {c.code: c for c in criteria_set.criteria.all()}
    updates = []
    for row in rows:
        if row["parent"]:
            child = created[row["code"]]
            child.parent_id = created[row["parent"]].pk
            updates.append(child)
    Criterion.objects.bulk_update(updates, ["parent"])


@transaction.atomic
def copy_criteria_set(criteria_set, *, year=None, unit=None):
    """A copy of ``criteria_set`` for the next year (unfrozen, same bands), issued by ``unit`` or the same unit."""
    year = year or criteria_set.year + 1
    unit = unit or criteria_set.unit
    if not unit.is_valid_on(dt.date(year, 1, 1)) and not unit.is_valid_on(dt.date(year, 12, 31)):
        raise ScoringServiceError(f"{unit} không còn hiệu lực trong năm {year}.")
    code = criteria_set.code.replace(str(criteria_set.year), str(year))
    if code == criteria_set.code and unit == criteria_set.unit:
        code = f"{criteria_set.code}-{year}"
    if CriteriaSet.objects.filter(unit=unit, year=year, code=code).exists():
        raise ScoringServiceError(f"Đã có bộ tiêu chí {code} năm {year} của {unit}.")
    copy = CriteriaSet.objects.create(
        unit=unit, year=year, code=code, name=criteria_set.name.replace(str(criteria_set.year), str(year)),
        max_score=criteria_set.max_score, bands=criteria_set.bands, source_name=criteria_set.source_name,
    )
    criteria = list(criteria_set.criteria.select_related("parent").order_by("position"))
    _create_criteria(copy, [
        {"code": c.code, "parent": c.parent.code if c.parent_id else "", "level": c.level, "name_vi": c.name_vi,
         "max_score": c.max_score, "method": c.method, "params": c.params, "source": c.source,
         "rule_vi": c.rule_vi, "origin": c.origin, "is_leaf": c.is_leaf, "field_code": c.field_code}
        for c in criteria
    ])
    return copy


def check_bands(bands):
    problems = []
    if not isinstance(bands, list) or not bands:
        return ["Xếp loại phải là danh sách các mức {min, label}."]
    for index, band in enumerate(bands, start=1):
        if not isinstance(band, dict) or "min" not in band or not str(band.get("label", "")).strip():
            problems.append(f"Mức {index}: cần có 'min' và 'label'.")
            continue
        try:
            to_decimal(band["min"])
        except ValueError:
            problems.append(f"Mức {index}: 'min' phải là số.")
    return problems


@transaction.atomic
def update_bands(criteria_set, bands):
    problems = check_bands(bands)
    if problems:
        raise ScoringServiceError("Xếp loại không hợp lệ.", problems)
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    locked.bands = [{"min": float(to_decimal(b["min"])), "label": str(b["label"]).strip()} for b in bands]
    locked.save(update_fields=["bands"])
    return locked


# --- Inputs from the commune's reports -----------------------------------------------------------

def one_stop_counts(unit, year):
    """The one-stop counts of the commune's year (procedures.selectors), with derived names; None if unknown."""
    try:
        from procedures.selectors import one_stop_for
    except ImportError:
        return None
    counts = one_stop_for(unit, year)
    if not counts:
        return None
    counts = {k: v for k, v in dict(counts).items() if v is not None}

    def total(*names):
        return sum(counts.get(n) or 0 for n in names)

    counts.setdefault("received_in_period", total("online", "direct", "postal"))
    counts.setdefault("received", total("carried_over", "online", "direct", "postal"))
    counts.setdefault("resolved", total("resolved_early", "resolved_on_time", "resolved_late"))
    counts.setdefault("resolved_in_time", total("resolved_early", "resolved_on_time"))
    counts.setdefault("pending", total("pending_in_time", "pending_overdue"))
    return counts


def indicator_values_for(report):
    """{indicator code: value} of a report (indicators.selectors), or {} when unavailable."""
    if report is None:
        return {}
    try:
        from .selectors import indicator_values
    except ImportError:
        return {}
    values = indicator_values([report.pk]) or {}
    if report.pk in values and isinstance(values[report.pk], dict):
        return values[report.pk]
    if str(report.pk) in values and isinstance(values[str(report.pk)], dict):
        return values[str(report.pk)]
    return values


def inputs_from_source(criterion, one_stop, indicators, report_label=""):
    """Inputs of a computed leaf from its ``source`` column: dict(numerator, denominator | yes, note) or None."""
    source = criterion.source
    if not source:
        return None
    kind, _sep, rest = source.partition(":")
    names = rest.split("/")
    values = one_stop if kind == "one_stop" else indicators
    if not values or any(values.get(n) is None for n in names):
        return None
    try:
        numbers = [to_decimal(values[n]) for n in names]
    except ValueError:
        return None
    where = "số liệu một cửa" if kind == "one_stop" else "phụ lục thống kê"
    shown = " / ".join(f"{n} = {_plain(v)}" for n, v in zip(names, numbers, strict=True))
    note = f"Từ {where}{report_label}: {shown}"
    if criterion.method == Method.YES_NO:
        return {"yes": bool(numbers[0]), "note": note}
    if len(numbers) == 2:
        return {"numerator": numbers[0], "denominator": numbers[1], "note": note}
    return {"numerator": numbers[0], "denominator": Decimal(100), "note": note}  # percent indicator


def prefill_inputs(assessment, leaves=None):
    """Fill the inputs of computed leaves from the commune's reports; explicit inputs are kept.
    Returns the number of leaves filled."""
    leaves = leaves if leaves is not None else list(assessment.leaves.select_related("criterion"))
    wanted = [leaf for leaf in leaves if leaf.criterion.source and leaf.input_source != InputSource.EXPLICIT]
    if not wanted:
        return 0
    report = Report.objects.of_year(assessment.unit, assessment.year)
    one_stop = one_stop_counts(assessment.unit, assessment.year) if any(
        leaf.criterion.source.startswith("one_stop") for leaf in wanted) else None
    indicators = indicator_values_for(report) if any(
        leaf.criterion.source.startswith("indicator") for leaf in wanted) else {}
    label = f" ({report.period.label})" if report is not None else ""
    filled = []
    for leaf in wanted:
        inputs = inputs_from_source(leaf.criterion, one_stop, indicators, label)
        if inputs is None:
            continue
        leaf.numerator = inputs.get("numerator")
        leaf.denominator = inputs.get("denominator")
        leaf.yes = inputs.get("yes")
        leaf.input_source = InputSource.REPORT
        leaf.input_note = inputs["note"][:300]
        filled.append(leaf)
    LeafScore.objects.bulk_update(filled, ["numerator", "denominator", "yes", "input_source", "input_note"])
    return len(filled)


def computed_score(leaf):
    """The score a leaf's stored inputs give (None: not applicable); ScoringError without inputs."""
    criterion = leaf.criterion
    return scoring.leaf_score(criterion.method, criterion.max_score, criterion.params,
                              numerator=leaf.numerator, denominator=leaf.denominator, count=leaf.count,
                              yes=leaf.yes)


def leaf_has_inputs(leaf):
    return scoring.has_inputs(leaf.criterion.method, numerator=leaf.numerator, denominator=leaf.denominator,
                              count=leaf.count, yes=leaf.yes)


# --- Workflow ------------------------------------------------------------------------------------

def _lock(assessment):
    return (Assessment.objects.select_for_update(of=("self",))
            .select_related("unit__parent__parent", "criteria_set").get(pk=assessment.pk))


def _transition(assessment, to_status, actor, note=""):
    AssessmentTransition.objects.create(
        assessment=assessment, from_status=assessment.status, to_status=to_status, actor=actor, note=note,
    )
    assessment.status = to_status


def _require(assessment, *statuses, message):
    if assessment.status not in statuses:
        raise ScoringServiceError(message)


def _leaves(assessment):
    return list(assessment.leaves.select_related("criterion").order_by("criterion__position"))


@transaction.atomic
def start_assessment(unit, year, *, actor=None, criteria_set=None):
    """The commune's assessment of ``year`` (created with one row per leaf, inputs prefilled)."""
    existing = Assessment.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    if unit.level != UnitLevel.COMMUNE:
        raise ScoringServiceError("Chỉ đánh giá chỉ số CCHC cho đơn vị cấp xã.")
    if not (unit.is_valid_on(dt.date(year, 1, 1)) or unit.is_valid_on(dt.date(year, 12, 31))):
        raise ScoringServiceError(f"{unit} không tồn tại trong năm {year}.")
    criteria_set = criteria_set or criteria_set_in_force(unit, year)
    if criteria_set is None:
        raise ScoringServiceError(f"Chưa có bộ tiêu chí năm {year} áp dụng cho {unit}.")
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
                    f"({_inputs_text(leaf)} → {format_score(score) if score is not None else 'không áp dụng'})"
                )
            return score, score is None
        if given is None:
            return None, False
        return scoring.leaf_score(criterion.method, criterion.max_score, criterion.params, given=given), False
    except ScoringError as error:
        problems.append(f"{label}: {error}")
        return None, False


def _inputs_text(leaf):
    if leaf.count is not None:
        return f"số lượng {leaf.count}"
    if leaf.yes is not None:
        return "đạt" if leaf.yes else "không đạt"
    return f"{_plain(leaf.numerator)}/{_plain(leaf.denominator)}"


def _plain(value):
    """118 → "118", 68.5 → "68.5" (no exponent, no trailing zeros)."""
    value = to_decimal(value)
    return str(int(value)) if value == value.to_integral() else format(value.normalize(), "f")


@transaction.atomic
def save_self_assessment(assessment, entries, *, actor):
    """Officer's self-assessment: ``entries`` = {criterion code: {self, self_note, inputs…, not_applicable}}."""
    assessment = _lock(assessment)
    _require(assessment, S.SELF_ASSESSING, message="Chỉ sửa được tự đánh giá khi đang tự đánh giá.")
    leaves = {leaf.criterion.code: leaf for leaf in _leaves(assessment)}
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
    assessment = _lock(assessment)
    _require(assessment, S.SELF_ASSESSING, message="Chỉ gửi được bản tự đánh giá đang soạn.")
    leaves = _leaves(assessment)
    missing = [leaf.criterion.code for leaf in leaves if leaf.self_score is None and not leaf.not_applicable]
    if missing:
        raise ScoringServiceError("Còn tiêu chí chưa tự chấm điểm.", [f"Tiêu chí {c}: chưa có điểm tự đánh giá."
                                                                       for c in missing])
    assessment.self_total = _total(assessment, leaves, "self_score")
    assessment.self_submitted_at = timezone.now()
    _transition(assessment, S.SELF_SUBMITTED, actor)
    assessment.save()
    return assessment


ROUND_FIELDS = {1: ("round1_score", "round1_comment"), 2: ("round2_score", "round2_comment")}


@transaction.atomic
def appraise(assessment, scores, *, actor, round):  # noqa: A002 — the brief's name
    """Reviewer's scores of round 1 or 2: ``scores`` = {code: {score, comment, not_applicable, inputs…}}."""
    assessment = _lock(assessment)
    if round == 1:
        _require(assessment, S.SELF_SUBMITTED, S.ROUND1, message="Thẩm định vòng 1 sau khi xã gửi tự đánh giá.")
    elif round == 2:
        _require(assessment, S.ROUND2, message="Thẩm định vòng 2 sau khi xã giải trình.")
    else:
        raise ScoringServiceError("Vòng thẩm định phải là 1 hoặc 2.")
    score_field, comment_field = ROUND_FIELDS[round]
    leaves = {leaf.criterion.code: leaf for leaf in _leaves(assessment)}
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
        _transition(assessment, S.ROUND1, actor, "Thẩm định vòng 1")
        assessment.save()
    return assessment


@transaction.atomic
def send_for_explanation(assessment, *, actor):
    """Round-1 results go to the commune, which may explain (giải trình) disputed leaves."""
    assessment = _lock(assessment)
    _require(assessment, S.ROUND1, message="Chỉ gửi giải trình sau khi thẩm định vòng 1.")
    missing = [leaf.criterion.code for leaf in _leaves(assessment)
               if leaf.round1_score is None and not leaf.not_applicable]
    if missing:
        raise ScoringServiceError("Còn tiêu chí chưa thẩm định vòng 1.", [f"Tiêu chí {c}: chưa có điểm." for c in missing])
    _transition(assessment, S.EXPLAINING, actor, "Gửi kết quả vòng 1 để xã giải trình")
    assessment.save()
    return assessment


@transaction.atomic
def explain(assessment, explanations, *, actor):
    """The commune's explanations: {code: {"explanation": text, "disputed": bool}}."""
    assessment = _lock(assessment)
    _require(assessment, S.EXPLAINING, message="Chỉ giải trình khi Nội vụ đã gửi kết quả vòng 1.")
    leaves = {leaf.criterion.code: leaf for leaf in _leaves(assessment)}
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
    assessment = _lock(assessment)
    _require(assessment, S.EXPLAINING, message="Chưa ở bước giải trình.")
    leaves = _leaves(assessment)
    for leaf in leaves:
        if leaf.round2_score is None:
            leaf.round2_score = leaf.round1_score
    LeafScore.objects.bulk_update(leaves, ["round2_score"])
    _transition(assessment, S.ROUND2, actor, "Xã đã gửi giải trình")
    assessment.save()
    return assessment


@transaction.atomic
def set_adjustments(assessment, *, actor, bonus=ZERO, bonus_reason="", penalty=ZERO, penalty_reason=""):
    """The council's bonus and penalty (capped by the set's T/P rows), replacing earlier entries."""
    assessment = _lock(assessment)
    _require(assessment, S.ROUND1, S.ROUND2, S.SELF_SUBMITTED,
             message="Chỉ ghi điểm thưởng/trừ trong khi thẩm định.")
    problems = _adjustment_problems(assessment.criteria_set, bonus, penalty)
    if problems:
        raise ScoringServiceError("Điểm thưởng/trừ không hợp lệ.", problems)
    _replace_adjustments(assessment, bonus, bonus_reason, penalty, penalty_reason, actor)
    return assessment


def _caps(criteria_set):
    caps = {CriterionLevel.BONUS: None, CriterionLevel.PENALTY: None}
    rows = {}
    for criterion in criteria_set.criteria.filter(level__in=[CriterionLevel.BONUS, CriterionLevel.PENALTY]):
        caps[criterion.level] = (caps[criterion.level] or ZERO) + criterion.max_score
        rows.setdefault(criterion.level, criterion)
    return caps, rows


def _adjustment_problems(criteria_set, bonus, penalty, *, paths=("", "")):
    caps, _rows = _caps(criteria_set)
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


def _replace_adjustments(assessment, bonus, bonus_reason, penalty, penalty_reason, actor):
    _caps_, rows = _caps(assessment.criteria_set)
    assessment.adjustments.all().delete()
    for kind, points, reason in ((AdjustmentKind.BONUS, bonus, bonus_reason),
                                 (AdjustmentKind.PENALTY, penalty, penalty_reason)):
        points = to_decimal(points or 0)
        if points > 0:
            Adjustment.objects.create(assessment=assessment, kind=kind, criterion=rows.get(kind), points=points,
                                      reason=reason or "", created_by=actor)


def _total(assessment, leaves, attribute):
    return scoring.total(
        [(leaf.criterion.max_score, None if leaf.not_applicable else getattr(leaf, attribute) or ZERO)
         for leaf in leaves],
        assessment.criteria_set.max_score,
    )


def compute_totals(assessment, leaves=None):
    """Stored figures of an assessment whose leaves have their appraised score: totals, per-field
    totals, bonus, penalty, final, deductions, classification. Mutates and returns ``assessment``."""
    leaves = leaves if leaves is not None else _leaves(assessment)
    criteria_set = assessment.criteria_set
    caps, _rows = _caps(criteria_set)
    assessment.appraised_total = _total(assessment, leaves, "appraised")
    if all(leaf.self_score is not None or leaf.not_applicable for leaf in leaves):
        assessment.self_total = _total(assessment, leaves, "self_score")
    points = {AdjustmentKind.BONUS: ZERO, AdjustmentKind.PENALTY: ZERO}
    for adjustment in assessment.adjustments.all():
        points[adjustment.kind] += adjustment.points
    assessment.bonus = scoring.capped(points[AdjustmentKind.BONUS], caps[CriterionLevel.BONUS])
    assessment.penalty = scoring.capped(points[AdjustmentKind.PENALTY], caps[CriterionLevel.PENALTY])
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


@transaction.atomic
def approve_assessment(assessment, *, actor, note=""):
    """The council approves: appraised = round 2 (else round 1) per leaf; totals stored; frozen."""
    assessment = _lock(assessment)
    _require(assessment, S.ROUND1, S.ROUND2, message="Hội đồng chỉ thông qua sau khi thẩm định.")
    leaves = _leaves(assessment)
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
    _transition(assessment, S.APPROVED, actor, note or "Hội đồng thẩm định thông qua")
    assessment.save()
    CriteriaSet.objects.filter(pk=assessment.criteria_set_id).update(frozen=True)
    return assessment


def scope_assessments(scope_unit, year):
    """Scored (approved or published) assessments of the communes under ``scope_unit`` for ``year``."""
    return (Assessment.objects.scored().filter(year=year)
            .filter(unit__in=AdministrativeUnit.objects.communes().below(scope_unit))
            .select_related("unit", "criteria_set"))


@transaction.atomic
def publish_results(scope_unit, year, *, actor):
    """Publish the year's results under ``scope_unit``: ranks stored, communes may see them."""
    assessments = list(scope_assessments(scope_unit, year).select_for_update(of=("self",)))
    if not assessments:
        raise ScoringServiceError(f"Chưa có kết quả nào được Hội đồng thông qua dưới {scope_unit} năm {year}.")
    ranks = scoring.competition_ranks((a.pk, a.final) for a in assessments)
    now = timezone.now()
    for assessment in assessments:
        assessment.rank = ranks[assessment.pk]
        assessment.rank_of = len(assessments)
        assessment.rank_scope = scope_unit
        if assessment.status == S.APPROVED:
            _transition(assessment, S.PUBLISHED, actor, f"Công bố kết quả của {scope_unit}")
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


@transaction.atomic
def reopen(assessment, *, actor, reason):
    """Reopen an approved or published assessment for round 2 (its stored results are cleared)."""
    reason = (reason or "").strip()
    if not reason:
        raise ScoringServiceError("Phải nêu lý do mở lại kết quả đánh giá.")
    assessment = _lock(assessment)
    _require(assessment, S.APPROVED, S.PUBLISHED, message="Chỉ mở lại được kết quả đã thông qua hoặc đã công bố.")
    _transition(assessment, S.ROUND2, actor, reason)
    assessment.rank = assessment.rank_of = None
    assessment.final = assessment.appraised_total = None
    assessment.classification = ""
    assessment.published_at = assessment.approved_at = None
    assessment.save()
    return assessment


@transaction.atomic
def save_remediation(assessment, entries, *, actor):
    """Council comments, responsible person, remediation and deadlines per leaf (any time before publishing).
    ``entries`` = {code: {council_comment, responsible, remediation, deadlines: [date…]}}."""
    assessment = _lock(assessment)
    if assessment.status == S.PUBLISHED:
        raise ScoringServiceError("Kết quả đã công bố, không sửa được.")
    leaves = {leaf.criterion.code: leaf for leaf in _leaves(assessment)}
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


@transaction.atomic
def mark_remediation_done(item, *, actor, note="", upload=None):
    """The commune marks a remediation step done, optionally with an evidence file."""
    item = RemediationItem.objects.select_for_update().select_related("assessment").get(pk=item.pk)
    if item.done:
        raise ScoringServiceError("Nội dung này đã được đánh dấu hoàn thành.")
    if upload is not None:
        attach_evidence(item.assessment, upload, actor=actor, remediation_item=item)
    item.done, item.done_at, item.done_by, item.done_note = True, timezone.now(), actor, note or ""
    item.save()
    return item


# --- Evidence files ------------------------------------------------------------------------------

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


# --- Rankings ------------------------------------------------------------------------------------

def previous_results(assessments, year):
    """{assessment pk: previous-year Assessment or None}: the same unit's, or a lone whole predecessor's
    (a commune formed by merging several has no comparable previous result: None)."""
    from reports.models import UnitLineage

    unit_ids = [a.unit_id for a in assessments]
    lineage = {}
    for link in UnitLineage.objects.filter(unit_id__in=unit_ids):
        lineage.setdefault(link.unit_id, []).append(link)
    predecessor = {}
    for unit_id in unit_ids:
        links = lineage.get(unit_id, [])
        predecessor[unit_id] = links[0].predecessor_id if len(links) == 1 and not links[0].partial else None
    wanted = set(unit_ids) | {p for p in predecessor.values() if p}
    previous = {a.unit_id: a for a in Assessment.objects.scored().filter(year=year - 1, unit_id__in=wanted)}
    result = {}
    for assessment in assessments:
        found = previous.get(assessment.unit_id)
        if found is None and predecessor.get(assessment.unit_id):
            found = previous.get(predecessor[assessment.unit_id])
        result[assessment.pk] = found
    return result


def ranking(scope_unit, year, *, assessments=None, with_previous=True):
    """Rows of the ranking of ``scope_unit``'s communes for ``year``, best first; ties share a rank.
    Two or three queries whatever the number of communes."""
    assessments = list(assessments if assessments is not None else scope_assessments(scope_unit, year))
    ranks = scoring.competition_ranks((a.pk, a.final) for a in assessments)
    previous = previous_results(assessments, year) if with_previous else {}
    rows = []
    for assessment in sorted(assessments, key=lambda a: (ranks[a.pk], a.unit.code)):
        before = previous.get(assessment.pk)
        rows.append({
            "rank": ranks[assessment.pk], "assessment": assessment, "unit": assessment.unit,
            "previous": before,
            "score_change": (assessment.final - before.final) if before and before.final is not None else None,
            "rank_change": (before.rank - ranks[assessment.pk]) if before and before.rank else None,
        })
    return rows


def ranking_json(rows):
    def number(value):
        return float(value) if value is not None else None

    return [{
        "rank": row["rank"], "unit": row["unit"].code, "name": row["unit"].name,
        "self_total": number(row["assessment"].self_total), "appraised_total": number(row["assessment"].appraised_total),
        "bonus": number(row["assessment"].bonus), "penalty": number(row["assessment"].penalty),
        "final": number(row["assessment"].final), "classification": row["assessment"].classification,
        "status": row["assessment"].status,
        "previous_final": number(row["previous"].final) if row["previous"] else None,
        "previous_rank": row["previous"].rank if row["previous"] else None,
    } for row in rows]


def leaves_prefetch():
    return Prefetch("leaves", queryset=LeafScore.objects.select_related("criterion").order_by("criterion__position"))


# --- cchc-assessment/1 import --------------------------------------------------------------------

ASSESSMENT_SCHEMA_PATH = settings.BASE_DIR / "indicators" / "schemas" / "assessment-v1.schema.json"


def _schema_problems(data):
    import json

    import jsonschema

    schema = json.loads(ASSESSMENT_SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path = "".join(f"[{p!r}]" if isinstance(p, str) and "." in p else f".{p}" for p in error.absolute_path)
        problems.append(f"{path.lstrip('.') or '(gốc)'}: {error.message}")
    return problems


def check_assessment_document(data):
    """Phase one of ``import_assessment``: every problem of a cchc-assessment/1 document, plus the
    resolved unit, criteria set and the per-leaf values to store (nothing is saved)."""
    problems = _schema_problems(data)
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
    if existing is not None and existing.status == S.PUBLISHED:
        problems.append(f"unit: kết quả năm {year} của {unit} đã công bố, không nhập đè được")
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
                    f"{_inputs_text(leaf)} = {format_score(computed)}")
        record["appraised"] = (computed if has_inputs else
                               (round_half_up(Decimal(str(entry["appraised"]))) if "appraised" in entry else None))
        record["self"] = round_half_up(Decimal(str(entry["self"]))) if "self" in entry else None
        try:
            record["deadlines"] = [dt.date.fromisoformat(d).isoformat() for d in entry.get("deadlines", [])]
        except ValueError as error:
            problems.append(f"{path}.deadlines: ngày không hợp lệ ({error})")
        values[code_] = record
    for key, label in (("bonus", "điểm thưởng"), ("penalty", "điểm trừ")):
        if key in data and Decimal(str(data[key])) != round_half_up(Decimal(str(data[key]))):
            problems.append(f"{key}: {label} có tối đa 2 chữ số thập phân")
    problems += _adjustment_problems(criteria_set, Decimal(str(data.get("bonus", 0))),
                                     Decimal(str(data.get("penalty", 0))), paths=("bonus: ", "penalty: "))
    return problems, {"unit": unit, "criteria_set": criteria_set, "values": values, "existing": existing}


def _needed_inputs(method):
    return {Method.PER_COUNT_CAPPED: "count", Method.YES_NO: "yes"}.get(method, "numerator và denominator")


def import_assessment(data, *, actor=None):
    """Store a cchc-assessment/1 document; any problem refuses the whole document (nothing saved).

    Every leaf appraised (or not applicable) → the assessment is stored approved with its totals;
    otherwise it stays in self-assessment (self scores only) or round 1."""
    problems, checked = check_assessment_document(data)
    if problems:
        raise ScoringServiceError("Tệp đánh giá có lỗi, không lưu gì.", problems)
    unit, criteria_set, values = checked["unit"], checked["criteria_set"], checked["values"]
    year = data["year"]
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().filter(unit=unit, year=year).first()
        if assessment is not None and assessment.criteria_set_id != criteria_set.pk:
            assessment.leaves.all().delete()
            assessment.criteria_set = criteria_set
        if assessment is None:
            assessment = Assessment.objects.create(unit=unit, year=year, criteria_set=criteria_set)
            AssessmentTransition.objects.create(assessment=assessment, to_status=S.SELF_ASSESSING, actor=actor,
                                                note="Nhập từ tệp cchc-assessment/1")
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(frozen=True)
        existing = {leaf.criterion_id: leaf for leaf in assessment.leaves.select_related("criterion")}
        leaves = []
        for criterion in criteria_set.criteria.filter(is_leaf=True).order_by("position"):
            leaf = existing.get(criterion.pk) or LeafScore(assessment=assessment, criterion=criterion)
            record = values.get(criterion.code)
            if record is not None:
                given, entry = record["leaf"], record["entry"]
                leaf.numerator, leaf.denominator, leaf.count, leaf.yes = (
                    given.numerator, given.denominator, given.count, given.yes)
                leaf.input_source = InputSource.EXPLICIT if record["has_inputs"] else ""
                leaf.not_applicable = record["not_applicable"]
                leaf.self_score = record["self"]
                leaf.appraised = None if leaf.not_applicable else record["appraised"]
                leaf.round1_score = leaf.appraised
                leaf.self_note = entry.get("self_note", "")
                leaf.council_comment = entry.get("council_comment", "")
                leaf.responsible = entry.get("responsible", "")
                leaf.remediation = entry.get("remediation", "")
                leaf.deadlines = record["deadlines"]
            leaves.append(leaf)
        LeafScore.objects.bulk_create([leaf for leaf in leaves if leaf.pk is None])
        LeafScore.objects.bulk_update(
            [leaf for leaf in leaves if leaf.pk is not None],
            ["numerator", "denominator", "count", "yes", "input_source", "not_applicable", "self_score", "appraised",
             "round1_score", "self_note", "council_comment", "responsible", "remediation", "deadlines"])
        _replace_adjustments(assessment, Decimal(str(data.get("bonus", 0))), "", Decimal(str(data.get("penalty", 0))),
                             "", actor)
        leaves = _leaves(assessment)
        complete = all(leaf.appraised is not None or leaf.not_applicable for leaf in leaves)
        if complete:
            compute_totals(assessment, leaves)
            target_status = S.APPROVED
            assessment.approved_at = timezone.now()
        else:
            assessment.final = assessment.appraised_total = None
            has_self = all(leaf.self_score is not None or leaf.not_applicable for leaf in leaves)
            if has_self:
                assessment.self_total = _total(assessment, leaves, "self_score")
            target_status = S.ROUND1 if any(leaf.appraised is not None for leaf in leaves) else (
                S.SELF_SUBMITTED if has_self else S.SELF_ASSESSING)
        if assessment.status != target_status:
            _transition(assessment, target_status, actor, "Nhập từ tệp cchc-assessment/1")
        assessment.save()
    return assessment
