"""Import and export of a report as a cchc-report/1 file. The upload previews the document with
every problem (its own and the import rules'), then the confirmation imports it through the same
function as the command, which checks the rules again after locking the report."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from .. import limits
from .. import parts as part_registry
from ..access import require
from ..interchange import (
    ImportRefused,
    export_report,
    import_report,
    parse,
    preview_problems,
    validate,
)
from .base import scoped_report


class ImportReportView(LoginRequiredMixin, TemplateView):
    """Upload a cchc-report/1 file, preview it with every problem listed, then confirm the import.
    The UI never imports into a closed period (that is the command's ``--allow-closed-period``)."""

    template_name = "reports/import.html"
    session_key = "cchc_report_import"

    def refused(self, problems, filename=""):
        return self.render_to_response(self.get_context_data(problems=problems, filename=filename), status=422)

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        upload = request.FILES.get("file")
        if upload is None:
            return self.refused([part_registry.Problem("file", "Chưa chọn tệp.")])
        try:
            limits.check_size(upload.size, path="file")
        except limits.Refused as refused:
            return self.refused(refused.problems, upload.name)
        try:
            data = parse(upload.read())
        except ImportRefused as refused:
            return self.refused(refused.problems, upload.name)
        problems, unit, period = validate(data)
        existing = None
        if not problems:
            problems, existing = preview_problems(unit, period, actor=request.user)
        if problems:
            return self.refused(problems, upload.name)
        # The revision previewed: a confirmation after someone else changed the report is refused.
        request.session[self.session_key] = {"data": data, "revision": existing.revision if existing else 0}
        preview = {
            "unit": unit, "period": period, "existing": existing,
            "parts": [p.title for p in part_registry.parts() if any(k in data for k in p.export_keys)],
        }
        return self.render_to_response(self.get_context_data(preview=preview, filename=upload.name))

    def confirm(self, request):
        pending = request.session.get(self.session_key)
        if not isinstance(pending, dict) or "data" not in pending:
            messages.error(request, "Phiên nhập đã hết hạn, hãy tải tệp lên lại.")
            return redirect("report-import")
        try:
            report = import_report(pending["data"], actor=request.user, expected_revision=pending["revision"])
        except ImportRefused as refused:
            return self.refused(refused.problems)
        del request.session[self.session_key]
        messages.success(request, f"Đã nhập báo cáo {report.period.label} của {report.unit}.")
        return redirect("report-overview", pk=report.pk)


class ExportReportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        report = scoped_report(request, pk)
        require(request, "reports.view_report", report)
        response = HttpResponse(
            json.dumps(export_report(report), ensure_ascii=False, indent=2), content_type="application/json",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="cchc-report-{report.unit.code}-{report.period.year}-{report.period.kind}.json"'
        )
        return response
