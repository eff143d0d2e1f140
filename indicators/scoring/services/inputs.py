"""Inputs of computed leaves from the commune's reports (one-stop counts, appendix values) and
the score those inputs give."""

from __future__ import annotations

from decimal import Decimal

from cchc_portal.lib.numbers import to_decimal
from reports.models import Report

from ...appendix.selectors import indicator_values
from .. import formulas as scoring
from ..formulas import Method
from ..models import (
    InputSource,
    LeafScore,
)


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
    shown = " / ".join(f"{n} = {plain_number(v)}" for n, v in zip(names, numbers, strict=True))
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


def inputs_text(leaf):
    if leaf.count is not None:
        return f"số lượng {leaf.count}"
    if leaf.yes is not None:
        return "đạt" if leaf.yes else "không đạt"
    return f"{plain_number(leaf.numerator)}/{plain_number(leaf.denominator)}"


def plain_number(value):
    """118 → "118", 68.5 → "68.5" (no exponent, no trailing zeros)."""
    value = to_decimal(value)
    return str(int(value)) if value == value.to_integral() else format(value.normalize(), "f")
