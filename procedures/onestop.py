"""The one-stop rules of procedures: dossier statistics (domain brief §4, invariants E1–E8) and
processing-time cuts, as plain functions over plain values.

Forms, imports, the report part, the document block and the demo all call these; nothing repeats
them. The shared helpers (number formatting, rates, parsing) come from ``cchc_portal.lib.numbers``
and are re-exported here, so a procedures module reads all its numbers from one name.
"""

from cchc_portal.lib.numbers import (  # noqa: F401 - re-exported for procedures' modules
    DASH,
    format_number,
    format_rate,
    parse_number,
    rate,
    round_half_up,
    to_decimal,
)

# --- One-stop dossier statistics (domain brief §4, invariants E1–E8) ---------------------------
#
# ``counts`` is a mapping of the count names below to non-negative ints or None (not entered);
# None counts as 0 in sums. Received, resolved and pending are derived, never typed (E7).

ONE_STOP_CHANNELS = ("carried_over", "online", "direct", "postal")
ONE_STOP_RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
ONE_STOP_PENDING = ("pending_in_time", "pending_overdue")
ONE_STOP_OUTCOMES = (*ONE_STOP_RESOLVED, *ONE_STOP_PENDING, "withdrawn")
ONE_STOP_FIELDS = (
    "carried_over", "online", "online_full", "online_partial", "direct", "postal",
    *ONE_STOP_OUTCOMES,
    "interconnected", "digitised", "electronic_results", "fee_bearing", "paid_online",
    "satisfaction_responses", "satisfied",
)

ONE_STOP_LABELS = {
    "received": "Tổng số hồ sơ tiếp nhận",
    "received_in_period": "Số hồ sơ tiếp nhận mới trong kỳ",
    "resolved": "Số hồ sơ đã giải quyết",
    "pending": "Số hồ sơ đang giải quyết",
    "carried_over": "Số hồ sơ kỳ trước chuyển sang",
    "online": "Số hồ sơ tiếp nhận trực tuyến",
    "online_full": "Số hồ sơ trực tuyến toàn trình",
    "online_partial": "Số hồ sơ trực tuyến một phần",
    "direct": "Số hồ sơ tiếp nhận trực tiếp",
    "postal": "Số hồ sơ tiếp nhận qua BCCI",
    "resolved_early": "Số hồ sơ giải quyết trước hạn",
    "resolved_on_time": "Số hồ sơ giải quyết đúng hạn",
    "resolved_late": "Số hồ sơ giải quyết quá hạn",
    "pending_in_time": "Số hồ sơ đang giải quyết trong hạn",
    "pending_overdue": "Số hồ sơ đang giải quyết quá hạn",
    "withdrawn": "Số hồ sơ rút, dừng giải quyết",
    "interconnected": "Số hồ sơ liên thông",
    "digitised": "Số hồ sơ được số hóa",
    "electronic_results": "Số hồ sơ có kết quả điện tử",
    "fee_bearing": "Số hồ sơ có phí, lệ phí",
    "paid_online": "Số hồ sơ thanh toán trực tuyến",
    "satisfaction_responses": "Số lượt đánh giá sự hài lòng",
    "satisfied": "Số lượt hài lòng",
}

# E6: (sub-count names, parent name) — the sum of the sub-counts may not exceed the parent.
ONE_STOP_SUBCOUNTS = (
    (("online_full", "online_partial"), "online"),
    (("paid_online",), "fee_bearing"),
    (("digitised",), "received"),
    (("electronic_results",), "resolved"),
    (("satisfied",), "satisfaction_responses"),
)


_n = format_number


def _count(counts, name):
    return counts.get(name) or 0


def one_stop_entered(counts, names=ONE_STOP_FIELDS):
    """Whether any of ``names`` has been entered (is not None)."""
    return any(counts.get(name) is not None for name in names)


def one_stop_totals(counts):
    """The derived totals: received (E1), received_in_period, resolved (E2), resolved_in_time, pending (E3)."""
    received_in_period = sum(_count(counts, n) for n in ("online", "direct", "postal"))
    return {
        "received": _count(counts, "carried_over") + received_in_period,
        "received_in_period": received_in_period,
        "resolved": sum(_count(counts, n) for n in ONE_STOP_RESOLVED),
        "resolved_in_time": _count(counts, "resolved_early") + _count(counts, "resolved_on_time"),
        "pending": sum(_count(counts, n) for n in ONE_STOP_PENDING),
    }


