"""The report overview, the entry screens of the parts (PartView and the core's three parts) and
the history."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.generic import TemplateView

from .. import parts as part_registry
from .. import services
from ..access import require
from ..forms import (
    CommentForm,
    DirectionForm,
    DirectiveFormSet,
    HeaderForm,
    PlanTaskFormSet,
    ReasonForm,
    SectionsForm,
)
from ..models import (
    PartComment,
    ReportStatus,
)
from .base import report_context, scoped_report


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
        except services.NotAllowed as error:  # no right, or the report was submitted meanwhile
            if autosave:
                return autosave_status(report, self.part_key, ok=False, message=str(error))
            raise PermissionDenied(str(error)) from error
        except services.ReportError as error:  # e.g. no revision token
            if autosave:
                return autosave_status(report, self.part_key, ok=False, message=str(error))
            # What was typed stays on the screen, beside what is saved now.
            report.refresh_from_db()
            conflict = {"message": str(error), "changes": conflict_changes(forms, self.build_forms(report))}
            return self.render_part(forms, status=409, conflict=conflict)
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


def autosave_status(report, key, *, ok, conflict=False, message=None):
    report.refresh_from_db()
    revision = report.part_revision(key)
    if ok:
        text, css = f"Đã tự động lưu lúc {timezone.localtime():%H:%M}", "text-success"
    elif message:
        text, css = f"Chưa tự động lưu: {escape(message)}", "text-danger"
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
        from ..core_parts import task_counts

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


class HistoryView(LoginRequiredMixin, TemplateView):
    template_name = "reports/history.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = scoped_report(self.request, kwargs["pk"])
        ctx.update(report_context(self.request, report))
        ctx["transitions"] = report.transitions.select_related("actor")
        ctx["changes"] = changed_since_submission(report)
        return ctx
