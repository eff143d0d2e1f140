"""The one-stop invariants E1–E8, rates and time-cut rules of procedures.onestop, as properties."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cchc_portal.lib import numbers
from procedures import onestop

SMALL = st.integers(min_value=0, max_value=5000)


def split(draw, total, parts):
    """``total`` split into ``parts`` non-negative ints."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


@st.composite
def consistent_counts(draw):
    """Counts that satisfy every invariant (E1–E6)."""
    carried_over, online, direct, postal = (draw(SMALL) for _ in range(4))
    online_full, online_partial, _rest = split(draw, online, 3)
    received = carried_over + online + direct + postal
    early, on_time, late, in_time, overdue, withdrawn = split(draw, received, 6)
    resolved = early + on_time + late
    fee_bearing = draw(SMALL)
    responses = draw(SMALL)
    return {
        "carried_over": carried_over, "online": online, "online_full": online_full,
        "online_partial": online_partial, "direct": direct, "postal": postal,
        "resolved_early": early, "resolved_on_time": on_time, "resolved_late": late,
        "pending_in_time": in_time, "pending_overdue": overdue, "withdrawn": withdrawn,
        "interconnected": draw(SMALL), "digitised": draw(st.integers(0, received)),
        "electronic_results": draw(st.integers(0, resolved)), "fee_bearing": fee_bearing,
        "paid_online": draw(st.integers(0, fee_bearing)), "satisfaction_responses": responses,
        "satisfied": draw(st.integers(0, responses)),
    }


any_counts = st.fixed_dictionaries({name: st.one_of(st.none(), SMALL) for name in onestop.ONE_STOP_FIELDS})

SEED_002 = {  # Xã Hoằng Lưu, 2024: "830 hồ sơ" but the channels add up to 627
    "carried_over": 0, "online": 585, "online_partial": 479, "online_full": 106, "direct": 40, "postal": 2,
    "resolved_early": 479, "resolved_on_time": 106, "resolved_late": 0, "pending_in_time": 0,
    "pending_overdue": 0, "withdrawn": 0, "satisfaction_responses": 139, "satisfied": 139,
}


def fields(problems):
    return [field for field, _message in problems]


@given(consistent_counts())
def test_consistent_counts_pass_every_invariant(counts):
    totals = onestop.one_stop_totals(counts)
    assert onestop.one_stop_problems(counts, typed_received=totals["received"],
                                     previous_pending=counts["carried_over"]) == []


@given(consistent_counts())
def test_totals_follow_e1_to_e4(counts):
    totals = onestop.one_stop_totals(counts)
    assert totals["received"] == counts["carried_over"] + counts["online"] + counts["direct"] + counts["postal"]
    assert totals["received_in_period"] == totals["received"] - counts["carried_over"]
    assert totals["resolved"] == counts["resolved_early"] + counts["resolved_on_time"] + counts["resolved_late"]
    assert totals["pending"] == counts["pending_in_time"] + counts["pending_overdue"]
    assert totals["received"] == totals["resolved"] + totals["pending"] + counts["withdrawn"]
    assert totals["resolved_in_time"] <= totals["resolved"]


@given(consistent_counts())
def test_rates_of_consistent_counts_lie_between_0_and_100(counts):
    for name, value in onestop.one_stop_rates(counts).items():
        if value is not None:
            assert Decimal(0) <= value <= Decimal(100), name
            assert value == value.quantize(Decimal("0.01"))


@given(any_counts)
def test_a_rate_is_none_exactly_when_its_denominator_is_zero(counts):
    totals = onestop.one_stop_totals(counts)
    denominators = {
        "on_time": totals["resolved"], "early": totals["resolved"], "online": totals["received_in_period"],
        "digitised": totals["received"], "electronic_results": totals["resolved"],
        "paid_online": counts["fee_bearing"] or 0, "satisfied": counts["satisfaction_responses"] or 0,
    }
    rates = onestop.one_stop_rates(counts)
    assert set(rates) == set(denominators)
    for name, denominator in denominators.items():
        assert (rates[name] is None) == (denominator == 0), name


@given(consistent_counts(), st.sampled_from(onestop.ONE_STOP_CHANNELS), st.integers(-50, 50))
def test_changing_one_channel_breaks_e1_against_the_typed_total(counts, channel, delta):
    assume(delta != 0 and counts[channel] + delta >= 0)
    typed = onestop.one_stop_totals(counts)["received"]
    changed = {**counts, channel: counts[channel] + delta}
    problems = dict(onestop.one_stop_problems(changed, typed_received=typed))
    assert "received" in problems
    assert f"({numbers.format_number(typed)})" in problems["received"]
    assert f"({numbers.format_number(typed + delta)})" in problems["received"]


@given(consistent_counts(), st.sampled_from(onestop.ONE_STOP_CHANNELS), st.integers(1, 50))
def test_changing_one_channel_without_the_outcomes_breaks_e4(counts, channel, delta):
    changed = {**counts, channel: counts[channel] + delta}
    if channel == "online":
        changed["online_full"], changed["online_partial"] = counts["online_full"], counts["online_partial"]
    assert "outcome" in fields(onestop.one_stop_problems(changed))


