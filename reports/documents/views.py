"""Request, watch and download generated files. Nothing is rendered here: a POST creates (or
reuses) the row and the worker renders it; the panel polls the row with htmx; every lookup of a row
goes through ``RenderedDocument.objects.for_user`` and then the kind's ``may_view`` (either fails:
404), and only done rows whose checksum matches are served.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from .. import scope
from ..access import get_scoped_or_404, require
from ..models import AdministrativeUnit, ReportingPeriod, UnitLevel
from ..views import scoped_report
from .kinds import may_view_unit, review_units
from .models import DocumentFormat, DocumentKind, RenderedDocument
from .registry import get_kind, is_registered
from .services import DocumentError, request_document

REPORT_FORMATS = (DocumentFormat.DOCX, DocumentFormat.PDF)


def _serve(document, *, preview=False):
    """The file of a done row whose checksum matches (the preview PNG of a done PDF), else 404."""
    if not document.file_is_intact():
        raise Http404("Văn bản chưa sẵn sàng hoặc tệp không còn nguyên vẹn.")
    if preview:
        if not document.preview:
            raise Http404("Chưa có ảnh xem trước.")
        return FileResponse(document.preview.open("rb"), content_type="image/png")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename,
                        content_type=document.content_type)


def _format(fmt, allowed=REPORT_FORMATS):
    if fmt not in allowed:
        raise Http404("Định dạng không hỗ trợ.")
    return fmt


# --- a commune's report ----------------------------------------------------------------------------

def report_panel_context(report):
    rows = {d.format: d for d in RenderedDocument.objects.filter(
        source_key=f"report:{report.pk}", source_version=str(report.revision))}
    documents = [{"format": fmt, "label": fmt.label, "document": rows.get(fmt.value)} for fmt in REPORT_FORMATS]
    return {
        "report": report, "documents": documents,
        "pending": any(d["document"] is not None and d["document"].is_pending for d in documents),
    }


class ReportDocumentsView(LoginRequiredMixin, View):
    """GET: the sidebar panel of the report overview (polled while a rendering runs)."""

    def get(self, request, pk):
        report = scoped_report(request, pk)
        require(request, "reports.view_report", report)
        return render(request, "documents/report_panel.html", report_panel_context(report))


class RequestReportDocumentView(LoginRequiredMixin, View):
    """POST: render the report's current revision in a format (or reuse the rendering)."""

    def post(self, request, pk, fmt):
        report = scoped_report(request, pk)
        require(request, "reports.view_report", report)
        request_document(DocumentKind.REPORT, {"report_id": report.pk}, _format(fmt), user=request.user)
        if request.htmx:
            return render(request, "documents/report_panel.html", report_panel_context(report))
        messages.info(request, "Đang tạo văn bản; tải về khi thanh tiến độ hoàn tất.")
        return redirect("report-overview", pk=report.pk)


class ReportDocumentDownloadView(LoginRequiredMixin, View):
    preview = False

    def get(self, request, pk, document_pk):
        report = scoped_report(request, pk)
        require(request, "reports.view_report", report)
        document = get_scoped_or_404(RenderedDocument.objects.filter(report=report), request.user, pk=document_pk)
        return _serve(document, preview=self.preview)


# --- any registered kind (consolidated, ZIP, others' kinds) ---------------------------------------

def may_view(user, document):
    """The kind's own rule on top of the scope (an unregistered kind or a vanished source: no)."""
    if not is_registered(document.kind):
        return False
    try:
        return bool(get_kind(document.kind).may_view(user, document.params))
    except ObjectDoesNotExist:
        return False


def scoped_document(request, pk):
    """The document ``pk`` if its unit is in the user's scope and its kind lets the user see it, else 404."""
    document = get_scoped_or_404(RenderedDocument.objects.all(), request.user, pk=pk)
    if not may_view(request.user, document):
        raise Http404
    return document


def document_status_response(request, document):
    """The status line (htmx, polled while it renders) or the page holding it."""
    if request.htmx:
        return render(request, "documents/document_status.html", {"document": document})
    return render(request, "documents/document_page.html", {"document": document})


class DocumentStatusView(LoginRequiredMixin, View):
    """GET: one document's status: the line htmx polls, or a page of its own."""

    def get(self, request, pk):
        return document_status_response(request, scoped_document(request, pk))


