"""Forms of the core report parts. Messages are Vietnamese and name the field and the numbers."""

from django import forms
from django.forms import inlineformset_factory

from . import limits, parts
from .core_parts import SECTION_MAX_LENGTH
from .limits import ColumnLimitsMixin
from .models import SECTION_KEYS, DirectiveDocument, PlanTask, Report

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class VietnameseDateField(forms.DateField):
    """A date typed day-first ("05/06/2026" is 5 June 2026)."""

    widget = DATE_WIDGET
    default_error_messages = {"invalid": "Ngày không hợp lệ, hãy nhập theo dạng ngày/tháng/năm (vd. 05/06/2026)."}


class CountField(forms.IntegerField):
    """A non-negative count; accepts "1.234" typed with thousand separators."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", False)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.error_messages["min_value"] = f"“{kwargs.get('label', 'Số liệu')}” phải là số nguyên không âm."
        self.error_messages["invalid"] = f"“{kwargs.get('label', 'Số liệu')}” phải là số nguyên."


class HeaderForm(ColumnLimitsMixin, forms.ModelForm):
    doc_date = VietnameseDateField(label="Ngày văn bản", required=False)

    class Meta:
        model = Report
        fields = ["doc_number", "place", "doc_date", "subject", "addressee", "recipients",
                  "signer_name", "signer_title", "signer_capacity"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 4}), "subject": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        if report and report.period_id:
            self.fields["subject"].widget.attrs["placeholder"] = report.default_subject
            self.fields["subject"].help_text = "Để trống để dùng trích yếu mặc định theo kỳ báo cáo."

    def clean_doc_number(self):
        number = self.cleaned_data["doc_number"].strip()
        if number and "/" not in number:
            raise forms.ValidationError("Số ký hiệu phải có dạng “12/BC-UBND”.")
        return number

    def clean_doc_date(self):
        day = self.cleaned_data.get("doc_date")
        report = self.instance
        if day and report.period_id and day < report.period.data_start:
            raise forms.ValidationError(
                f"Ngày văn bản ({day:%d/%m/%Y}) sớm hơn ngày bắt đầu kỳ số liệu ({report.period.data_start:%d/%m/%Y})."
            )
        return day


class DirectionForm(ColumnLimitsMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "plan_reference", "plan_contents", "plan_itemised", "plan_task_total", "plan_tasks_done",
            "directive_total", "inspection_plan", "inspected_units", "issues_found", "issues_fixed",
            "propaganda_plan", "propaganda_sessions", "propaganda_attendees", "broadcasts", "web_posts", "banners",
            "initiatives", "survey_forms", "survey_method", "dialogues",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.IntegerField):
                self.fields[name] = CountField(label=field.label, help_text=field.help_text)
                self.fields[name].initial = field.initial
        limits.bound_form_fields(self)  # the counts replaced above take their columns' bounds again

    def clean(self):
        data = super().clean()
        found, fixed = data.get("issues_found"), data.get("issues_fixed")
        if found is not None and fixed is not None and fixed > found:
            self.add_error("issues_fixed", f"Số vấn đề đã xử lý xong ({fixed}) lớn hơn số vấn đề phát hiện ({found}).")
        if not data.get("plan_itemised"):
            total, done = data.get("plan_task_total"), data.get("plan_tasks_done")
            if total is not None and done is not None and done > total:
                self.add_error("plan_tasks_done", f"Số nhiệm vụ đã hoàn thành ({done}) lớn hơn tổng số nhiệm vụ ({total}).")
        return data

    def check_against_directives(self, directive_formset):
        live = [f for f in directive_formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        total = self.cleaned_data.get("directive_total")
        if live and total is not None:
            self.add_error(
                "directive_total",
                f"Đã liệt kê {len(live)} văn bản chỉ đạo nên không nhập tổng số ({total}); hãy để trống ô này.",
            )
            return False
        return True

    def check_against_tasks(self, task_formset):
        """Itemised plans count their tasks; typed totals would be typed twice, so they must be empty."""
        if not self.cleaned_data.get("plan_itemised"):
            live = [f for f in task_formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            if live:
                self.add_error(
                    "plan_itemised",
                    f"Đã nhập {len(live)} nhiệm vụ chi tiết: hãy chọn “nhập từng nhiệm vụ” hoặc xóa các nhiệm vụ đó.",
                )
                return False
        else:
            self.cleaned_data["plan_task_total"] = None
            self.cleaned_data["plan_tasks_done"] = None
        return True


class PlanTaskForm(ColumnLimitsMixin, forms.ModelForm):
    due = VietnameseDateField(label="Thời hạn", required=False)
    group = CountField(label="Nhóm nội dung")

    class Meta:
        model = PlanTask
        fields = ["title", "group", "status", "due", "responsible"]
        widgets = {"title": forms.TextInput()}


class DirectiveForm(ColumnLimitsMixin, forms.ModelForm):
    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)

    class Meta:
        model = DirectiveDocument
        fields = ["number", "issued_on", "title"]


# Rows of one typed table (a commune's plan has a few dozen tasks): a posted TOTAL_FORMS above it is
# refused without building thousands of forms (Django's default allows 2,000 per formset).
ROWS_MAX = 200
PlanTaskFormSet = inlineformset_factory(Report, PlanTask, form=PlanTaskForm, extra=1, can_delete=True,
                                        max_num=ROWS_MAX, absolute_max=ROWS_MAX, validate_max=True)
DirectiveFormSet = inlineformset_factory(Report, DirectiveDocument, form=DirectiveForm, extra=1, can_delete=True,
                                         max_num=ROWS_MAX, absolute_max=ROWS_MAX, validate_max=True)


SECTION_TITLES = {
    "I.1": "I.1. Công tác chỉ đạo, điều hành cải cách hành chính",
    "I.2": "I.2. Văn bản chỉ đạo, hội nghị, khen thưởng, sáng kiến, khắc phục chỉ số năm trước",
    "I.3": "I.3. Công tác kiểm tra cải cách hành chính",
    "I.4": "I.4. Công tác tuyên truyền cải cách hành chính",
    "II.1": "II.1. Cải cách thể chế",
    "II.2": "II.2. Cải cách thủ tục hành chính, cơ chế một cửa, một cửa liên thông",
    "II.3": "II.3. Cải cách tổ chức bộ máy hành chính nhà nước",
    "II.4": "II.4. Cải cách chế độ công vụ",
    "II.5": "II.5. Cải cách tài chính công",
    "II.6": "II.6. Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    "III.1": "III.1. Ưu điểm",
    "III.2": "III.2. Tồn tại, hạn chế",
    "III.3": "III.3. Nguyên nhân",
    "IV": "IV. Phương hướng, nhiệm vụ kỳ tới",
    "V": "V. Kiến nghị, đề xuất",
}

class SectionsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in SECTION_KEYS:
            self.fields[key] = forms.CharField(
                label=SECTION_TITLES[key], required=False, max_length=SECTION_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def rows(self, facts):
        """Each section's field with the known facts the parts show beside it (label, value)."""
        labels, beside = parts.fact_labels(), parts.section_facts()
        return [
            {"field": self[key], "facts": [
                (labels.get(name, name), facts[name]) for name in beside.get(key, []) if name in facts
            ]}
            for key in SECTION_KEYS
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), required=True)


class CommentForm(forms.Form):
    text = forms.CharField(label="Nhận xét", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
