"""Scoring rules of the commune PAR index (criteria-v1.md), as plain functions over Decimals.

Nothing here touches the database: services, imports, forms and exports call these functions and
no other place repeats the arithmetic. A leaf's score is ``None`` when the leaf is not applicable
(a ratio whose denominator is 0); totals drop such leaves and rescale the set's maximum.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from cchc_portal.lib.numbers import format_number, round_half_up, to_decimal

ZERO = Decimal("0")
ONE = Decimal("1")


class Method:
    YES_NO = "yes_no"
    GRADED = "graded"
    PROPORTIONAL = "proportional"
    THRESHOLD = "threshold"
    TARGET = "target"
    PER_COUNT_CAPPED = "per_count_capped"
    SURVEY = "survey"
    BONUS = "bonus"
    PENALTY = "penalty"


LEAF_METHODS = (
    Method.YES_NO, Method.GRADED, Method.PROPORTIONAL, Method.THRESHOLD, Method.TARGET,
    Method.PER_COUNT_CAPPED, Method.SURVEY,
)
RATIO_METHODS = (Method.PROPORTIONAL, Method.THRESHOLD, Method.TARGET)
ADJUSTMENT_METHODS = (Method.BONUS, Method.PENALTY)
ALL_METHODS = LEAF_METHODS + ADJUSTMENT_METHODS
# The parameter each method needs (criteria-v1.md, column ``params``).
REQUIRED_PARAMS = {Method.THRESHOLD: "threshold", Method.TARGET: "target", Method.PER_COUNT_CAPPED: "per_unit"}


class ScoringError(ValueError):
    """Inputs a rule cannot score (a graded score above the max, a missing input…); Vietnamese message."""


def _dec(value, name="giá trị"):
    try:
        number = to_decimal(value)
    except ValueError as error:
        raise ScoringError(f"{name} không phải là số: {value!r}") from error
    if number is None:
        raise ScoringError(f"thiếu {name}")
    return number


def ratio(numerator, denominator):
    """n/d as a Decimal; ``None`` when d = 0 (the leaf is then not applicable, not zero)."""
    n, d = _dec(numerator, "tử số"), _dec(denominator, "mẫu số")
    if n < 0 or d < 0:
        raise ScoringError("tử số và mẫu số không được âm")
    if d == 0:
        return None
    return n / d


def _clamp_ratio(r):
    return min(max(r, ZERO), ONE)


def yes_no(max_score, yes):
    """max if yes else 0."""
    return _dec(max_score) if yes else ZERO


def graded(max_score, given):
    """A score the appraiser gives, which must lie in 0..max."""
    max_score, score = _dec(max_score), _dec(given, "điểm")
    if score < 0 or score > max_score:
        raise ScoringError(f"điểm {format_number(score)} phải trong khoảng 0..{format_number(max_score)}")
    return score


survey = graded


def proportional(max_score, r):
    """max × r (r capped at 1)."""
    return _dec(max_score) * _clamp_ratio(_dec(r))


def threshold(max_score, r, bar):
    """max when r reaches the bar, else 0 (digitisation 68% < 70% → 0)."""
    return _dec(max_score) if _dec(r) >= _dec(bar, "ngưỡng") else ZERO


def target(max_score, r, goal):
    """max × min(1, r / target) (118/1245 against 30% → 0,32)."""
    goal = _dec(goal, "chỉ tiêu")
    if goal <= 0:
        raise ScoringError("chỉ tiêu phải lớn hơn 0")
    return _dec(max_score) * min(ONE, max(_dec(r), ZERO) / goal)


def per_count_capped(max_score, count, per_unit):
    """min(max, count × per_unit) (0,5 per initiative, at most 2)."""
    count = _dec(count, "số lượng")
    if count < 0:
        raise ScoringError("số lượng không được âm")
    return min(_dec(max_score), count * _dec(per_unit, "điểm mỗi đơn vị"))


def parse_params(text):
    """``"threshold=0.7"`` → ``{"threshold": Decimal("0.7")}``; several separated by ``;``."""
    params = {}
    for chunk in (text or "").replace(",", ";").split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        key, sep, value = chunk.partition("=")
        if not sep:
            raise ScoringError(f"tham số {chunk!r} phải có dạng tên=giá trị")
        params[key.strip()] = _dec(value.strip(), f"tham số {key.strip()}")
    return params


def is_computed(method, source=""):
    """Leaves whose score follows from inputs rather than the appraiser's judgement."""
    if method in (Method.PROPORTIONAL, Method.THRESHOLD, Method.TARGET, Method.PER_COUNT_CAPPED):
        return True
    return method == Method.YES_NO and bool(source)


