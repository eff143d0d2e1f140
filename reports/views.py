"""Views of the core: home pages per role, the report overview, the core entry parts and the workflow."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from . import parts as part_registry
from . import scope, services
from .access import get_scoped_or_404, require
from .forms import (
    CommentForm,
    DirectionForm,
    DirectiveFormSet,
    HeaderForm,
    PlanTaskFormSet,
    ReasonForm,
    SectionsForm,
)
from .models import (
    PartComment,
    Report,
    ReportingPeriod,
    ReportStatus,
    UnitLevel,
    UnitLineage,
)


def scoped_report(request, pk):
    """The report ``pk`` if the user's scope includes it, else 404."""
    return get_scoped_or_404(Report.objects.select_related("unit__parent", "period"), request.user, pk=pk)


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
        try:
            year = int(self.request.GET.get("nam", ""))
        except ValueError:
            year = None
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


class OpenReportView(LoginRequiredMixin, View):
    """Open (creating on first visit) the report of a commune for a period."""

    def post(self, request, unit_pk, period_pk):
        unit = get_object_or_404(scope.visible_communes(request.user), pk=unit_pk)
        period = get_object_or_404(ReportingPeriod, pk=period_pk)
        existing = Report.objects.filter(unit=unit, period=period).first()
        if existing is None:
            if not request.user.has_perm("reports.edit_report", Report(unit=unit, period=period)):
                raise PermissionDenied
            if not period.is_open:
                messages.error(request, "Kỳ báo cáo này đã đóng, không tạo được báo cáo mới.")
                return redirect("home")
            if not unit.is_valid_on(period.reference_date):
                messages.error(request, f"{unit} không tồn tại trong {period.label}.")
                return redirect("home")
        report = existing or services.open_report(unit, period, actor=request.user)
        return redirect("report-overview", pk=report.pk)


def part_states(report):
    states = []
    for part in part_registry.parts():
        problems = part.problems(report)
        states.append({
            "part": part,
            "url": reverse(part.url_name, kwargs={"report_pk": report.pk}),
            "started": part.is_started(report),
            "problems": problems,
            "revision": report.part_revision(part.key),
        })
    return states


class ReportOverviewView(LoginRequiredMixin, TemplateView):
    template_name = "reports/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = scoped_report(self.request, kwargs["pk"])
        require(self.request, "reports.view_report", report)
        ctx.update(report_context(self.request, report))
        ctx["states"] = part_states(report)
        ctx["transitions"] = report.transitions.select_related("actor")
        ctx["reason_form"] = ReasonForm()
        ctx["changed_since_submission"] = changed_since_submission(report)
        return ctx


def report_context(request, report):
    user = request.user
    return {
        "report": report,
        "can_edit": user.has_perm("reports.edit_report", report),
        "can_submit": user.has_perm("reports.submit_report", report),
        "can_review": user.has_perm("reports.review_report", report),
        "nav_parts": [
            {"part": p, "url": reverse(p.url_name, kwargs={"report_pk": report.pk})}
            for p in part_registry.parts()
        ],
    }


def comparison_point(report):
    """When the reviewer last saw the report: the previous submission if it is submitted again,
    else the last submission. None before any resubmission-worthy history."""
    submissions = [t.at for t in report.transitions.all() if t.to_status == ReportStatus.SUBMITTED]
    if report.status == ReportStatus.SUBMITTED:
        return submissions[-2] if len(submissions) >= 2 else None
    return submissions[-1] if submissions else None


def changed_since_submission(report):
    """Value changes, part by part, since the submission the reviewer last saw."""
    when = comparison_point(report)
    if when is None:
        return []
    changes = []
    for part in part_registry.parts():
        for change in part.changes_since(report, when):
            changes.append({"part": part.title, **change})
    return changes