def one_stop_rates(counts):
    """Percentages (Decimal, 2 places, half-up) derived from the counts; None when the denominator is 0 (E7).

    on_time = (early + on time) / resolved (E8); early = early / resolved; online = online /
    received in the period (E8); digitised = digitised / received; electronic_results =
    electronic results / resolved; paid_online = paid online / fee-bearing; satisfied =
    satisfied / satisfaction responses.
    """
    totals = one_stop_totals(counts)
    return {
        "on_time": rate(totals["resolved_in_time"], totals["resolved"]),
        "early": rate(_count(counts, "resolved_early"), totals["resolved"]),
        "online": rate(_count(counts, "online"), totals["received_in_period"]),
        "digitised": rate(_count(counts, "digitised"), totals["received"]),
        "electronic_results": rate(_count(counts, "electronic_results"), totals["resolved"]),
        "paid_online": rate(_count(counts, "paid_online"), _count(counts, "fee_bearing")),
        "satisfied": rate(_count(counts, "satisfied"), _count(counts, "satisfaction_responses")),
    }


def one_stop_problems(counts, *, typed_received=None, previous_pending=None):
    """Breaches of E1–E8 as [(field, message)], messages in Vietnamese naming fields and numbers.

    ``field`` is a count name, ``"received"`` for the typed total, or ``"outcome"`` for E4 (a
    breach across the outcome group). ``typed_received``: the total the officer typed, if any (E1).
    ``previous_pending``: pending at the end of the previous period, when that report is known (E5).
    E4 is checked once an outcome (resolved, pending, withdrawn) has been entered; E5 once anything
    has been entered. Nothing is ever corrected here.
    """
    problems = []
    for name in ONE_STOP_FIELDS:  # E7
        value = counts.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            problems.append((name, f"{ONE_STOP_LABELS[name]} phải là số nguyên không âm (đang là {value!r})."))
    if problems:
        return problems
    totals = one_stop_totals(counts)
    received = totals["received"]
    if typed_received is not None and typed_received != received:  # E1
        problems.append(("received", (
            f"Tổng số hồ sơ tiếp nhận ({_n(typed_received)}) khác tổng các kênh tiếp nhận ({_n(received)}): "
            f"kỳ trước chuyển sang {_n(_count(counts, 'carried_over'))} + trực tuyến {_n(_count(counts, 'online'))}"
            f" + trực tiếp {_n(_count(counts, 'direct'))} + qua BCCI {_n(_count(counts, 'postal'))}."
        )))
    if one_stop_entered(counts, ONE_STOP_OUTCOMES):  # E4
        accounted = totals["resolved"] + totals["pending"] + _count(counts, "withdrawn")
        if accounted != received:
            problems.append(("outcome", (
                f"Tổng số hồ sơ tiếp nhận ({_n(received)}) khác tổng đã giải quyết ({_n(totals['resolved'])})"
                f" + đang giải quyết ({_n(totals['pending'])}) + rút, dừng giải quyết "
                f"({_n(_count(counts, 'withdrawn'))}) = {_n(accounted)}."
            )))
    if previous_pending is not None and one_stop_entered(counts):  # E5
        carried = _count(counts, "carried_over")
        if carried != previous_pending:
            problems.append(("carried_over", (
                f"Số hồ sơ kỳ trước chuyển sang ({_n(carried)}) khác số hồ sơ đang giải quyết cuối kỳ trước "
                f"({_n(previous_pending)})."
            )))
    values = {**counts, **totals}
    for parts, parent in ONE_STOP_SUBCOUNTS:  # E6
        if not one_stop_entered(counts, parts):
            continue
        part_sum = sum(_count(values, p) for p in parts)
        parent_value = _count(values, parent)
        if part_sum > parent_value:
            named = " + ".join(f"{ONE_STOP_LABELS[p].lower()} ({_n(_count(values, p))})" for p in parts)
            named = named[0].upper() + named[1:]
            problems.append((parts[-1] if len(parts) > 1 else parts[0], (
                f"{named} lớn hơn {ONE_STOP_LABELS[parent].lower()} ({_n(parent_value)})."
            )))
    return problems


# --- Processing-time cuts ------------------------------------------------------------------------

def time_cut_percent(legal_days, cut_days):
    """"% cắt giảm" = (legal − cut) / legal × 100, rounded half-up to 2 places; None if undefined."""
    if legal_days is None or cut_days is None:
        return None
    legal, cut = to_decimal(legal_days), to_decimal(cut_days)
    if legal <= 0:
        return None
    return round_half_up((legal - cut) * 100 / legal)


def time_cut_problems(legal_days, cut_days):
    """[(field, message)]: both times positive and the time after the cut shorter than the legal one."""
    problems = []
    if legal_days is not None and to_decimal(legal_days) <= 0:
        problems.append(("legal_days", f"Thời gian theo quy định ({_n(legal_days)}) phải lớn hơn 0."))
    if cut_days is not None and to_decimal(cut_days) <= 0:
        problems.append(("cut_days", f"Thời gian sau cắt giảm ({_n(cut_days)}) phải lớn hơn 0."))
    if (legal_days is not None and cut_days is not None and not problems
            and to_decimal(cut_days) >= to_decimal(legal_days)):
        problems.append(("cut_days", (
            f"Thời gian sau cắt giảm ({_n(cut_days)}) phải ngắn hơn thời gian theo quy định ({_n(legal_days)})."
        )))
    return problems