class DocumentDownloadView(LoginRequiredMixin, View):
    preview = False

    def get(self, request, pk):
        return _serve(scoped_document(request, pk), preview=self.preview)


# --- the reviewer's period page --------------------------------------------------------------------

def period_panel_context(user, period):
    blocks = []
    for unit in review_units(user, period):
        keys = {
            "consolidated": f"consolidated:unit={unit.pk}:period={period.pk}",
            "bundle_docx": f"bundle:unit={unit.pk}:period={period.pk}:docx",
            "bundle_pdf": f"bundle:unit={unit.pk}:period={period.pk}:pdf",
        }
        latest = {}
        for document in RenderedDocument.objects.filter(source_key__in=keys.values()).order_by("created_at"):
            latest[(document.source_key, document.format)] = document
        blocks.append({
            "unit": unit,
            "consolidated": [{"format": f, "document": latest.get((keys["consolidated"], f.value))}
                             for f in REPORT_FORMATS],
            "bundles": [{"format": f, "document": latest.get((keys[f"bundle_{f.value}"], "zip"))}
                        for f in REPORT_FORMATS],
        })
    pending = any(item["document"] is not None and item["document"].is_pending
                  for block in blocks for item in block["consolidated"] + block["bundles"])
    return {"period": period, "blocks": blocks, "pending": pending}


def _review_unit(request, unit_pk):
    """A district or province the user reviews (at it or above), else 404."""
    unit = get_object_or_404(AdministrativeUnit.objects.select_related("parent"), pk=unit_pk)
    if unit.level == UnitLevel.COMMUNE or not may_view_unit(request.user, unit):
        raise Http404
    return unit


class PeriodDocumentsView(LoginRequiredMixin, View):
    """GET: the documents panel of the reviewer's period page."""

    def get(self, request, period_pk):
        require(request, "reports.review_period")
        period = get_object_or_404(ReportingPeriod, pk=period_pk)
        return render(request, "documents/period_panel.html", period_panel_context(request.user, period))


class RequestPeriodDocumentView(LoginRequiredMixin, View):
    """POST: the consolidated report of a unit (``what="consolidated"``) or the ZIP of its approved
    reports (``what="bundle"``) in a format."""

    what = "consolidated"

    def post(self, request, period_pk, unit_pk, fmt):
        require(request, "reports.review_period")
        period = get_object_or_404(ReportingPeriod, pk=period_pk)
        unit = _review_unit(request, unit_pk)
        fmt = _format(fmt)
        try:
            if self.what == "bundle":
                request_document(DocumentKind.BUNDLE, {"unit_id": unit.pk, "period_id": period.pk, "format": fmt},
                                 DocumentFormat.ZIP, user=request.user)
            else:
                request_document(DocumentKind.CONSOLIDATED, {"unit_id": unit.pk, "period_id": period.pk}, fmt,
                                 user=request.user)
        except DocumentError as error:
            messages.error(request, str(error))
        if request.htmx:
            return render(request, "documents/period_panel.html", period_panel_context(request.user, period))
        return redirect("review-period", period_pk=period.pk)


# --- a kind requested at its own route (registered by another app) ---------------------------------

def in_scope(user, unit_id):
    """The unit that decides a kind's scope is one the user may see (no unit: national staff only)."""
    if unit_id is None:
        return scope.is_national(user)
    return scope.visible_units(user).filter(pk=unit_id).exists()


class RequestKindDocumentView(LoginRequiredMixin, View):
    """POST: a document of a kind that declares a ``request_route``; answers with its status line.
    Unknown source or out of the user's scope: 404; in scope but refused by the kind: 403."""

    kind = ""

    def post(self, request, fmt, **kwargs):
        if not is_registered(self.kind):
            raise Http404
        spec = get_kind(self.kind)
        params = spec.url_params(kwargs)
        try:
            if not in_scope(request.user, spec.unit_id(params)):
                raise Http404
            allowed = spec.may_view(request.user, params)
        except ObjectDoesNotExist as error:  # an unknown source id
            raise Http404 from error
        if not allowed:
            raise PermissionDenied
        document = request_document(self.kind, params, _format(fmt, spec.formats), user=request.user)
        if request.htmx:
            return render(request, "documents/document_status.html", {"document": document})
        return redirect(request.META.get("HTTP_REFERER") or reverse("home"))
