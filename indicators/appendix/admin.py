"""Admin of the statistics catalogue (Phụ lục 01b): catalogues and indicators are edited here and
indicators are imported from CSV/Excel with django-import-export, into the catalogue chosen on the
import form. The preview lists every row problem; a file with any problem saves nothing.

Only CSV and XLSX are offered (django-import-export's other formats, "html" among them, are not
read). The import form reads the file with the catalogue loader's own reader and checks (size,
rows, columns, UTF-8, every row's values and the columns' limits), so a bad file comes back as the
form's Vietnamese errors and never reaches django-import-export's row handling."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm
from simple_history.admin import SimpleHistoryAdmin

from reports import limits

from .importers import CatalogueImportError, IndicatorResource, flatten, read_rows, validate_rows
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


FORMATS = [base_formats.CSV, base_formats.XLSX]


def _format_of(value):
    """The format chosen on a form (an index into FORMATS), or None."""
    text = str(value if value is not None else "0")
    return FORMATS[int(text)] if text.isdigit() and int(text) < len(FORMATS) else None


def file_problems(data, file_format, catalogue):
    """Every problem of an uploaded catalogue file (bytes) in ``file_format``, as Vietnamese lines."""
    try:
        limits.check_size(len(data))
        rows = read_rows(data, "upload.xlsx" if file_format is base_formats.XLSX else "upload.csv")
    except limits.Refused as refused:
        return [p.message for p in refused.problems]
    except CatalogueImportError as error:
        return error.problems
    if not rows:
        return ["Tệp không có dòng dữ liệu nào."]
    known = dict(catalogue.indicators.values_list("code", "value_type"))
    return flatten(validate_rows(rows, known_codes=known), rows)[:200]


class CatalogueImportForm(ImportForm):
    """The import step: a CSV or XLSX file, checked whole before django-import-export reads it."""

    catalogue = _catalogue_field()

    def clean(self):
        cleaned = super().clean()
        upload, catalogue = cleaned.get("import_file"), cleaned.get("catalogue")
        file_format = _format_of(cleaned.get("format"))
        if file_format is None:
            self.add_error(None, "Chỉ nhập được tệp CSV hoặc XLSX.")
        elif upload is not None and catalogue is not None:
            if upload.size > limits.MAX_UPLOAD_BYTES:
                problems = [f"Tệp quá lớn ({upload.size:,} byte); tối đa {limits.MAX_UPLOAD_BYTES // 2**20} MB."]
            else:
                upload.seek(0)
                problems = file_problems(upload.read(), file_format, catalogue)
                upload.seek(0)
            if problems:
                self.add_error("import_file", problems)
        return cleaned


class CatalogueConfirmImportForm(ConfirmImportForm):
    """The confirm step: the file saved by the import step, checked again (a forged name, format or
    file is refused on the form, not with a traceback)."""

    catalogue = forms.ModelChoiceField(queryset=IndicatorCatalogue.objects.all(), widget=forms.HiddenInput())

    def clean(self):
        cleaned = super().clean()
        name, catalogue = cleaned.get("import_file_name"), cleaned.get("catalogue")
        file_format = _format_of(cleaned.get("format"))
        if file_format is None:
            raise forms.ValidationError("Chỉ nhập được tệp CSV hoặc XLSX.")
        if not name or catalogue is None:
            return cleaned
        path = Path(tempfile.gettempdir()) / name
        if limits.NUL in name or not path.is_file():
            raise forms.ValidationError("Tệp tải lên đã hết hạn; hãy chọn tệp và nhập lại.")
        problems = file_problems(path.read_bytes()[:limits.MAX_UPLOAD_BYTES + 1], file_format, catalogue)
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(ImportExportModelAdmin):
    resource_classes = [IndicatorResource]
    import_form_class = CatalogueImportForm
    confirm_form_class = CatalogueConfirmImportForm
    import_formats = FORMATS
    export_formats = FORMATS
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