class PartView(LoginRequiredMixin, TemplateView):
    """Base of an entry screen for one part: read-only unless the user may edit, optimistic
    revision check on save, htmx autosave that saves only valid input and never loses typed text."""

    part_key = ""
    template_name = ""

    # Subclasses: build the forms (bound when ``data`` is given) and save them.
    def build_forms(self, report, data=None, files=None):
        raise NotImplementedError

    def cross_validate(self, report, forms):
        """Checks across the forms of the part; add errors to them. Return True if all is well."""
        return True

    def save_forms(self, report, forms):
        raise NotImplementedError

    def part_context(self, report, forms):
        return {}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.report = scoped_report(request, kwargs["report_pk"])
        require(request, "reports.view_report", self.report)
        return super().dispatch(request, *args, **kwargs)

    def render_part(self, forms, *, status=200, conflict=None, saved=False):
        report = self.report
        ctx = self.get_context_data()
        ctx.update(report_context(self.request, report))
        ctx.update({
            "forms": forms, "part": part_registry.get(self.part_key),
            "part_revision": report.part_revision(self.part_key),
            "conflict": conflict, "saved": saved,
            "comments": PartComment.objects.filter(report=report, part=self.part_key).select_related("author"),
            "comment_form": CommentForm(),
        })
        ctx.update(self.part_context(report, forms))
        if not ctx["can_edit"]:
            for form in _iter_forms(forms):
                for field in getattr(form, "fields", {}).values():
                    field.disabled = True
        response = self.render_to_response(ctx)
        response.status_code = status
        return response

    def get(self, request, *args, **kwargs):
        return self.render_part(self.build_forms(self.report))

    def post(self, request, *args, **kwargs):
        report = self.report
        require(request, "reports.edit_report", report)
        forms = self.build_forms(report, request.POST, request.FILES)
        autosave = request.POST.get("autosave") == "1"
        valid = all(f.is_valid() for f in _iter_forms(forms)) and self.cross_validate(report, forms)
        if not valid:
            if autosave:
                return autosave_status(report, self.part_key, ok=False)
            messages.error(request, "Chưa lưu: phần này còn lỗi, xem thông báo bên cạnh từng ô.")
            return self.render_part(forms, status=422)
        try:
            services.save_part(
                report, self.part_key, expected_revision=request.POST.get("part_revision"),
                actor=request.user, apply=lambda locked: self.save_forms(locked, forms),
            )
        except services.StaleRevision as error:
            if autosave:
                return autosave_status(report, self.part_key, ok=False, conflict=True)
            report.refresh_from_db()
            conflict = {"message": str(error), "changes": conflict_changes(forms, self.build_forms(report))}
            return self.render_part(forms, status=409, conflict=conflict)
        except services.ReportError as error:
            if autosave:
                return autosave_status(report, self.part_key, ok=False)
            messages.error(request, str(error))
            return redirect(request.path)
        if autosave:
            return autosave_status(report, self.part_key, ok=True)
        messages.success(request, f"Đã lưu phần “{part_registry.get(self.part_key).title}”.")
        return redirect(request.path)


def _iter_forms(forms):
    for form in forms.values():
        if hasattr(form, "forms"):  # a formset
            yield form
            yield from form.forms
        else:
            yield form


def conflict_changes(posted_forms, current_forms):
    """Fields whose saved value (by someone else) differs from what this user typed."""
    changes = []
    for name, posted in posted_forms.items():
        current = current_forms.get(name)
        if current is None or hasattr(posted, "forms"):
            if hasattr(posted, "forms") and current is not None:
                saved_rows = [f.initial for f in current.forms if f.initial]
                typed_rows = [f.cleaned_data for f in posted.forms if getattr(f, "cleaned_data", None)
                              and not f.cleaned_data.get("DELETE")]
                if len(saved_rows) != len(typed_rows):
                    changes.append({"field": str(posted.prefix), "saved": f"{len(saved_rows)} dòng",
                                    "typed": f"{len(typed_rows)} dòng"})
            continue
        for field_name, field in posted.fields.items():
            typed = posted.cleaned_data.get(field_name)
            saved = current.initial.get(field_name, current.fields[field_name].initial)
            if typed in ("", None) and saved in ("", None):
                continue
            if str(typed) != str(saved):
                changes.append({"field": str(field.label), "saved": saved, "typed": typed})
    return changes


