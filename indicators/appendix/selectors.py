"""Read-only queries other apps and exports use. Each is a fixed number of queries, whatever the
number of reports or indicators."""

from .models import Indicator, IndicatorCatalogue, IndicatorValue
from .values import typed


def catalogue_for_year(year):
    """The Phụ lục 01b catalogue in force in ``year`` (greatest ``year_from`` ≤ year), or None."""
    return IndicatorCatalogue.objects.in_force(year)


def catalogue_indicators(catalogue):
    """The catalogue's rows in table order (one query); [] without a catalogue."""
    if catalogue is None:
        return []
    return list(Indicator.objects.filter(catalogue=catalogue).order_by("position", "pk"))


def indicator_values(report_ids):
    """{report_id: {code: typed value}} of the values typed in the appendix, in ONE query.

    Sourced indicators (shown from other parts) are not stored here; use ``reports.parts.all_facts``
    for them. Reports without values are absent from the result."""
    result: dict[int, dict[str, object]] = {}
    rows = (
        IndicatorValue.objects.filter(report_id__in=list(report_ids)).exclude(value="")
        .values_list("report_id", "indicator__code", "indicator__value_type", "value")
        .order_by("report_id", "indicator__position")
    )
    for report_id, code, value_type, value in rows.iterator():
        result.setdefault(report_id, {})[code] = typed(value_type, value)
    return result
