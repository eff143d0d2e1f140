"""Views of the PAR-index scoring: criteria sets, the assessment workflow, results, rankings, exports.

Thin: each fetches through the scope (``AdministrativeUnit.objects.visible_to`` — out of scope is
404), asks the ``rules`` permission (403), calls one service and redirects with a message."""

import base64
import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from reports import scope
from reports.access import require
from reports.models import (
    PERIOD_ORDER,
    AdministrativeUnit,
    ReportingPeriod,
    UnitLevel,
)

from . import services
from .forms_scoring import (
    AdjustmentForm,
    AppraisalForm,
    BandsForm,
    CouncilForm,
    CriteriaUploadForm,
    EvidenceForm,
    ExplanationForm,
    ReasonForm,
    RemediationDoneForm,
    SelfAssessmentForm,
)
from .importers_criteria import parse_criteria
from .models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    EvidenceFile,
    ExportJob,
    ExportKind,
    JobStatus,
    RemediationItem,
)
from .services import ScoringServiceError

S = AssessmentStatus


def scoped_assessment(request, pk):
    """The assessment ``pk`` if its commune is in the user's scope, else 404."""
    return get_object_or_404(
        Assessment.objects.for_user(request.user).select_related("unit__parent__parent", "criteria_set__unit"), pk=pk,
    )


def scoped_scope_unit(request, unit_pk):
    """A province/district whose communes the user may see (some of them at least), else 404."""
    unit = get_object_or_404(AdministrativeUnit.objects.exclude(level=UnitLevel.COMMUNE).select_related("parent"),
                             pk=unit_pk)
    communes = scope.visible_communes(request.user).below(unit)
    if not communes.exists():
        raise Http404
    return unit, communes


def show_errors(request, error):
    messages.error(request, str(error))
    for problem in error.problems[:30]:
        messages.error(request, problem)


# --- Home ----------------------------------------------------------------------------------------

class ScoringHomeView(LoginRequiredMixin, TemplateView):
    """Entry page: the commune's assessments by year, the reviewer's rankings by year."""

    template_name = "indicators/scoring/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        years = sorted(set(CriteriaSet.objects.values_list("year", flat=True)), reverse=True)
        communes = scope.commune_units(user)
        assessments = {(a.unit_id, a.year): a for a in Assessment.objects.filter(unit__in=communes)}
        ctx["commune_blocks"] = []
        for unit in communes:
            rows = []
            for year in years:
                if not (unit.is_valid_on(dt.date(year, 1, 1)) or unit.is_valid_on(dt.date(year, 12, 31))):
                    continue
                rows.append({"year": year, "assessment": assessments.get((unit.pk, year)),
                             "scope": unit.parent})
            ctx["commune_blocks"].append({"unit": unit, "rows": rows})
        scopes = scope.review_units(user)
        if scope.is_national(user):
            scopes += list(AdministrativeUnit.objects.filter(children__assessments__isnull=False).distinct()
                           .order_by("-valid_from", "code"))
        ctx["review_blocks"] = []
        for unit in dict.fromkeys(scopes):
            counts = dict(Assessment.objects.filter(unit__in=scope.communes_below(unit))
                          .values_list("year").annotate(n=Count("pk")))
            ctx["review_blocks"].append({"unit": unit, "years": [
                {"year": y, "count": counts.get(y, 0)} for y in years
                if unit.is_valid_on(dt.date(y, 1, 1)) or unit.is_valid_on(dt.date(y, 12, 31))]})
        ctx["can_manage_criteria"] = user.has_perm("indicators.manage_criteria")
        return ctx


# --- Criteria sets -------------------------------------------------------------------------------

class CriteriaSetListView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/scoring/criteria_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sets"] = (CriteriaSet.objects.select_related("unit").annotate(
            n_assessments=Count("assessments", distinct=True)).order_by("-year", "unit__code", "code"))
        ctx["can_manage"] = self.request.user.has_perm("indicators.manage_criteria")
        return ctx