def autosave_status(report, key, *, ok, conflict=False):
    report.refresh_from_db()
    revision = report.part_revision(key)
    if ok:
        text, css = f"Đã tự động lưu lúc {timezone.localtime():%H:%M}", "text-success"
    elif conflict:
        text, css = "Không tự động lưu: người khác vừa sửa phần này. Bấm “Lưu” để xem thay đổi.", "text-danger"
    else:
        text, css = "Chưa tự động lưu: còn ô nhập chưa hợp lệ.", "text-warning"
    body = (
        f'<span id="autosave-status" class="small {css}">{text}</span>'
        + (f'<input type="hidden" name="part_revision" id="part-revision" value="{revision}" hx-swap-oob="true">'
           if ok else "")
    )
    return HttpResponse(body)


class HeaderPartView(PartView):
    part_key = "header"
    template_name = "reports/part_header.html"

    def build_forms(self, report, data=None, files=None):
        return {"header": HeaderForm(data, instance=report, prefix="header")}

    def save_forms(self, report, forms):
        for name in forms["header"].changed_data or forms["header"].fields:
            setattr(report, name, forms["header"].cleaned_data[name])


class DirectionPartView(PartView):
    part_key = "direction"
    template_name = "reports/part_direction.html"

    def build_forms(self, report, data=None, files=None):
        return {
            "direction": DirectionForm(data, instance=report, prefix="direction"),
            "tasks": PlanTaskFormSet(data, instance=report, prefix="tasks"),
            "directives": DirectiveFormSet(data, instance=report, prefix="directives"),
        }

    def cross_validate(self, report, forms):
        direction = forms["direction"]
        tasks_ok = direction.check_against_tasks(forms["tasks"])
        return direction.check_against_directives(forms["directives"]) and tasks_ok

    def part_context(self, report, forms):
        from .core_parts import task_counts

        total, done = task_counts(report)
        return {"task_summary": f"{done or 0}/{total or 0} nhiệm vụ đã hoàn thành"}

    def save_forms(self, report, forms):
        for name in forms["direction"].fields:
            setattr(report, name, forms["direction"].cleaned_data[name])
        for formset in (forms["tasks"], forms["directives"]):
            formset.instance = report
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            for position, obj in enumerate(instances):
                obj.report = report
                if not obj.position:
                    obj.position = position + 1
                obj.save()


class ProsePartView(PartView):
    part_key = "prose"
    template_name = "reports/part_prose.html"

    def build_forms(self, report, data=None, files=None):
        return {"sections": SectionsForm(data, initial=report.sections, prefix="sections")}

    def save_forms(self, report, forms):
        report.sections = {k: v for k, v in forms["sections"].cleaned_data.items() if v}

    def part_context(self, report, forms):
        facts = part_registry.all_facts(report)
        return {"section_rows": forms["sections"].rows(facts)}


class TransitionView(LoginRequiredMixin, View):
    """Submit, return, approve or reopen one report."""

    action = ""

    def post(self, request, pk):
        report = scoped_report(request, pk)
        perm = "reports.submit_report" if self.action == "submit" else "reports.review_report"
        require(request, perm, report)
        reason = request.POST.get("reason", "")
        try:
            if self.action == "submit":
                services.submit_report(report, actor=request.user)
                messages.success(request, "Đã gửi báo cáo lên cơ quan thẩm định.")
            elif self.action == "return":
                services.return_report(report, actor=request.user, reason=reason)
                messages.success(request, "Đã trả lại báo cáo cho xã.")
            elif self.action == "approve":
                services.approve_report(report, actor=request.user)
                messages.success(request, "Đã duyệt báo cáo.")
            elif self.action == "reopen":
                services.reopen_report(report, actor=request.user, reason=reason)
                messages.success(request, "Đã mở lại báo cáo để xã chỉnh sửa.")
        except services.ReportError as error:
            messages.error(request, str(error))
            for problem in error.problems:
                messages.warning(request, problem)
        return redirect("report-overview", pk=report.pk)


class CommentView(LoginRequiredMixin, View):
    def post(self, request, pk, part):
        report = scoped_report(request, pk)
        require(request, "reports.comment_report", report)
        form = CommentForm(request.POST)
        if form.is_valid():
            PartComment.objects.create(report=report, part=part, author=request.user, text=form.cleaned_data["text"])
            messages.success(request, "Đã ghi nhận xét.")
        else:
            messages.error(request, "Nhận xét không được để trống.")
        target = part_registry.get(part).url_name if part in {p.key for p in part_registry.parts()} else None
        return redirect(target, report_pk=report.pk) if target else redirect("report-overview", pk=report.pk)


