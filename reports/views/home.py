"""Home pages per role (the officer's reports, the reviewer's communes, the admin's links) and the
unit pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from .. import scope, validators
from ..models import (
    Report,
    ReportingPeriod,
    ReportStatus,
    UnitLevel,
    UnitLineage,
)


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page, three faces: the officer's reports, the reviewer's communes, the admin's links."""

    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["commune_units"] = scope.commune_units(user)
        ctx["review_units"] = scope.review_units(user)
        ctx["is_admin"] = scope.is_admin(user)
        ctx["officer_rows"] = [
            {"unit": unit, "rows": officer_rows(unit)} for unit in ctx["commune_units"]
        ]
        year = validators.query_year(self.request.GET, "nam")
        ctx["reviewer_blocks"] = [
            reviewer_overview(unit, year) for unit in ctx["review_units"] if unit.level != UnitLevel.COMMUNE
        ]
        return ctx


def officer_rows(unit):
    """Periods in which ``unit`` exists, newest first, with the unit's report (if any) for each."""
    periods = ReportingPeriod.objects.filter(
        data_end__gte=unit.valid_from,
        **({"data_end__lte": unit.valid_to} if unit.valid_to else {}),
    ).order_by("-year", "-data_end", "kind")
    reports = {r.period_id: r for r in Report.objects.filter(unit=unit)}
    today = timezone.localdate()
    return [
        {"period": p, "report": reports.get(p.pk), "overdue": p.deadline < today and (
            p.pk not in reports or reports[p.pk].status in (ReportStatus.DRAFT, ReportStatus.RETURNED))}
        for p in periods
    ]


def reviewer_overview(unit, year=None):
    """For a reviewer's unit: its communes (valid in the period) × the year's periods, with status.

    Years offered are those in which the unit existed; by default the latest one in which its
    communes have reports (a district abolished in 2025 opens on its last active year)."""
    all_periods = list(ReportingPeriod.objects.in_order())
    years = sorted({p.year for p in all_periods if p.data_end >= unit.valid_from
                    and (unit.valid_to is None or p.data_start <= unit.valid_to)})
    if year not in years:
        with_reports = (
            Report.objects.filter(unit__in=scope.communes_below(unit))
            .order_by("-period__year").values_list("period__year", flat=True).first()
        )
        today = timezone.localdate().year
        year = with_reports or max((y for y in years if y <= today), default=years[-1] if years else today)
    periods = [p for p in all_periods if p.year == year]
    reference = max((p.data_end for p in periods), default=timezone.localdate())
    if unit.valid_to is not None:
        reference = min(reference, unit.valid_to)
    communes = list(scope.communes_below(unit).valid_on(reference).order_by("code"))
    reports = {
        (r.unit_id, r.period_id): r
        for r in Report.objects.filter(unit__in=communes, period__in=periods).only(
            "id", "unit_id", "period_id", "status", "submitted_at")
    }
    rows = [{"unit": c, "cells": [reports.get((c.pk, p.pk)) for p in periods]} for c in communes]
    return {"unit": unit, "year": year, "years": years, "periods": periods, "rows": rows}


class UnitListView(LoginRequiredMixin, TemplateView):
    """Communes in the user's scope (the same method every view uses)."""

    template_name = "reports/unit_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        day = validators.query_date(self.request.GET, "on", default=timezone.localdate())
        ctx["day"] = day
        ctx["units"] = (
            scope.visible_communes(self.request.user).valid_on(day)
            .select_related("parent").prefetch_related(
                Prefetch("lineage", queryset=UnitLineage.objects.select_related("predecessor"))
            ).order_by("code")
        )
        return ctx


class UnitDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reports/unit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = get_object_or_404(scope.visible_communes(self.request.user), pk=kwargs["pk"])
        ctx["unit"] = unit
        ctx["rows"] = officer_rows(unit)
        ctx["lineage"] = unit.lineage.select_related("predecessor__parent")
        return ctx
