"""Which unit carries a code in an assessment year, and on which day (read-only helpers)."""

from __future__ import annotations

import datetime as dt

from reports.models import REFORM_DATE, AdministrativeUnit

from ..models import (
    CriteriaSet,
)


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
