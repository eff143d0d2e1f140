"""Opening a report, the workflow transitions, comments on parts and the reviewer's period table.
Each view parses input and calls one service of reports.services; the service decides (after
locking the report) and the view turns its refusal into a message, or a 403 for a missing right."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from .. import parts as part_registry
from .. import scope, services, validators
from ..access import require
from ..forms import CommentForm
from ..models import Report, ReportingPeriod
from .base import scoped_report


class OpenReportView(LoginRequiredMixin, View):
    """Open (creating on first visit) the report of a commune for a period."""

    def post(self, request, unit_pk, period_pk):
        unit = get_object_or_404(scope.visible_communes(request.user), pk=unit_pk)
        period = get_object_or_404(ReportingPeriod, pk=period_pk)
        try:
            report = services.open_report(unit, period, actor=request.user)
        except services.NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except services.ReportError as error:
            messages.error(request, str(error))
            return redirect("home")
        return redirect("report-overview", pk=report.pk)


REASON_MAX = 5000  # as a comment (CommentForm): a reason is a few sentences


class TransitionView(LoginRequiredMixin, View):
    """Submit, return, approve or reopen one report."""

    action = ""
    ACTIONS = {
        "submit": ("reports.submit_report", services.submit_report, False, "Đã gửi báo cáo lên cơ quan thẩm định."),
        "return": ("reports.return_report", services.return_report, True, "Đã trả lại báo cáo cho xã."),
        "approve": ("reports.approve_report", services.approve_report, False, "Đã duyệt báo cáo."),
        "reopen": ("reports.reopen_report", services.reopen_report, True, "Đã mở lại báo cáo để xã chỉnh sửa."),
    }

    def post(self, request, pk):
        report = scoped_report(request, pk)
        perm, service, needs_reason, done = self.ACTIONS[self.action]
        require(request, perm, report)
        try:
            kwargs = {"reason": validators.clean_text(request.POST.get("reason", ""), REASON_MAX, "Lý do")} if needs_reason else {}
        except validators.InvalidInput as error:
            messages.error(request, str(error))
            return redirect("report-overview", pk=report.pk)
        try:
            service(report, actor=request.user, **kwargs)
        except services.NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except services.ReportError as error:
            messages.error(request, str(error))
            for problem in error.problems:
                messages.warning(request, problem)
        else:
            messages.success(request, done)
        return redirect("report-overview", pk=report.pk)


class CommentView(LoginRequiredMixin, View):
    """A comment on one registered part of a report (an unknown part is a 404)."""

    def post(self, request, pk, part):
        report = scoped_report(request, pk)
        if part not in {p.key for p in part_registry.parts()}:
            raise Http404("Không có phần báo cáo này.")
        require(request, "reports.comment_report", report)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.add_comment(report, part, form.cleaned_data["text"], actor=request.user)
            except services.NotAllowed as error:
                raise PermissionDenied(str(error)) from error
            except services.ReportError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "Đã ghi nhận xét.")
        else:
            messages.error(request, "Nhận xét không được để trống.")
        return redirect(part_registry.get(part).url_name, report_pk=report.pk)


class ReviewPeriodView(LoginRequiredMixin, TemplateView):
    """A reviewer's table of communes for one period: status, submission date, late flag; bulk approve."""

    template_name = "reports/review_period.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request, "reports.review_period")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from ..filters import ReviewFilter

        ctx = super().get_context_data(**kwargs)
        period = get_object_or_404(ReportingPeriod, pk=kwargs["period_pk"])
        communes = (
            scope.visible_communes(self.request.user).valid_on(period.reference_date)
            .select_related("parent").order_by("code")
        )
        reports = {
            r.unit_id: r for r in Report.objects.filter(period=period, unit__in=communes)
            .select_related("period")
        }
        rows = [{"unit": c, "report": reports.get(c.pk)} for c in communes]
        flt = ReviewFilter(self.request.GET)
        rows = flt.apply(rows, period)
        ctx.update({"period": period, "rows": rows, "filter": flt,
                    "periods": ReportingPeriod.objects.in_order().filter(year=period.year)})
        return ctx

    def post(self, request, period_pk):
        period = get_object_or_404(ReportingPeriod, pk=period_pk)
        ids = validators.query_ids(request.POST, "report")
        approved, refused = 0, []
        for report in Report.objects.for_user(request.user).filter(pk__in=ids, period=period).select_related("unit"):
            try:
                services.approve_report(report, actor=request.user)
                approved += 1
            except services.NotAllowed:
                refused.append(f"{report.unit}: không có quyền")
            except services.ReportError as error:
                refused.append(f"{report.unit}: {error}")
        if approved:
            messages.success(request, f"Đã duyệt {approved} báo cáo.")
        for line in refused:
            messages.warning(request, line)
        return redirect(request.get_full_path())