def issuing_units_for(user):
    """Provinces and districts under which the user may issue criteria sets (admins: all)."""
    units = AdministrativeUnit.objects.exclude(level=UnitLevel.COMMUNE)
    if scope.is_national(user) and scope.is_admin(user):
        return units.order_by("-valid_from", "code")
    return units.filter(pk__in=[u.pk for u in scope.review_units(user)]).order_by("code")


class CriteriaSetDetailView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/scoring/criteria_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        criteria_set = get_object_or_404(CriteriaSet.objects.select_related("unit"), pk=kwargs["pk"])
        ctx["criteria_set"] = criteria_set
        ctx["criteria"] = criteria_set.criteria.order_by("position")
        ctx["can_manage"] = self.can_manage(criteria_set)
        ctx["bands_form"] = BandsForm(initial={"bands": BandsForm.initial_text(criteria_set.bands)})
        return ctx

    def can_manage(self, criteria_set):
        return (self.request.user.has_perm("indicators.manage_criteria")
                and issuing_units_for(self.request.user).filter(pk=criteria_set.unit_id).exists())


class CriteriaSetActionView(LoginRequiredMixin, View):
    """POST: copy to next year, or change the bands."""

    action = ""

    def post(self, request, pk):
        criteria_set = get_object_or_404(CriteriaSet.objects.select_related("unit"), pk=pk)
        if not (request.user.has_perm("indicators.manage_criteria")
                and issuing_units_for(request.user).filter(pk=criteria_set.unit_id).exists()):
            raise PermissionDenied
        try:
            if self.action == "copy":
                copy = services.copy_criteria_set(criteria_set)
                messages.success(request, f"Đã sao chép thành {copy.code} (năm {copy.year}).")
                return redirect("criteria-set-detail", pk=copy.pk)
            form = BandsForm(request.POST)
            if not form.is_valid():
                for error in form.errors.get("bands", []):
                    messages.error(request, error)
            else:
                services.update_bands(criteria_set, form.cleaned_data["bands"])
                messages.success(request, "Đã lưu cách xếp loại.")
        except ScoringServiceError as error:
            show_errors(request, error)
        return redirect("criteria-set-detail", pk=criteria_set.pk)


