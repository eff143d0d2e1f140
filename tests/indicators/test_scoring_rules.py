"""The scoring rules of criteria-v1.md, with the worked figures of seed 003 and property tests."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_portal.lib.numbers import format_score
from indicators.scoring import formulas as scoring
from indicators.scoring.formulas import ScoringError, leaf_score

D = Decimal


def test_proportional_seven_of_thirty_online_payment_procedures_scores_0_23():
    assert format_score(leaf_score("proportional", 1, numerator=7, denominator=30)) == "0,23"


def test_target_118_of_1245_against_30_percent_scores_0_32():
    assert format_score(leaf_score("target", 1, {"target": "0.3"}, numerator=118, denominator=1245)) == "0,32"


def test_threshold_68_percent_under_70_scores_zero():
    assert leaf_score("threshold", 1, {"threshold": D("0.7")}, numerator=68, denominator=100) == D("0.00")
    assert leaf_score("threshold", 1, {"threshold": D("0.7")}, numerator=70, denominator=100) == D("1.00")


def test_proportional_98_percent_scores_0_98():
    assert format_score(leaf_score("proportional", 1, numerator=98, denominator=100)) == "0,98"


def test_two_initiatives_at_half_point_capped_at_two_score_one():
    assert leaf_score("per_count_capped", 2, {"per_unit": "0.5"}, count=2) == D("1.00")
    assert leaf_score("per_count_capped", 2, {"per_unit": "0.5"}, count=9) == D("2.00")


def test_seven_of_nine_commitments_rounds_half_up_to_0_78():
    assert leaf_score("proportional", 1, numerator=7, denominator=9) == D("0.78")


def test_zero_denominator_makes_leaf_not_applicable():
    assert leaf_score("proportional", 1, numerator=0, denominator=0) is None
    assert leaf_score("target", 1, {"target": "0.3"}, numerator=0, denominator=0) is None


def test_yes_no_and_graded():
    assert leaf_score("yes_no", D("0.5"), yes=True) == D("0.50")
    assert leaf_score("yes_no", D("0.5"), yes=False) == D("0.00")
    assert leaf_score("graded", D("1.5"), given="1.25") == D("1.25")
    assert leaf_score("survey", 2, given=2) == D("2.00")


@pytest.mark.parametrize("given_score", ["2.01", "-0.1"])
def test_graded_outside_zero_to_max_is_refused(given_score):
    with pytest.raises(ScoringError):
        leaf_score("graded", 2, given=given_score)


def test_computed_leaf_without_inputs_accepts_a_given_score_within_max():
    assert leaf_score("proportional", 1, given="0.84") == D("0.84")
    with pytest.raises(ScoringError):
        leaf_score("proportional", 1)


def test_missing_parameter_is_refused():
    with pytest.raises(ScoringError):
        leaf_score("target", 1, numerator=1, denominator=2)


def test_total_rescales_when_a_leaf_is_not_applicable():
    leaves = [(D(60), D(50)), (D(30), D(30)), (D(10), None)]
    assert scoring.total(leaves, 100) == D("88.89")  # 80 × 100 / 90
    assert scoring.total([(D(60), D(50)), (D(40), D("37.25"))], 100) == D("87.25")


def test_total_rounds_each_leaf_before_summing():
    assert scoring.total([(D(1), D("0.125")), (D(1), D("0.125"))], 2) == D("0.26")


def test_final_caps_bonus_and_penalty():
    assert scoring.final(D("87.25"), 1, 0, bonus_cap=2, penalty_cap=5) == D("88.25")
    assert scoring.final(D("87.25"), 3, 7, bonus_cap=2, penalty_cap=5) == D("84.25")


def test_ties_share_a_rank():
    ranks = scoring.competition_ranks([("a", 90), ("b", 85), ("c", 85), ("d", 80)])
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_classify_by_bands():
    assert scoring.classify(D("88.25"), scoring.DEFAULT_BANDS) == "Tốt"
    assert scoring.classify(D("90"), scoring.DEFAULT_BANDS) == "Xuất sắc"
    assert scoring.classify(D("12"), scoring.DEFAULT_BANDS) == "Yếu"


def test_parse_params():
    assert scoring.parse_params("threshold=0.7") == {"threshold": D("0.7")}
    assert scoring.parse_params("") == {}
    with pytest.raises(ScoringError):
        scoring.parse_params("target")


maxima = st.decimals(min_value=D("0.25"), max_value=D(10), places=2)
counts = st.integers(min_value=0, max_value=10_000)


@given(method=st.sampled_from(["proportional", "threshold", "target"]), max_score=maxima,
       n=counts, d=counts, bar=st.decimals(min_value=D("0.05"), max_value=D(1), places=2))
def test_ratio_scores_stay_within_zero_and_max(method, max_score, n, d, bar):
    n = min(n, d)
    score = leaf_score(method, max_score, {"threshold": bar, "target": bar}, numerator=n, denominator=d)
    if d == 0:
        assert score is None
    else:
        assert D(0) <= score <= max_score


@given(method=st.sampled_from(["proportional", "threshold", "target"]), max_score=maxima,
       d=st.integers(min_value=1, max_value=5000), a=counts, b=counts,
       bar=st.decimals(min_value=D("0.05"), max_value=D(1), places=2))
def test_ratio_scores_do_not_decrease_as_the_ratio_grows(method, max_score, d, a, b, bar):
    low, high = sorted((min(a, d), min(b, d)))
    params = {"threshold": bar, "target": bar}
    assert leaf_score(method, max_score, params, numerator=low, denominator=d) <= leaf_score(
        method, max_score, params, numerator=high, denominator=d)


@given(max_score=maxima, count=counts, per_unit=st.decimals(min_value=D("0.1"), max_value=D(2), places=2))
def test_per_count_scores_stay_within_zero_and_max(max_score, count, per_unit):
    assert D(0) <= leaf_score("per_count_capped", max_score, {"per_unit": per_unit}, count=count) <= max_score
