"""Views of rankings, publication, the remediation overview and the start of the workbook exports."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from reports import validators
from reports.access import allowed, require
from reports.documents.services import request_document
from reports.documents.views import document_status_response
from reports.models import (
    PERIOD_ORDER,
    ReportingPeriod,
)

from .. import selectors, services, workbooks
from ..models import (
    Assessment,
    RemediationItem,
)
from ..services import ScoringServiceError
from .common import S, scoped_scope_unit, show_errors

# --- Rankings and exports ------------------------------------------------------------------------

def ranking_context(request, unit, communes, year):
    """Rows the user may see: reviewers every scored commune in their scope; communes the published ones."""
    reviewer = allowed(request.user, "indicators.review_scope", unit)
    if reviewer:
        assessments = selectors.scope_assessments(unit, year).filter(unit__in=communes)
    else:
        assessments = selectors.scope_assessments(unit, year).filter(status=S.PUBLISHED)
    rows = selectors.ranking(unit, year, assessments=assessments)
    return reviewer, rows


def chart_data(rows, criteria_set):
    bands = sorted(criteria_set.bands if criteria_set else [], key=lambda b: -float(b["min"]))
    palette = ["#198754", "#0d6efd", "#20c997", "#ffc107", "#dc3545", "#6c757d"]
    colour = {b["label"]: palette[min(i, len(palette) - 1)] for i, b in enumerate(bands)}
    fields = {}
    for row in rows:
        for code, totals in (row["assessment"].field_totals or {}).items():
            fields.setdefault(code, []).append(float(totals["appraised"]))
    return {
        "labels": [row["unit"].short_name for row in rows],
        "scores": [float(row["assessment"].final or 0) for row in rows],
        "colours": [colour.get(row["assessment"].classification, "#6c757d") for row in rows],
        "bands": [{"label": b["label"], "colour": colour[b["label"]]} for b in bands],
        "fields": {code: {"min": min(v), "max": max(v), "avg": round(sum(v) / len(v), 2)}
                   for code, v in sorted(fields.items(), key=lambda kv: [int(x) for x in kv[0].split(".") if x.isdigit()])},
    }


class RankingView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/scoring/ranking.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit, communes = scoped_scope_unit(self.request, kwargs["unit_pk"])
        year = kwargs["year"]
        reviewer, rows = ranking_context(self.request, unit, communes, year)
        criteria_set = rows[0]["assessment"].criteria_set if rows else None
        field_names = {}
        if criteria_set is not None:
            field_names = dict(criteria_set.criteria.filter(level="field").values_list("code", "name_vi"))
        pending = []
        if reviewer:
            scored = {row["unit"].pk for row in rows}
            day = services.unit_reference_day(unit, year)
            pending = list(communes.valid_on(day).exclude(pk__in=scored).order_by("code")
                           .annotate(n=Count("assessments")))
            statuses = dict(Assessment.objects.filter(year=year, unit__in=pending).values_list("unit_id", "status"))
            for commune in pending:
                commune.assessment_status = S(statuses[commune.pk]).label if commune.pk in statuses else "Chưa bắt đầu"
        # Periods of the year whose indicator matrix (communes × appendix codes) a reviewer may export.
        periods = []
        if reviewer:
            periods = sorted(ReportingPeriod.objects.filter(year=year), key=lambda p: PERIOD_ORDER.index(p.kind))
        ctx.update({
            "unit": unit, "year": year, "rows": rows, "reviewer": reviewer, "pending": pending, "periods": periods,
            "field_codes": list(field_names), "field_names": field_names, "criteria_set": criteria_set,
            "chart": chart_data(rows, criteria_set), "can_publish": reviewer and any(
                row["assessment"].status == S.APPROVED for row in rows),
            "years": [year - 1, year + 1],
        })
        return ctx


class PublishView(LoginRequiredMixin, View):
    def post(self, request, unit_pk, year):
        unit, _communes = scoped_scope_unit(request, unit_pk)
        require(request, "indicators.review_scope", unit)
        try:
            published = services.publish_results(unit, year, actor=request.user)
            messages.success(request, f"Đã công bố kết quả của {len(published)} đơn vị.")
        except ScoringServiceError as error:
            show_errors(request, error)
        return redirect("ranking", unit_pk=unit.pk, year=year)


class RemediationOverviewView(LoginRequiredMixin, TemplateView):
    """Reviewer: every remediation item of the scope's communes for a year, overdue first."""

    template_name = "indicators/scoring/remediation_overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit, communes = scoped_scope_unit(self.request, kwargs["unit_pk"])
        require(self.request, "indicators.review_scope", unit)
        today = timezone.localdate()
        items = list(RemediationItem.objects.for_user(self.request.user)
                     .filter(assessment__year=kwargs["year"], assessment__unit__in=communes)
                     .select_related("assessment__unit", "leaf__criterion").order_by("done", "due"))
        overdue = [i for i in items if i.is_overdue(today)]
        ctx.update({"unit": unit, "year": kwargs["year"], "remediation_items": items, "overdue": overdue, "today": today})
        return ctx


def export_unit(request, unit_pk):
    """The province/district of an export: in the user's scope (else 404) and reviewed by them
    (else 403). The download asks the same rule (``workbooks.may_export``) through the core's view."""
    unit, _communes = scoped_scope_unit(request, unit_pk)
    if not workbooks.may_export(request.user, unit):
        raise PermissionDenied
    return unit


class ExportStartView(LoginRequiredMixin, View):
    """Ask for a workbook (ranking of a scope and year, or a period's indicator matrix): a generated
    file of the core, rendered by the worker; answers with its status line (htmx) or its page."""

    def post(self, request):
        kind = workbooks.FORM_KINDS.get(request.POST.get("kind"))
        if kind is None:
            raise Http404
        unit_pk = validators.query_int(request.POST, "unit")
        if unit_pk is None:
            raise Http404
        unit = export_unit(request, unit_pk)
        params = {"unit_id": unit.pk}
        if kind == workbooks.RANKING:
            params["year"] = validators.query_year(request.POST, "year")
            if params["year"] is None:
                raise Http404
        else:
            period_pk = validators.query_int(request.POST, "period")
            if period_pk is None:
                raise Http404
            params["period_id"] = get_object_or_404(ReportingPeriod, pk=period_pk).pk
        document = request_document(kind, params, "xlsx", user=request.user)
        if request.htmx:
            return document_status_response(request, document)
        return redirect("document-status", pk=document.pk)