@given(consistent_counts(), st.sampled_from(onestop.ONE_STOP_OUTCOMES), st.integers(1, 50))
def test_changing_one_outcome_breaks_e4(counts, outcome, delta):
    changed = {**counts, outcome: counts[outcome] + delta}
    assume(changed["electronic_results"] <= onestop.one_stop_totals(changed)["resolved"])
    assert fields(onestop.one_stop_problems(changed)) == ["outcome"]


@given(consistent_counts(), st.integers(1, 50))
def test_carried_over_must_equal_the_previous_pending(counts, delta):
    problems = dict(onestop.one_stop_problems(counts, previous_pending=counts["carried_over"] + delta))
    assert "carried_over" in problems
    assert f"({numbers.format_number(counts['carried_over'] + delta)})" in problems["carried_over"]


@pytest.mark.parametrize("field, parent", [
    ("online_full", "online"), ("paid_online", "fee_bearing"), ("satisfied", "satisfaction_responses"),
])
def test_sub_counts_may_not_exceed_their_parent(field, parent):
    counts = {**SEED_002, "resolved_on_time": 148, "fee_bearing": 10, "paid_online": 3}
    counts[field] = (counts.get(parent) or 0) + 1 + (0 if field != "online_full" else -counts["online_partial"])
    problems = dict(onestop.one_stop_problems(counts))
    reported = "online_partial" if field == "online_full" else field
    assert reported in problems
    assert "lớn hơn" in problems[reported]


def test_digitised_and_electronic_results_are_bounded_by_received_and_resolved():
    counts = {**SEED_002, "resolved_on_time": 148, "digitised": 628, "electronic_results": 628}
    problems = dict(onestop.one_stop_problems(counts))
    assert "(628) lớn hơn tổng số hồ sơ tiếp nhận (627)" in problems["digitised"]
    assert "(628) lớn hơn số hồ sơ đã giải quyết (627)" in problems["electronic_results"]


@pytest.mark.parametrize("value", [-1, 2.5, "7", True])
def test_counts_must_be_non_negative_integers(value):
    assert fields(onestop.one_stop_problems({"online": value})) == ["online"]


def test_seed_002_total_is_refused_with_both_numbers():
    problems = dict(onestop.one_stop_problems(SEED_002, typed_received=830))
    assert problems["received"].startswith("Tổng số hồ sơ tiếp nhận (830) khác tổng các kênh tiếp nhận (627)")
    assert "(627) khác tổng đã giải quyết (585)" in problems["outcome"]


def test_nothing_entered_has_no_problem_and_no_rate():
    assert onestop.one_stop_problems({}) == []
    assert set(onestop.one_stop_rates({}).values()) == {None}
    assert numbers.format_rate(onestop.one_stop_rates({})["on_time"]) == "—"


def test_on_time_rate_counts_early_and_on_time_over_resolved():
    counts = {**SEED_002, "resolved_on_time": 148, "resolved_late": 7, "pending_in_time": 0}
    counts["resolved_early"] -= 7
    rates = onestop.one_stop_rates(counts)
    assert rates["on_time"] == Decimal("98.88")
    assert numbers.format_rate(rates["on_time"]) == "98,88%"
    assert rates["online"] == numbers.rate(585, 627)


# --- Time cuts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("legal, cut, expected, shown", [
    (3, 2, Decimal("33.33"), "33,33"), (5, 2, Decimal("60.00"), "60"), (7, 3, Decimal("57.14"), "57,14"),
    (Decimal("8"), Decimal("7.99"), Decimal("0.13"), "0,13"),  # half-up, not banker's (0,125 → 0,13)
    (45, 30, Decimal("33.33"), "33,33"),
])
def test_time_cut_percent(legal, cut, expected, shown):
    assert onestop.time_cut_percent(legal, cut) == expected
    assert numbers.format_number(onestop.time_cut_percent(legal, cut)) == shown


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("365"), places=2),
       st.decimals(min_value=Decimal("0.01"), max_value=Decimal("365"), places=2))
def test_a_valid_cut_is_between_0_and_100_percent(legal, cut):
    problems = onestop.time_cut_problems(legal, cut)
    assert (problems == []) == (cut < legal)
    if cut < legal:
        assert Decimal(0) <= onestop.time_cut_percent(legal, cut) <= Decimal(100)


def test_a_cut_not_shorter_than_the_legal_time_is_refused():
    assert onestop.time_cut_problems(3, 5) == [
        ("cut_days", "Thời gian sau cắt giảm (5) phải ngắn hơn thời gian theo quy định (3).")]
    assert onestop.time_cut_problems(Decimal("2.5"), Decimal("2.5"))[0][1] == (
        "Thời gian sau cắt giảm (2,5) phải ngắn hơn thời gian theo quy định (2,5).")
    assert fields(onestop.time_cut_problems(0, 1)) == ["legal_days"]
