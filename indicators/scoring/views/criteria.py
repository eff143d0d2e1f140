"""Views of the scoring home page and the criteria sets (list, detail, import, copy, bands)."""

import base64
import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from reports import scope
from reports.access import ScopedObjectMixin, allowed, require
from reports.models import (
    AdministrativeUnit,
    UnitLevel,
)

from .. import services
from ..forms import (
    BandsForm,
    CriteriaUploadForm,
)
from ..importers import parse_criteria
from ..models import (
    Assessment,
    CriteriaSet,
)
from ..services import ScoringServiceError
from .common import show_errors

# --- Home ----------------------------------------------------------------------------------------

class ScoringHomeView(LoginRequiredMixin, TemplateView):
    """Entry page: the commune's assessments by year, the reviewer's rankings by year."""

    template_name = "indicators/scoring/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        years = sorted(set(CriteriaSet.objects.for_user(user).values_list("year", flat=True)), reverse=True)
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
        ctx["can_manage_criteria"] = allowed(user, "indicators.manage_criteria")
        return ctx


# --- Criteria sets -------------------------------------------------------------------------------

class CriteriaSetListView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/scoring/criteria_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sets"] = (CriteriaSet.objects.for_user(self.request.user).select_related("unit").annotate(
            n_assessments=Count("assessments", distinct=True)).order_by("-year", "unit__code", "code"))
        ctx["can_manage"] = allowed(self.request.user, "indicators.manage_criteria")
        return ctx


def issuing_units_for(user):
    """Provinces and districts under which the user may issue criteria sets (admins: all)."""
    units = AdministrativeUnit.objects.exclude(level=UnitLevel.COMMUNE)
    if scope.is_national(user) and scope.is_admin(user):
        return units.order_by("-valid_from", "code")
    return units.filter(pk__in=[u.pk for u in scope.review_units(user)]).order_by("code")


class CriteriaSetDetailView(LoginRequiredMixin, ScopedObjectMixin, TemplateView):
    """One set in the user's scope (sets of other provinces are 404)."""

    template_name = "indicators/scoring/criteria_detail.html"
    scoped_model = CriteriaSet
    scoped_related = ("unit",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        criteria_set = self.get_scoped_object()
        ctx["criteria_set"] = criteria_set
        ctx["criteria"] = criteria_set.criteria.order_by("position")
        ctx["can_manage"] = allowed(self.request.user, "indicators.edit_criteria_set", criteria_set)
        ctx["bands_form"] = BandsForm(initial={"bands": BandsForm.initial_text(criteria_set.bands)})
        return ctx


class CriteriaSetActionView(LoginRequiredMixin, ScopedObjectMixin, View):
    """POST: copy to next year, or change the bands (the services lock the set and ask again)."""

    action = ""
    scoped_model = CriteriaSet
    scoped_related = ("unit",)
    permission = "indicators.edit_criteria_set"

    def post(self, request, pk):
        criteria_set = self.get_scoped_object()
        try:
            if self.action == "copy":
                copy = services.copy_criteria_set(criteria_set, actor=request.user)
                messages.success(request, f"Đã sao chép thành {copy.code} (năm {copy.year}).")
                return redirect("criteria-set-detail", pk=copy.pk)
            form = BandsForm(request.POST)
            if not form.is_valid():
                for error in form.errors.get("bands", []):
                    messages.error(request, error)
            else:
                services.update_bands(criteria_set, form.cleaned_data["bands"], actor=request.user)
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
                                                        name=pending["set_name"], source_name=pending["name"],
                                                        actor=request.user)
        except ScoringServiceError as error:
            show_errors(request, error)
            return redirect("criteria-import")
        del request.session[self.session_key]
        messages.success(request, f"Đã nhập bộ tiêu chí {criteria_set.code} ({criteria_set.criteria.count()} dòng).")
        return redirect("criteria-set-detail", pk=criteria_set.pk)
