"""Views of one assessment: detail, the per-leaf entry screens, transitions, evidence, deductions and remediation."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from reports import scope, validators
from reports.access import allowed, get_scoped_or_404, require

from .. import services
from ..forms import (
    AdjustmentForm,
    AppraisalForm,
    CouncilForm,
    EvidenceForm,
    ExplanationForm,
    ReasonForm,
    RemediationDoneForm,
    SelfAssessmentForm,
)
from ..models import (
    Assessment,
    EvidenceFile,
    RemediationItem,
)
from ..services import ScoringServiceError
from .common import S, scoped_assessment, show_errors

# --- Assessments ---------------------------------------------------------------------------------

class StartAssessmentView(LoginRequiredMixin, View):
    def post(self, request, unit_pk, year):
        unit = get_object_or_404(scope.visible_communes(request.user), pk=unit_pk)
        existing = Assessment.objects.filter(unit=unit, year=year).first()
        if existing is None:
            require(request, "indicators.start_assessment", unit)
            try:
                existing = services.start_assessment(unit, year, actor=request.user)
            except ScoringServiceError as error:
                show_errors(request, error)
                return redirect("scoring-home")
        return redirect("assessment-detail", pk=existing.pk)


def leaf_rows(assessment):
    """Every node of the set in order, each leaf with its score row (two queries)."""
    leaves = {leaf.criterion_id: leaf for leaf in assessment.leaves.select_related("criterion")}
    rows = []
    for criterion in assessment.criteria_set.criteria.order_by("position"):
        if criterion.is_adjustment:
            continue
        rows.append({"criterion": criterion, "leaf": leaves.get(criterion.pk)})
    return rows


def assessment_perms(request, assessment):
    user = request.user
    names = ["view_appraisal", "view_results", "edit_self_assessment", "submit_self_assessment",
             "explain_assessment", "appraise_assessment", "approve_assessment", "reopen_assessment",
             "upload_evidence"]
    return {name: allowed(user, f"indicators.{name}", assessment) for name in names}


class AssessmentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/scoring/assessment_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        assessment = scoped_assessment(self.request, kwargs["pk"])
        require(self.request, "indicators.view_assessment", assessment)
        perms = assessment_perms(self.request, assessment)
        evidence = {}
        for item in assessment.evidence.filter(leaf__isnull=False):
            evidence.setdefault(item.leaf_id, []).append(item)
        rows = leaf_rows(assessment)
        for row in rows:
            if row["leaf"]:
                row["evidence"] = evidence.get(row["leaf"].pk, [])
        ctx.update({
            "assessment": assessment, "rows": rows, "perms": perms, "S": S,
            "transitions": assessment.transitions.select_related("actor"),
            "adjustments": assessment.adjustments.all() if perms["view_results"] or perms["appraise_assessment"] else [],
            "reason_form": ReasonForm(), "evidence_form": EvidenceForm(),
            "adjustment_form": AdjustmentForm(initial=self.adjustment_initial(assessment)),
        })
        return ctx

    @staticmethod
    def adjustment_initial(assessment):
        initial = {}
        for adjustment in assessment.adjustments.all():
            initial[adjustment.kind] = adjustment.points
            initial[f"{adjustment.kind}_reason"] = adjustment.reason
        return initial


class LeafFormView(LoginRequiredMixin, TemplateView):
    """Base of the per-leaf entry screens (self-assessment, appraisal rounds, explanation, council)."""

    template_name = "indicators/scoring/assessment_form.html"
    perm = ""
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = scoped_assessment(request, kwargs["pk"])
        require(request, self.perm, self.assessment)
        self.check_state()
        return super().dispatch(request, *args, **kwargs)

    def check_state(self):
        pass

    def leaves(self):
        return list(self.assessment.leaves.select_related("criterion").order_by("criterion__position"))

    def build_form(self, data=None):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def render_form(self, form, status=200):
        ctx = self.get_context_data(form=form, assessment=self.assessment, title=self.title,
                                    columns=form.row_fields, extra=self.extra_context_data())
        response = self.render_to_response(ctx)
        response.status_code = status
        return response

    def extra_context_data(self):
        return {}

    def get(self, request, *args, **kwargs):
        return self.render_form(self.build_form())

    def post(self, request, *args, **kwargs):
        form = self.build_form(request.POST)
        if not form.is_valid():
            messages.error(request, "Chưa lưu: còn ô nhập sai.")
            return self.render_form(form, status=422)
        try:
            self.save(form)
        except ScoringServiceError as error:
            show_errors(request, error)
            return self.render_form(form, status=422)
        messages.success(request, "Đã lưu.")
        return redirect("assessment-detail", pk=self.assessment.pk)


class SelfAssessmentView(LeafFormView):
    perm = "indicators.edit_self_assessment"
    title = "Tự đánh giá"

    def check_state(self):
        if self.assessment.status != S.SELF_ASSESSING:  # the superuser too: state rules bind everyone
            raise PermissionDenied

    def build_form(self, data=None):
        return SelfAssessmentForm(data, leaves=self.leaves())

    def save(self, form):
        services.save_self_assessment(self.assessment, form.entries(), actor=self.request.user)


class AppraisalView(LeafFormView):
    perm = "indicators.appraise_assessment"

    @property
    def title(self):
        return f"Thẩm định vòng {self.kwargs['round']}"

    def check_state(self):
        allowed = {1: (S.SELF_SUBMITTED, S.ROUND1), 2: (S.ROUND2,)}.get(self.kwargs["round"])
        if allowed is None:
            raise Http404
        if self.assessment.status not in allowed:
            raise PermissionDenied

    def build_form(self, data=None):
        return AppraisalForm(data, leaves=self.leaves(), round_no=self.kwargs["round"])

    def save(self, form):
        services.appraise(self.assessment, form.entries(), actor=self.request.user, round=self.kwargs["round"])


class ExplanationView(LeafFormView):
    perm = "indicators.explain_assessment"
    title = "Giải trình kết quả thẩm định vòng 1"

    def check_state(self):
        if self.assessment.status != S.EXPLAINING:
            raise PermissionDenied

    def build_form(self, data=None):
        return ExplanationForm(data, leaves=self.leaves())

    def save(self, form):
        services.explain(self.assessment, form.entries(), actor=self.request.user)


class CouncilView(LeafFormView):
    perm = "indicators.approve_assessment"
    title = "Ý kiến Hội đồng, người chịu trách nhiệm và biện pháp khắc phục"

    def check_state(self):
        if self.assessment.status == S.PUBLISHED:
            raise PermissionDenied

    def build_form(self, data=None):
        return CouncilForm(data, leaves=self.leaves())

    def save(self, form):
        services.save_remediation(self.assessment, form.entries(), actor=self.request.user)


class AdjustmentView(LoginRequiredMixin, View):
    def post(self, request, pk):
        assessment = scoped_assessment(request, pk)
        require(request, "indicators.appraise_assessment", assessment)
        form = AdjustmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Điểm thưởng/trừ không hợp lệ.")
        else:
            try:
                services.set_adjustments(assessment, actor=request.user, bonus=form.cleaned_data["bonus"] or 0,
                                         bonus_reason=form.cleaned_data["bonus_reason"],
                                         penalty=form.cleaned_data["penalty"] or 0,
                                         penalty_reason=form.cleaned_data["penalty_reason"])
                messages.success(request, "Đã lưu điểm thưởng/trừ.")
            except ScoringServiceError as error:
                show_errors(request, error)
        return redirect("assessment-detail", pk=assessment.pk)


TRANSITIONS = {
    # action: (permission, service, success message)
    "submit": ("indicators.submit_self_assessment", services.submit_self_assessment, "Đã gửi bản tự đánh giá."),
    "send_explanation": ("indicators.appraise_assessment", services.send_for_explanation,
                         "Đã gửi kết quả vòng 1 để xã giải trình."),
    "finish_explanation": ("indicators.explain_assessment", services.finish_explanation, "Đã gửi giải trình."),
    "approve": ("indicators.approve_assessment", services.approve_assessment, "Hội đồng đã thông qua kết quả."),
}


class AssessmentTransitionView(LoginRequiredMixin, View):
    action = ""

    def post(self, request, pk):
        assessment = scoped_assessment(request, pk)
        try:
            if self.action == "reopen":
                require(request, "indicators.reopen_assessment", assessment)
                form = ReasonForm(request.POST)
                services.reopen(assessment, actor=request.user,
                                reason=form.data.get("reason", ""))
                messages.success(request, "Đã mở lại để thẩm định vòng 2.")
            else:
                perm, service, message = TRANSITIONS[self.action]
                require(request, perm, assessment)
                service(assessment, actor=request.user)
                messages.success(request, message)
        except ScoringServiceError as error:
            show_errors(request, error)
        return redirect("assessment-detail", pk=assessment.pk)


class EvidenceUploadView(LoginRequiredMixin, View):
    def post(self, request, pk, leaf_pk):
        assessment = scoped_assessment(request, pk)
        require(request, "indicators.upload_evidence", assessment)
        leaf = get_object_or_404(assessment.leaves, pk=leaf_pk)
        if assessment.status in (S.APPROVED, S.PUBLISHED):
            raise PermissionDenied
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            for error in form.errors.get("file", []):
                messages.error(request, error)
        else:
            try:
                services.attach_evidence(assessment, form.cleaned_data["file"], actor=request.user, leaf=leaf)
                messages.success(request, "Đã đính kèm tài liệu kiểm chứng.")
            except ScoringServiceError as error:
                show_errors(request, error)
        return redirect(reverse("assessment-detail", kwargs={"pk": assessment.pk}) + f"#leaf-{leaf.pk}")


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        evidence = get_scoped_or_404(EvidenceFile.objects.select_related("assessment__unit"), request.user, pk=pk)
        require(request, "indicators.view_assessment", evidence.assessment)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)


class DeductionTableView(LoginRequiredMixin, TemplateView):
    """The seed's appendix: every leaf that lost points, with the council's comment and remediation."""

    template_name = "indicators/scoring/deductions.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        assessment = scoped_assessment(self.request, kwargs["pk"])
        require(self.request, "indicators.view_results", assessment)
        if assessment.appraised_total is None:
            raise Http404
        from ..letter import deduction_rows

        ctx.update({"assessment": assessment, "rows": deduction_rows(assessment),
                    "letter_formats": [("docx", "DOCX"), ("pdf", "PDF")]})
        return ctx


class RemediationView(LoginRequiredMixin, TemplateView):
    """The commune's remediation tracker (mark done with evidence); reviewers see what is overdue."""

    template_name = "indicators/scoring/remediation.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        assessment = scoped_assessment(self.request, kwargs["pk"])
        require(self.request, "indicators.view_results", assessment)
        items = list(assessment.remediation_items.select_related("leaf__criterion", "done_by")
                     .prefetch_related("evidence"))
        today = timezone.localdate()
        ctx.update({"assessment": assessment, "remediation_items": items, "today": today,
                    "overdue": sum(1 for i in items if i.is_overdue(today)),
                    "can_mark": allowed(self.request.user, "indicators.mark_remediation", assessment),
                    "done_form": RemediationDoneForm()})
        return ctx

    def post(self, request, pk):
        assessment = scoped_assessment(request, pk)
        require(request, "indicators.mark_remediation", assessment)
        item_pk = validators.query_int(request.POST, "item")
        if item_pk is None:
            raise Http404
        item = get_scoped_or_404(RemediationItem.objects.filter(assessment=assessment), request.user, pk=item_pk)
        form = RemediationDoneForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.mark_remediation_done(item, actor=request.user, note=form.cleaned_data["note"],
                                               upload=form.cleaned_data["file"])
                messages.success(request, "Đã đánh dấu hoàn thành.")
            except ScoringServiceError as error:
                show_errors(request, error)
        return redirect("assessment-remediation", pk=assessment.pk)