def has_inputs(method, *, numerator=None, denominator=None, count=None, yes=None):
    if method in RATIO_METHODS:
        return numerator is not None and denominator is not None
    if method == Method.PER_COUNT_CAPPED:
        return count is not None
    if method == Method.YES_NO:
        return yes is not None
    return False


def leaf_score(method, max_score, params=None, numerator=None, denominator=None, count=None, yes=None,
               given=None):
    """The score of one leaf, rounded half-up to two places; ``None`` when not applicable.

    Computed methods use their inputs when given (a ratio with d = 0 → not applicable); without
    inputs they accept a ``given`` score in 0..max. Graded and survey leaves need ``given``.
    """
    params = {k: _dec(v, f"tham số {k}") for k, v in (params or {}).items()}
    max_score = _dec(max_score, "điểm chuẩn")
    if method not in LEAF_METHODS:
        raise ScoringError(f"phương pháp chấm {method!r} không hợp lệ")
    needed = REQUIRED_PARAMS.get(method)
    if needed and needed not in params:
        raise ScoringError(f"phương pháp {method} cần tham số {needed}")
    if has_inputs(method, numerator=numerator, denominator=denominator, count=count, yes=yes):
        if method in RATIO_METHODS:
            r = ratio(numerator, denominator)
            if r is None:
                return None
            if method == Method.PROPORTIONAL:
                score = proportional(max_score, r)
            elif method == Method.THRESHOLD:
                score = threshold(max_score, r, params["threshold"])
            else:
                score = target(max_score, r, params["target"])
        elif method == Method.PER_COUNT_CAPPED:
            score = per_count_capped(max_score, count, params["per_unit"])
        else:
            score = yes_no(max_score, yes)
        return round_half_up(score)
    if given is None:
        raise ScoringError("chưa có điểm hoặc số liệu để tính điểm")
    return round_half_up(graded(max_score, given))


def applicable_sum(leaves: Iterable[tuple]):
    """(sum of rounded scores, sum of max) over applicable leaves; ``leaves`` are (max, score|None)."""
    scores, maxima = ZERO, ZERO
    for max_score, score in leaves:
        if score is None:
            continue
        scores += round_half_up(score)
        maxima += _dec(max_score)
    return scores, maxima


def total(leaves: Iterable[tuple], set_max):
    """Sum of appraised leaf scores, rescaled when some leaves are not applicable:
    total = sum(scores) × set max / sum(max of applicable leaves)."""
    set_max = _dec(set_max)
    scores, maxima = applicable_sum(leaves)
    if maxima == 0:
        return ZERO
    if maxima == set_max:
        return round_half_up(scores)
    return round_half_up(scores * set_max / maxima)


def capped(value, cap):
    value = _dec(value or 0)
    if value < 0:
        raise ScoringError("điểm thưởng/trừ không được âm")
    return min(value, _dec(cap)) if cap is not None else value


def final(total_score, bonus=0, penalty=0, *, bonus_cap=None, penalty_cap=None):
    """total + bonus − penalty, each capped by its row of the set."""
    return round_half_up(_dec(total_score) + capped(bonus, bonus_cap) - capped(penalty, penalty_cap))


def deducted(max_score, score):
    """Points lost on a leaf (max − appraised); 0 for a not-applicable leaf."""
    if score is None:
        return ZERO
    return round_half_up(_dec(max_score) - _dec(score))


def classify(score, bands):
    """The label of the first band (highest ``min`` first) whose minimum ``score`` reaches."""
    if score is None:
        return ""
    for band in sorted(bands or [], key=lambda b: -_dec(b["min"])):
        if _dec(score) >= _dec(band["min"]):
            return band["label"]
    return ""


def competition_ranks(scores: Iterable[tuple]):
    """``{key: rank}`` by score, highest first; ties share a rank (1, 2, 2, 4)."""
    ordered = sorted(((key, _dec(score)) for key, score in scores), key=lambda item: -item[1])
    ranks, previous, rank = {}, None, 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


DEFAULT_BANDS = [
    {"min": 90, "label": "Xuất sắc"},
    {"min": 80, "label": "Tốt"},
    {"min": 70, "label": "Khá"},
    {"min": 50, "label": "Trung bình"},
    {"min": 0, "label": "Yếu"},
]
