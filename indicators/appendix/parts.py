"""The statistics appendix (Phụ lục 01b) as a report part, registered in IndicatorsConfig.ready().

Values the appendix stores are those typed here. Indicators with a ``source`` show what another
part knows (``reports.parts.all_facts``); in a cchc-report/1 file such a code is accepted only when
its owner exposes a settable fact for it (e.g. 1.2.2 → direction.issues_found), otherwise it is
refused ("chỉ tiêu 3.3.1 được lấy từ phần Một cửa, không nhập ở đây").
"""

from decimal import Decimal

from reports import parts as part_registry
from reports.parts import Problem, ReportPart

from . import values as checks
from .models import IndicatorValue, ValueType
from .selectors import catalogue_for_year, catalogue_indicators
from .services import (
    load_appendix,
    numeric_values,
    part_name,
    replace_values,
    rule_problems,
)


def _path(code):
    return f"indicators.{code}"


def _is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


class AppendixPart(ReportPart):
    key = "appendix"
    title = "Phụ lục 01b — Thống kê số liệu CCHC"
    order = 40
    url_name = "part-appendix"
    export_keys = ("indicators",)

    def is_started(self, report):
        return IndicatorValue.objects.filter(report=report).exclude(value="").exists()

    def problems(self, report):
        """Saved values re-validated against the catalogue in force (an import or a catalogue change
        may have left values a form would refuse)."""
        appendix = load_appendix(report)
        if appendix.catalogue is None:
            return []
        problems = []
        known = {i.pk for i in appendix.indicators}
        stray = [pk for pk in appendix.values if pk not in known]
        if stray:
            for code in IndicatorValue.objects.filter(report=report, indicator_id__in=stray).values_list(
                    "indicator__code", flat=True):
                problems.append(Problem(_path(code), f"chỉ tiêu {code} không thuộc danh mục áp dụng cho năm "
                                                     f"{report.period.year}; hãy nhập lại phụ lục."))
        own = {}
        for indicator in appendix.indicators:
            stored = appendix.value_of(indicator)
            if stored == "":
                continue
            if indicator.is_group or indicator.is_sourced:
                where = "là nhóm chỉ tiêu" if indicator.is_group else f"được lấy từ phần {part_name(indicator.source)}"
                problems.append(Problem(_path(indicator.code), f"chỉ tiêu {indicator.code} {where}, số liệu đã lưu "
                                                               "không còn được dùng."))
                continue
            try:
                indicator.parse(stored)
            except ValueError as error:
                problems.append(Problem(_path(indicator.code), f"chỉ tiêu {indicator.code} {error}."))
                continue
            own[indicator.code] = checks.typed(indicator.value_type, stored)
        if own:
            facts = part_registry.all_facts(report)
            values = numeric_values(appendix.indicators, own, facts)
            for code, message in rule_problems(appendix.indicators, values, checked_codes=set(own)):
                problems.append(Problem(_path(code), message))
        return problems

    def facts(self, report):
        rows = (
            IndicatorValue.objects.filter(report=report, indicator__source="").exclude(value="")
            .exclude(indicator__value_type=ValueType.GROUP)
            .values_list("indicator__code", "indicator__value_type", "value")
        )
        return {f"appendix.{code}": checks.typed(kind, value) for code, kind, value in rows}

    def export(self, report):
        """{"indicators": {code: value}}: the values typed here, and the sourced values whose owner
        lets an import set them back (so a file round-trips); ints for counts/choices, numbers for
        percents, strings for text."""
        appendix = load_appendix(report)
        if appendix.catalogue is None:
            return {}
        sourced = [i for i in appendix.indicators if i.is_sourced and part_registry.fact_setter(i.source)]
        facts = part_registry.all_facts(report) if sourced else {}
        own = appendix.own_values()
        result = {}
        for indicator in appendix.indicators:
            if indicator.is_group:
                continue
            value = facts.get(indicator.source) if indicator in sourced else own.get(indicator.code)
            if value is not None and not (indicator.is_sourced and indicator not in sourced):
                result[indicator.code] = checks.json_value(indicator.value_type, value)
        return {"indicators": result}

    def validate_import(self, data, *, unit, period):
        indicators = data.get("indicators") or {}
        if not indicators:
            return []
        catalogue = catalogue_for_year(period.year)
        if catalogue is None:
            return [Problem("indicators", f"chưa có danh mục chỉ tiêu Phụ lục 01b áp dụng cho năm {period.year}.")]
        rows = catalogue_indicators(catalogue)
        by_code = {i.code: i for i in rows}
        problems, values = [], {}
        for code, raw in indicators.items():
            indicator = by_code.get(code)
            if indicator is None:
                problems.append(Problem(_path(code), f"chỉ tiêu {code} không có trong danh mục Phụ lục 01b "
                                                     f"áp dụng cho năm {period.year}."))
            elif indicator.is_group:
                problems.append(Problem(_path(code), f"chỉ tiêu {code} là nhóm chỉ tiêu, không nhập số liệu."))
            elif indicator.is_sourced:
                setter = part_registry.fact_setter(indicator.source)
                if setter is None:
                    problems.append(Problem(_path(code), f"chỉ tiêu {code} được lấy từ phần "
                                                         f"{part_name(indicator.source)}, không nhập ở đây"))
                    continue
                message = setter[0](raw, data)
                if message:
                    problems.append(Problem(_path(code), f"chỉ tiêu {code}: {message}"))
                else:
                    values[code] = raw
            else:
                try:
                    values[code] = checks.typed(indicator.value_type, indicator.parse(raw))
                except ValueError as error:
                    problems.append(Problem(_path(code), f"chỉ tiêu {code} {error}."))
        numeric = {code: v for code, v in values.items()
                   if by_code[code].value_type in ("count", "percent") and _is_number(v)}
        for code, message in rule_problems(rows, numeric):
            problems.append(Problem(_path(code), message))
        return problems

    def apply_import(self, report, data):
        """Replace the appendix with the file's values; sourced codes are handed to their owner's
        settable fact (the report is saved by the caller)."""
        appendix = load_appendix(report)
        by_code = appendix.by_code
        values = {}
        for code, raw in (data.get("indicators") or {}).items():
            indicator = by_code[code]
            if indicator.is_sourced:
                part_registry.fact_setter(indicator.source)[1](report, raw)
            else:
                values[indicator.pk] = indicator.parse(raw)
        replace_values(report, values, reason="Nhập từ tệp cchc-report/1")

    def copy_from_previous(self, previous, report):
        """Carry forward states, not figures: choice and text indicators typed in a previous report
        of the same year (internal spending rules issued, systems connected…). Counts and percents
        are figures of their own period and start empty. A predecessor's report (the 2025 merger)
        lends none: its states were another commune's."""
        if previous.period.year != report.period.year or previous.unit_id != report.unit_id:
            return
        appendix = load_appendix(report)
        kinds = {ValueType.CHOICE, ValueType.TEXT}
        by_code = {i.code: i for i in appendix.indicators if i.value_type in kinds and not i.is_sourced}
        rows = (IndicatorValue.objects.filter(report=previous, indicator__code__in=list(by_code)).exclude(value="")
                .values_list("indicator__code", "value"))
        values = {}
        for code, value in rows:
            try:
                values[by_code[code].pk] = by_code[code].parse(value)
            except ValueError:
                continue
        if values:
            replace_values(report, values, reason=f"Kế thừa từ {previous.period.label}")

    def document_context(self, report):
        """{"catalogue": name, "rows": [...]} for the printed table, sourced values filled in."""
        appendix = load_appendix(report)
        if appendix.catalogue is None:
            return {"catalogue": "", "rows": []}
        facts = part_registry.all_facts(report) if any(i.is_sourced for i in appendix.indicators) else {}
        own = appendix.own_values()
        rows = []
        for indicator in appendix.indicators:
            value = facts.get(indicator.source) if indicator.is_sourced else own.get(indicator.code)
            rows.append(appendix_row(indicator, value))
        return {"catalogue": appendix.catalogue.name, "rows": rows}


def choice_legend(choice_map):
    """"Không = 0, Có = 1": how the official table prints a choice's unit."""
    return ", ".join(f"{label} = {key}" for key, label in choice_map.items())


def appendix_row(indicator, value):
    """A plain row of the table: what the document builder and the matrix export print."""
    choice_map = indicator.choice_map if indicator.value_type == ValueType.CHOICE else {}
    is_group = indicator.is_group
    unit = indicator.unit_vi or (choice_legend(choice_map) if choice_map else "")
    if is_group:
        shown = ""
    elif indicator.value_type == ValueType.CHOICE and value is not None:
        shown = str(value)
    else:
        shown = checks.display(indicator.value_type, value, choice_map)
    return {
        "code": indicator.code, "name": indicator.name_vi, "unit": unit, "depth": indicator.depth,
        "is_group": is_group, "value": shown,
        "value_label": checks.display(indicator.value_type, value, choice_map) if not is_group else "",
        "raw": checks.json_value(indicator.value_type, value) if value is not None and not is_group else None,
        "source": indicator.source,
    }