class ReviewPeriodView(LoginRequiredMixin, TemplateView):
    """A reviewer's table of communes for one period: status, submission date, late flag; bulk approve."""

    template_name = "reports/review_period.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request, "reports.review_period")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .filters import ReviewFilter

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
        ids = request.POST.getlist("report")
        approved, refused = 0, []
        for report in Report.objects.for_user(request.user).filter(pk__in=ids, period=period).select_related("unit"):
            if not request.user.has_perm("reports.review_report", report):
                refused.append(f"{report.unit}: không có quyền")
                continue
            try:
                services.approve_report(report, actor=request.user)
                approved += 1
            except services.ReportError as error:
                refused.append(f"{report.unit}: {error}")
        if approved:
            messages.success(request, f"Đã duyệt {approved} báo cáo.")
        for line in refused:
            messages.warning(request, line)
        return redirect(request.get_full_path())


class HistoryView(LoginRequiredMixin, TemplateView):
    template_name = "reports/history.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = scoped_report(self.request, kwargs["pk"])
        ctx.update(report_context(self.request, report))
        ctx["transitions"] = report.transitions.select_related("actor")
        ctx["changes"] = changed_since_submission(report)
        return ctx


class UnitListView(LoginRequiredMixin, TemplateView):
    """Communes in the user's scope (the same method every view uses)."""

    template_name = "reports/unit_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        day = timezone.localdate()
        on = self.request.GET.get("on")
        if on:
            from django.utils.dateparse import parse_date
            day = parse_date(on) or day
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


class ImportReportView(LoginRequiredMixin, TemplateView):
    """Upload a cchc-report/1 file, preview it with every problem listed, then confirm the import."""

    template_name = "reports/import.html"
    session_key = "cchc_report_import"

    def may_write(self, report):
        return self.request.user.has_perm("reports.edit_report", report)

    def post(self, request):
        from .interchange import ImportRefused, import_report, parse, validate

        if "confirm" in request.POST:
            data = request.session.get(self.session_key)
            if data is None:
                messages.error(request, "Phiên nhập đã hết hạn, hãy tải tệp lên lại.")
                return redirect("report-import")
            try:
                report = import_report(data, actor=request.user, may_write=self.may_write)
            except ImportRefused as refused:
                return self.render_to_response(self.get_context_data(problems=refused.problems), status=422)
            del request.session[self.session_key]
            messages.success(request, f"Đã nhập báo cáo {report.period.label} của {report.unit}.")
            return redirect("report-overview", pk=report.pk)
        upload = request.FILES.get("file")
        if upload is None:
            return self.render_to_response(self.get_context_data(
                problems=[part_registry.Problem("file", "Chưa chọn tệp.")]), status=422)
        if upload.size > 5 * 1024 * 1024:
            return self.render_to_response(self.get_context_data(
                problems=[part_registry.Problem("file", f"Tệp quá lớn ({upload.size:,} byte); tối đa 5 MB.")]), status=422)
        try:
            data = parse(upload.read())
        except ImportRefused as refused:
            return self.render_to_response(self.get_context_data(problems=refused.problems), status=422)
        problems, unit, period = validate(data)
        existing = None
        if not problems:
            existing = Report.objects.filter(unit=unit, period=period).first()
            if not self.may_write(existing or Report(unit=unit, period=period)):
                problems.append(part_registry.Problem("unit", f"Bạn không có quyền nhập báo cáo của {unit}."))
        if problems:
            return self.render_to_response(self.get_context_data(problems=problems, filename=upload.name), status=422)
        request.session[self.session_key] = data
        preview = {
            "unit": unit, "period": period, "existing": existing,
            "parts": [p.title for p in part_registry.parts() if any(k in data for k in p.export_keys)],
        }
        return self.render_to_response(self.get_context_data(preview=preview, filename=upload.name))


class ExportReportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        import json

        from .interchange import export_report

        report = scoped_report(request, pk)
        require(request, "reports.view_report", report)
        response = HttpResponse(
            json.dumps(export_report(report), ensure_ascii=False, indent=2), content_type="application/json",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="cchc-report-{report.unit.code}-{report.period.year}-{report.period.kind}.json"'
        )
        return response
