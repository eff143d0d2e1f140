"""Forms of the one-stop statistics, the procedure catalogue and the time cuts. The numeric rules
are those of cchc_portal.lib.numbers; the forms only place their messages next to the fields."""

from decimal import Decimal

from django import forms
from django.forms import (
    BaseInlineFormSet,
    BaseModelFormSet,
    inlineformset_factory,
    modelformset_factory,
)
from django.utils.text import capfirst

from procedures import onestop as numbers
from reports import limits
from reports.forms import CountField
from reports.limits import ColumnLimitsMixin
from reports.models import Report

from .models import OneStopStats, Procedure, TimeCut


class DaysField(forms.DecimalField):
    """A number of (working) days; accepts "2,5" and "1.234"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        label = kwargs.get("label", "Số ngày")
        self.error_messages["invalid"] = f"“{label}” phải là một số (vd. 3 hoặc 2,5)."
        self.error_messages["max_decimal_places"] = f"“{label}” có tối đa 2 chữ số thập phân."

    def prepare_value(self, value):
        """Shown as officials write it: "5", "2,5" (not "5,00")."""
        if isinstance(value, Decimal):
            return numbers.format_number(value)
        return super().prepare_value(value)


class OneStopForm(ColumnLimitsMixin, forms.ModelForm):
    """The counts of one report, checked against E1–E8 as a whole. ``received`` is an optional typed
    total, only checked (E1) and never stored."""

    received = CountField(
        label="Tổng số hồ sơ tiếp nhận",
        help_text="Không bắt buộc. Nếu nhập, phải bằng tổng các kênh tiếp nhận.",
    )

    class Meta:
        model = OneStopStats
        fields = list(numbers.ONE_STOP_FIELDS)

    def __init__(self, *args, previous_pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_pending = previous_pending
        self.group_errors = {}
        for name in numbers.ONE_STOP_FIELDS:
            model_field = self._meta.model._meta.get_field(name)
            self.fields[name] = CountField(label=capfirst(str(model_field.verbose_name)),
                                           help_text=model_field.help_text)
            self.fields[name].widget.attrs["data-count"] = name
        limits.bound_form_fields(self)  # the counts replaced above take their columns' bounds again
        self.fields["received"].widget.attrs["data-count"] = "received"
        if previous_pending is not None:
            self.fields["carried_over"].help_text = (
                f"Cuối kỳ trước còn {numbers.format_number(previous_pending)} hồ sơ đang giải quyết."
            )

    def counts(self):
        return {name: self.cleaned_data.get(name) for name in numbers.ONE_STOP_FIELDS}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        problems = numbers.one_stop_problems(
            self.counts(), typed_received=data.get("received"), previous_pending=self.previous_pending,
        )
        for field, message in problems:
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.group_errors.setdefault(field, []).append(message)
                self.add_error(None, message)
        return data


class ProcedureForm(ColumnLimitsMixin, forms.ModelForm):
    legal_days = DaysField(label="Thời hạn theo quy định (ngày)")

    class Meta:
        model = Procedure
        fields = ["field", "name", "national_code", "legal_days", "online_service_type", "active"]
        widgets = {"name": forms.TextInput()}


class BaseProcedureFormSet(BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A posted id may only name a procedure of this catalogue.
        form.fields["id"].queryset = self.get_queryset()

    def clean(self):
        super().clean()
        seen_codes, seen_names = {}, {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            code = (data.get("national_code") or "").strip()
            if code:
                if code in seen_codes:
                    form.add_error("national_code", f"Mã TTHC {code} đã có ở dòng {seen_codes[code]}.")
                seen_codes.setdefault(code, self.forms.index(form) + 1)
            name = (data.get("name") or "").strip().casefold()
            if name and (data.get("field") or "").strip():
                key = (data["field"].strip().casefold(), name)
                if key in seen_names:
                    form.add_error("name", f"Thủ tục này đã có ở dòng {seen_names[key]} cùng lĩnh vực.")
                seen_names.setdefault(key, self.forms.index(form) + 1)


# Posted TOTAL_FORMS is bounded (Django's default builds up to 2,000 forms per formset): a commune's
# catalogue holds a few hundred procedures, a report's time-cut table a few dozen rows.
CATALOGUE_MAX, TIME_CUTS_MAX = 1000, 500
ProcedureFormSet = modelformset_factory(
    Procedure, form=ProcedureForm, formset=BaseProcedureFormSet, extra=1, can_delete=True,
    max_num=CATALOGUE_MAX, absolute_max=CATALOGUE_MAX, validate_max=True,
)


class TimeCutForm(ColumnLimitsMixin, forms.ModelForm):
    """One row of the time-cut table. Picking a catalogue procedure fills the name and legal time
    when they are left empty."""

    procedure = forms.TypedChoiceField(label="Thủ tục trong danh mục", required=False, coerce=int,
                                       empty_value=None)
    procedure_name = forms.CharField(label="Tên thủ tục", required=False, max_length=500,
                                     widget=forms.TextInput())
    legal_days = DaysField(label="Theo quy định (ngày)", required=False)
    cut_days = DaysField(label="Sau cắt giảm (ngày)")

    class Meta:
        model = TimeCut
        fields = ["procedure", "procedure_name", "legal_days", "cut_days", "decision"]
        labels = {"decision": "Văn bản thực hiện"}
        help_texts = {"decision": ""}

    def __init__(self, *args, catalogue=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue is read once for the whole formset (no query per row).
        self.catalogue = catalogue or {}
        self.fields["procedure"].choices = [("", "— ngoài danh mục —")] + [
            (pk, str(p)) for pk, p in self.catalogue.items()
        ]
        if self.instance.pk and self.instance.procedure_id and self.instance.procedure_id not in self.catalogue:
            self.initial["procedure"] = None

    def clean_procedure(self):
        pk = self.cleaned_data.get("procedure")
        if pk is None:
            return None
        if pk not in self.catalogue:
            raise forms.ValidationError("Thủ tục không có trong danh mục của xã.")
        return self.catalogue[pk]

    def clean(self):
        data = super().clean()
        procedure = data.get("procedure")
        if procedure is not None:
            if not (data.get("procedure_name") or "").strip():
                data["procedure_name"] = procedure.name
            if data.get("legal_days") is None and "legal_days" not in self.errors:
                data["legal_days"] = procedure.legal_days
        if not (data.get("procedure_name") or "").strip():
            self.add_error("procedure_name", "Chưa nhập tên thủ tục (hoặc chọn thủ tục trong danh mục).")
        if data.get("legal_days") is None and "legal_days" not in self.errors:
            self.add_error("legal_days", "Chưa nhập thời gian giải quyết theo quy định.")
        for field, message in numbers.time_cut_problems(data.get("legal_days"), data.get("cut_days")):
            if field not in self.errors:
                self.add_error(field, message)
        return data

    @property
    def pct_cut(self):
        """The "% cắt giảm" of the row as shown (from the typed values when valid, else the saved ones)."""
        data = getattr(self, "cleaned_data", None)
        if data and data.get("legal_days") and data.get("cut_days"):
            return numbers.time_cut_percent(data["legal_days"], data["cut_days"])
        if self.instance.pk:
            return self.instance.pct_cut
        return None

    @property
    def pct_cut_display(self):
        return numbers.format_number(self.pct_cut)


class BaseTimeCutFormSet(BaseInlineFormSet):
    def __init__(self, *args, catalogue=None, **kwargs):
        self.catalogue = catalogue or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "catalogue": self.catalogue}


TimeCutFormSet = inlineformset_factory(
    Report, TimeCut, form=TimeCutForm, formset=BaseTimeCutFormSet, extra=1, can_delete=True,
    max_num=TIME_CUTS_MAX, absolute_max=TIME_CUTS_MAX, validate_max=True,
)
