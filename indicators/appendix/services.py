"""The appendix of one report: loading it in a fixed number of queries, reading sourced values from
other parts' facts, checking the cross-indicator rules, and replacing the stored values (with
history). Used by the entry screen, the report part and the interchange import."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from reports import parts as part_registry

from . import values as checks
from .models import Indicator, IndicatorCatalogue, IndicatorValue
from .selectors import catalogue_for_year, catalogue_indicators

# Where a sourced indicator's value is entered, as named in messages.
SOURCE_PART_NAMES = {
    "direction": "I. Công tác chỉ đạo, điều hành",
    "one_stop": "Một cửa",
    "procedures": "Thủ tục hành chính",
}


@dataclass
class Appendix:
    """A report's catalogue, its rows in order and the stored values {indicator id: canonical text}."""

    catalogue: IndicatorCatalogue | None
    indicators: list[Indicator]
    values: dict[int, str] = field(default_factory=dict)

    @property
    def by_code(self):
        return {i.code: i for i in self.indicators}

    @property
    def names(self):
        return {i.code: i.name_vi for i in self.indicators}

    def value_of(self, indicator):
        return self.values.get(indicator.pk, "")

    def own_values(self):
        """{code: typed value} of the values typed in the appendix (sourced ones are not stored)."""
        return {
            i.code: checks.typed(i.value_type, self.values[i.pk])
            for i in self.indicators
            if not i.is_group and not i.is_sourced and self.values.get(i.pk, "") != ""
        }


def load_appendix(report):
    """Three queries: the catalogue in force, its indicators, the report's values."""
    catalogue = catalogue_for_year(report.period.year)
    indicators = catalogue_indicators(catalogue)
    values = dict(
        IndicatorValue.objects.filter(report=report).exclude(value="").values_list("indicator_id", "value")
    ) if catalogue is not None else {}
    return Appendix(catalogue=catalogue, indicators=indicators, values=values)


def part_name(source):
    prefix = source.split(".", 1)[0]
    return SOURCE_PART_NAMES.get(prefix, prefix)


def owner_part(source):
    """The registered report part whose facts carry ``source`` ("direction.task_total" → direction), or None."""
    try:
        return part_registry.get(source.split(".", 1)[0])
    except KeyError:
        return None


def sourced_value(indicator, facts):
    """The value another part knows for a sourced indicator, or None."""
    return facts.get(indicator.source) if indicator.source else None


def numeric_values(indicators, own, facts):
    """{code: number} for count/percent indicators, own values and sourced ones alike."""
    result = {}
    for indicator in indicators:
        if indicator.value_type not in ("count", "percent"):
            continue
        value = sourced_value(indicator, facts) if indicator.is_sourced else own.get(indicator.code)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            result[indicator.code] = value
    return result


def rule_problems(indicators, values, *, checked_codes=None):
    """[(code, message)] for each failed catalogue rule; the code is where the message belongs
    (the first left-hand indicator in ``checked_codes``).

    ``checked_codes``: when given, a rule is checked only if it involves one of them (the entry
    screen does not block on a rule between two values another part owns)."""
    names = {i.code: i.name_vi for i in indicators}
    problems = []
    for indicator in indicators:
        try:
            rule = checks.parse_rule(indicator.rule, indicator.code)
        except ValueError:
            continue
        if rule is None:
            continue
        if checked_codes is not None and not set(rule.codes) & set(checked_codes):
            continue
        message = checks.check_rule(rule, values, names)
        if message:
            place = next((c for c in rule.lhs if checked_codes is None or c in checked_codes), None)
            if place is None:
                place = rule.rhs
            problems.append((place, message))
    return problems


def replace_values(report, values, *, actor=None, reason="Lưu Phụ lục 01b"):
    """Make ``values`` ({indicator id: canonical text or None}) the report's appendix values.

    Indicators absent from ``values`` are cleared. Rows are updated in bulk with their history
    (an emptied value stays as "" so the history keeps the change); a fixed number of queries."""
    existing = {v.indicator_id: v for v in IndicatorValue.objects.filter(report=report)}
    to_create, to_update = [], []
    for indicator_id, row in existing.items():
        new = values.get(indicator_id) or ""
        if row.value != new:
            row.value = new
            to_update.append(row)
    for indicator_id, new in values.items():
        if new and indicator_id not in existing:
            to_create.append(IndicatorValue(report=report, indicator_id=indicator_id, value=new))
    if to_create:
        bulk_create_with_history(to_create, IndicatorValue, default_user=actor, default_change_reason=reason)
    if to_update:
        bulk_update_with_history(to_update, IndicatorValue, ["value"], default_user=actor,
                                 default_change_reason=reason)
    return len(to_create), len(to_update)
