"""Admin of the statistics catalogue (Phụ lục 01b): catalogues and indicators are edited here and
indicators are imported from CSV/Excel with django-import-export, into the catalogue chosen on the
import form. The preview lists every row problem; a file with any problem saves nothing."""

from django import forms
from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm, ImportForm
from simple_history.admin import SimpleHistoryAdmin

from .importers import IndicatorResource
from .models import Indicator, IndicatorCatalogue, IndicatorValue


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fk_name = "catalogue"
    fields = ["position", "code", "name_vi", "unit_vi", "value_type", "choices", "source", "rule"]
    extra = 0
    show_change_link = True
    ordering = ["position"]
    formfield_overrides = {
        Indicator._meta.get_field("name_vi").__class__: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 60})},
    }


@admin.register(IndicatorCatalogue)
class IndicatorCatalogueAdmin(admin.ModelAdmin):
    list_display = ["name", "year_from", "indicator_count"]
    search_fields = ["name"]
    inlines = [IndicatorInline]

    @admin.display(description="Số chỉ tiêu")
    def indicator_count(self, obj):
        return obj.indicators.count()


def _catalogue_field():
    return forms.ModelChoiceField(
        queryset=IndicatorCatalogue.objects.all(), label="Danh mục nhập vào",
        help_text="Các dòng được thêm mới hoặc cập nhật (theo mã) trong danh mục này.",
    )


class CatalogueImportForm(ImportForm):
    catalogue = _catalogue_field()


class CatalogueConfirmImportForm(ConfirmImportForm):
    catalogue = forms.ModelChoiceField(queryset=IndicatorCatalogue.objects.all(), widget=forms.HiddenInput())


@admin.register(Indicator)
class IndicatorAdmin(ImportExportModelAdmin):
    resource_classes = [IndicatorResource]
    import_form_class = CatalogueImportForm
    confirm_form_class = CatalogueConfirmImportForm
    list_display = ["code", "name_vi", "unit_vi", "value_type", "source", "rule", "catalogue"]
    list_filter = ["catalogue", "value_type"]
    search_fields = ["code", "name_vi"]
    list_select_related = ["catalogue"]
    raw_id_fields = ["parent"]
    ordering = ["catalogue", "position"]

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        catalogue = None
        if form is not None and getattr(form, "cleaned_data", None):
            catalogue = form.cleaned_data.get("catalogue")
        return {"catalogue": catalogue}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["catalogue"] = import_form.cleaned_data["catalogue"].pk
        return initial


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    """Values and their history, read-only: a report's values change only through its appendix screen
    or an import (the report's lock, state and revision checked there)."""

    list_display = ["report", "indicator", "value"]
    list_select_related = ["report__unit", "report__period", "indicator"]
    search_fields = ["indicator__code", "report__unit__name"]
    raw_id_fields = ["report", "indicator"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