class CriteriaImportView(LoginRequiredMixin, View):
    """Upload → preview with every row problem → confirm (the checked file is kept in the session)."""

    template_name = "indicators/scoring/criteria_import.html"
    session_key = "criteria_import"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request, "indicators.manage_criteria")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = CriteriaUploadForm(units=issuing_units_for(request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        units = issuing_units_for(request.user)
        if request.POST.get("confirm"):
            return self.confirm(request, units)
        form = CriteriaUploadForm(request.POST, request.FILES, units=units)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=422)
        data = form.cleaned_data["file"].read()
        table = parse_criteria(data, form.cleaned_data["file"].name)
        token = hashlib.sha256(data).hexdigest()[:16]
        if table.ok:
            request.session[self.session_key] = {
                "token": token, "data": base64.b64encode(data).decode(), "name": form.cleaned_data["file"].name,
                "unit": form.cleaned_data["unit"].pk, "year": form.cleaned_data["year"],
                "code": form.cleaned_data["code"], "set_name": form.cleaned_data["name"],
            }
        return render(request, self.template_name, {
            "form": form, "table": table, "token": token, "unit": form.cleaned_data["unit"],
            "year": form.cleaned_data["year"],
        }, status=200 if table.ok else 422)

    def confirm(self, request, units):
        pending = request.session.get(self.session_key)
        if not pending or pending["token"] != request.POST.get("token"):
            messages.error(request, "Phiên xem trước đã hết hạn, hãy tải tệp lên lại.")
            return redirect("criteria-import")
        unit = get_object_or_404(units, pk=pending["unit"])
        table = parse_criteria(base64.b64decode(pending["data"]), pending["name"])
        try:
            criteria_set = services.import_criteria_set(table, unit=unit, year=pending["year"], code=pending["code"],
                                                        name=pending["set_name"], source_name=pending["name"])
        except ScoringServiceError as error:
            show_errors(request, error)
            return redirect("criteria-import")
        del request.session[self.session_key]
        messages.success(request, f"Đã nhập bộ tiêu chí {criteria_set.code} ({criteria_set.criteria.count()} dòng).")
        return redirect("criteria-set-detail", pk=criteria_set.pk)


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
    return {name: user.has_perm(f"indicators.{name}", assessment) for name in names}


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
        evidence = get_object_or_404(
            EvidenceFile.objects.filter(assessment__in=Assessment.objects.for_user(request.user))
            .select_related("assessment__unit"), pk=pk)
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
        from .letters import deduction_rows

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
        ctx.update({"assessment": assessment, "items": items, "today": today,
                    "overdue": sum(1 for i in items if i.is_overdue(today)),
                    "can_mark": self.request.user.has_perm("indicators.mark_remediation", assessment),
                    "done_form": RemediationDoneForm()})
        return ctx

    def post(self, request, pk):
        assessment = scoped_assessment(request, pk)
        require(request, "indicators.mark_remediation", assessment)
        item = get_object_or_404(RemediationItem.objects.filter(assessment=assessment), pk=request.POST.get("item"))
        form = RemediationDoneForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.mark_remediation_done(item, actor=request.user, note=form.cleaned_data["note"],
                                               upload=form.cleaned_data["file"])
                messages.success(request, "Đã đánh dấu hoàn thành.")
            except ScoringServiceError as error:
                show_errors(request, error)
        return redirect("assessment-remediation", pk=assessment.pk)


# --- Rankings and exports ------------------------------------------------------------------------

def ranking_context(request, unit, communes, year):
    """Rows the user may see: reviewers every scored commune in their scope; communes the published ones."""
    reviewer = request.user.has_perm("indicators.review_scope", unit)
    if reviewer:
        assessments = services.scope_assessments(unit, year).filter(unit__in=communes)
    else:
        assessments = services.scope_assessments(unit, year).filter(status=S.PUBLISHED)
    rows = services.ranking(unit, year, assessments=assessments)
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
        items = list(RemediationItem.objects.filter(assessment__year=kwargs["year"], assessment__unit__in=communes)
                     .select_related("assessment__unit", "leaf__criterion").order_by("done", "due"))
        overdue = [i for i in items if i.is_overdue(today)]
        ctx.update({"unit": unit, "year": kwargs["year"], "items": items, "overdue": overdue, "today": today})
        return ctx


class ExportStartView(LoginRequiredMixin, View):
    """Queue a workbook (ranking of a scope and year, or a period's indicator matrix)."""

    def post(self, request):
        from .tasks import queue_export

        kind = request.POST.get("kind")
        if kind not in ExportKind.values:
            raise Http404
        unit, _communes = scoped_scope_unit(request, request.POST.get("unit") or 0)
        require(request, "indicators.review_scope", unit)
        params = {"unit": unit.pk}
        try:
            if kind == ExportKind.RANKING:
                params["year"] = int(request.POST["year"])
            else:
                params["period"] = int(request.POST["period"])
        except (KeyError, ValueError) as error:
            raise Http404 from error
        job = queue_export(kind, params, owner=request.user)
        if request.htmx:
            return render(request, "indicators/scoring/export_status.html", {"job": job})
        return redirect("export-status", pk=job.pk)


class ExportStatusView(LoginRequiredMixin, TemplateView):
    """The job's progress: a full page, or the fragment htmx polls every two seconds."""

    def get_template_names(self):
        return ["indicators/scoring/export_status.html" if self.request.htmx else "indicators/scoring/export_page.html"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["job"] = get_object_or_404(ExportJob.objects.filter(owner=self.request.user), pk=kwargs["pk"])
        return ctx


class ExportDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = get_object_or_404(ExportJob.objects.filter(owner=request.user, status=JobStatus.DONE), pk=pk)
        # The scope may have changed since the job was queued: check again.
        scoped_scope_unit(request, job.params.get("unit") or 0)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
