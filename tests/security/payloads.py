"""Minimal valid POST payloads: an entry screen's forms submitted as they are shown (their initial
values, formsets with their management forms), like a browser would, plus the part's revision token."""

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve, reverse

from reports.models import Report


def form_data(form):
    """The POST data of ``form`` (or a formset) filled with its initial values."""
    if hasattr(form, "management_form"):
        data = form_data(form.management_form)
        for child in form.forms:
            data.update(form_data(child))
        return data
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        widget, value = field.widget, bound.value()
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(widget, forms.FileInput):
            continue
        elif isinstance(widget, forms.SelectMultiple):
            data[bound.html_name] = [str(v) for v in value or []]
        else:
            formatted = widget.format_value(value)
            if isinstance(formatted, list):
                formatted = formatted[0] if formatted else ""
            data[bound.html_name] = "" if formatted is None else formatted
    return data


def _view(url):
    match = resolve(url)
    view = match.func.view_class(**getattr(match.func, "view_initkwargs", {}))
    view.request = RequestFactory().get(url)
    view.request.user = AnonymousUser()
    view.args, view.kwargs = (), match.kwargs
    return view


def part_payload(url_name, report_pk, **changes):
    """The part's forms as shown, with ``changes`` (field html name → value) and the revision token."""
    url = reverse(url_name, kwargs={"report_pk": report_pk})
    view = _view(url)
    report = Report.objects.get(pk=report_pk)
    view.report = report
    data = {}
    for form in view.build_forms(report).values():
        data.update(form_data(form))
    data.update(changes)
    data["part_revision"] = str(report.part_revision(view.part_key))
    return data


def leaf_payload(url_name, **kwargs):
    """A per-leaf screen of an assessment (self-assessment, appraisal, explanation, council) as shown."""
    view = _view(reverse(url_name, kwargs=kwargs))
    from indicators.models import Assessment

    view.assessment = Assessment.objects.get(pk=kwargs["pk"])
    return form_data(view.build_form())
