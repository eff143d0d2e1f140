"""Read-only queries of the procedures app, for its own parts and for other apps (scoring)."""

import datetime as dt

from procedures import onestop as numbers
from reports.models import Report

from .models import OneStopStats, Procedure

# When several periods end the day before a period starts (Q4 and the year; Q2 and 6 months …),
# the longest one is preferred: its pending count is the same snapshot, typed with most care.
PREVIOUS_KIND_PREFERENCE = ["Y", "M9", "H1", "Q4", "Q3", "Q2", "Q1"]


def stats_of(report):
    """The report's OneStopStats, or None."""
    return OneStopStats.objects.filter(report_id=report.pk).first()


def previous_period_stats(unit, period):
    """The one-stop stats of ``unit``'s report for the period that ends the day before ``period``
    starts (E5), preferring the year over Q4; only a report whose outcomes are entered counts."""
    day_before = period.data_start - dt.timedelta(days=1)
    candidates = (
        OneStopStats.objects.filter(report__unit=unit, report__period__data_end=day_before)
        .select_related("report__period")
    )
    ranked = sorted(candidates, key=lambda s: PREVIOUS_KIND_PREFERENCE.index(s.report.period.kind))
    for stats in ranked:
        if numbers.one_stop_entered(stats.counts(), numbers.ONE_STOP_OUTCOMES):
            return stats
    return None


def previous_pending(unit, period):
    """Pending dossiers at the end of the previous period (E5), or None when that is not known.

    A unit formed by the 2025 merger did not exist then: its predecessors' pending is summed, when
    every predecessor went wholly into it and reported the previous period (else it is not known)."""
    stats = previous_period_stats(unit, period)
    if stats is not None:
        return stats.totals["pending"]
    day_before = period.data_start - dt.timedelta(days=1)
    links = list(unit.lineage.select_related("predecessor"))
    if unit.is_valid_on(day_before) or not links or any(link.partial for link in links):
        return None
    total = 0
    for link in links:
        stats = previous_period_stats(link.predecessor, period)
        if stats is None:
            return None
        total += stats.totals["pending"]
    return total


def year_report(unit, year):
    """See ReportQuerySet.of_year."""
    return Report.objects.of_year(unit, year)


def one_stop_for(unit, year):
    """One-stop counts of the commune's year for scoring: the annual report's, else the latest
    approved report's of that year. {count name: int or None, plus the derived totals
    received, received_in_period, resolved, resolved_in_time, pending}; None when unknown."""
    report = year_report(unit, year)
    if report is None:
        return None
    stats = stats_of(report)
    if stats is None:
        return None
    counts = stats.counts()
    if not numbers.one_stop_entered(counts):
        return None
    return {**counts, **numbers.one_stop_totals(counts)}


def catalogue_of(unit):
    """The unit's procedure catalogue, in display order."""
    return Procedure.objects.filter(unit=unit).order_by("field", "name", "pk")


def procedure_lookup(unit):
    """A function text → catalogue Procedure (by national code, else by name ignoring case) or None.
    The catalogue is read once, so resolving every row of an import costs one query."""
    by_code, by_name = {}, {}
    for procedure in Procedure.objects.filter(unit=unit).order_by("-active", "pk"):
        if procedure.national_code:
            by_code.setdefault(procedure.national_code.strip(), procedure)
        by_name.setdefault(procedure.name.strip().casefold(), procedure)

    def find(text):
        text = (text or "").strip()
        return by_code.get(text) or by_name.get(text.casefold())

    return find
