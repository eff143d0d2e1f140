"""Forms of the scoring screens. One row of fields per leaf, named ``<field>-<leaf pk>``; the forms
only parse and shape input — the services score, validate against the rules and save."""

from django import forms
from django.conf import settings
from django.db import models

from cchc_portal.lib.numbers import format_number
from reports import limits, validators

from .models import Assessment, CriteriaSet, LeafScore


def _column(model, name):
    return limits.model_field(model, name)


class ScoreField(forms.CharField):
    """A decimal typed the Vietnamese way ("0,32") or the plain way ("0.32"). ``column``: the model
    field the number is saved to; a number it cannot hold is refused with its limit."""

    def __init__(self, *, column=None, **kwargs):
        self.column = column
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm",
                                                           "size": 5}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value
        return format_number(value)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            number = validators.finite_number(value)  # no NaN, Infinity or 1e400
        except validators.InvalidInput as error:
            raise forms.ValidationError(str(error)) from error
        if number is not None and number < 0:
            raise forms.ValidationError("Không được âm.")
        if number is not None and self.column is not None:
            whole = isinstance(self.column, models.IntegerField) and number == number.to_integral_value()
            problem = limits.check_value(self.column, int(number) if whole else number, "", nul=False)
            if problem is not None:
                raise forms.ValidationError(problem.message[:1].upper() + problem.message[1:])
        return number


def _text(rows=2):
    return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": rows, "class": "form-control form-control-sm"}))


# Column names of the per-leaf inputs, as the entry screen's headers show them.
ROW_LABELS = {
    "self": "Điểm tự chấm", "score": "Điểm", "numerator": "Tử số", "denominator": "Mẫu số", "count": "Số lượng",
    "yes": "Đạt", "self_note": "Giải thích", "comment": "Ý kiến thẩm định", "not_applicable": "Không áp dụng",
    "explanation": "Giải trình", "disputed": "Đề nghị xem xét lại", "council_comment": "Ý kiến Hội đồng",
    "responsible": "Người chịu trách nhiệm", "remediation": "Biện pháp khắc phục", "deadlines": "Thời hạn",
}


class LeafRowsForm(forms.Form):
    """Base: fields per leaf; subclasses list which. ``rows()`` pairs each leaf with its bound fields."""

    row_fields: tuple = ()

    def __init__(self, *args, leaves, **kwargs):
        self.leaves = leaves
        super().__init__(*args, **kwargs)
        for leaf in leaves:
            for name in self.row_fields:
                field, initial = self.make_field(name, leaf)
                if field is None:
                    continue
                key = f"{name}-{leaf.pk}"
                # Rows have no visible label per input: name each one "<column> <code>" for screen readers.
                field.widget.attrs.setdefault("aria-label", f"{ROW_LABELS.get(name, name)} {leaf.criterion.code}")
                self.fields[key] = field
                self.initial[key] = initial

    def make_field(self, name, leaf):
        raise NotImplementedError

    def rows(self):
        for leaf in self.leaves:
            yield leaf, {name: self[f"{name}-{leaf.pk}"] for name in self.row_fields if f"{name}-{leaf.pk}" in self.fields}

    def entries(self):
        """{criterion code: {name: value}} of the cleaned data."""
        result = {}
        for leaf in self.leaves:
            entry = {}
            for name in self.row_fields:
                key = f"{name}-{leaf.pk}"
                if key in self.cleaned_data:
                    entry[name] = self.cleaned_data[key]
            result[leaf.criterion.code] = self.shape(entry, leaf)
        return result

    def shape(self, entry, leaf):
        return entry


def _input_fields(name, leaf):
    method = leaf.criterion.method
    if name in ("numerator", "denominator") and method in ("proportional", "threshold", "target"):
        return ScoreField(column=_column(LeafScore, name)), getattr(leaf, name)
    if name == "count" and method == "per_count_capped":
        return ScoreField(column=_column(LeafScore, "count")), leaf.count
    if name == "yes" and method == "yes_no" and leaf.criterion.source:
        return forms.NullBooleanField(required=False, widget=forms.NullBooleanSelect(
            attrs={"class": "form-select form-select-sm"})), leaf.yes
    return None, None


class SelfAssessmentForm(LeafRowsForm):
    """The commune's self-assessment: score (or inputs), explanation, not applicable."""

    row_fields = ("self", "numerator", "denominator", "count", "yes", "self_note", "not_applicable")

    def make_field(self, name, leaf):
        if name == "self":
            return ScoreField(column=_column(LeafScore, "self_score")), leaf.self_score
        if name == "self_note":
            return _text(), leaf.self_note
        if name == "not_applicable":
            return forms.BooleanField(required=False), leaf.not_applicable
        return _input_fields(name, leaf)

    def shape(self, entry, leaf):
        if entry.get("count") is not None:
            entry["count"] = int(entry["count"])
        return entry


class AppraisalForm(LeafRowsForm):
    """A reviewer's round: score (or corrected inputs), comment, not applicable."""

    row_fields = ("score", "numerator", "denominator", "count", "yes", "comment", "not_applicable")

    def __init__(self, *args, round_no, **kwargs):
        self.round_no = round_no
        super().__init__(*args, **kwargs)

    def make_field(self, name, leaf):
        if name == "score":
            current = leaf.round1_score if self.round_no == 1 else leaf.round2_score
            if current is None and self.round_no == 1:
                current = leaf.self_score
            return ScoreField(column=_column(LeafScore, f"round{self.round_no}_score")), current
        if name == "comment":
            return _text(), leaf.round1_comment if self.round_no == 1 else leaf.round2_comment
        if name == "not_applicable":
            return forms.BooleanField(required=False), leaf.not_applicable
        return _input_fields(name, leaf)

    def shape(self, entry, leaf):
        # Inputs unchanged from the stored ones are not "explicit" corrections.
        for name in ("numerator", "denominator", "count", "yes"):
            if name in entry and entry[name] == getattr(leaf, name):
                entry.pop(name)
        if entry.get("count") is not None:
            entry["count"] = int(entry["count"])
        return entry


class ExplanationForm(LeafRowsForm):
    """The commune's explanation (giải trình) of round-1 scores it disputes."""

    row_fields = ("explanation", "disputed")

    def make_field(self, name, leaf):
        if name == "explanation":
            return _text(), leaf.explanation
        return forms.BooleanField(required=False), leaf.disputed


def parse_deadlines(text):
    days = []
    for chunk in (text or "").replace(";", ",").split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        try:
            days.append(validators.parse_date(chunk))  # dd/mm/yyyy or ISO, a day that exists, 2000–2100
        except validators.InvalidInput as error:
            raise forms.ValidationError(f"Ngày “{chunk[:20]}” phải có dạng dd/mm/yyyy, năm từ "
                                        f"{validators.YEAR_MIN} đến {validators.YEAR_MAX}.") from error
    return days


class CouncilForm(LeafRowsForm):
    """Council comments, the person responsible, remediation and its deadlines ("đợt 1, đợt 2")."""

    row_fields = ("council_comment", "responsible", "remediation", "deadlines")

    def make_field(self, name, leaf):
        if name == "deadlines":
            return (forms.CharField(required=False, widget=forms.TextInput(attrs={
                "class": "form-control form-control-sm", "placeholder": "31/10/2024, 15/12/2024"})),
                ", ".join(d.strftime("%d/%m/%Y") for d in leaf.deadline_dates))
        if name == "responsible":
            field = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
            limits.bound_form_field(field, _column(LeafScore, "responsible"))
            return field, leaf.responsible
        return _text(), getattr(leaf, name)

    def clean(self):
        cleaned = super().clean()
        for leaf in self.leaves:
            key = f"deadlines-{leaf.pk}"
            try:
                cleaned[key] = parse_deadlines(cleaned.get(key))
            except forms.ValidationError as error:
                self.add_error(key, error)
        return cleaned


class AdjustmentForm(forms.Form):
    bonus = ScoreField(label="Điểm thưởng", column=_column(Assessment, "bonus"))
    bonus_reason = forms.CharField(label="Lý do thưởng", required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    penalty = ScoreField(label="Điểm trừ", column=_column(Assessment, "penalty"))
    penalty_reason = forms.CharField(label="Lý do trừ", required=False, widget=forms.TextInput(attrs={"class": "form-control"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class EvidenceForm(forms.Form):
    """One evidence file. The form checks its size only; what the file is (PDF, PNG/JPEG, DOCX/XLSX,
    parsed) is checked by the service, which every upload path goes through."""

    file = forms.FileField(label="Tài liệu kiểm chứng")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                f"Tệp “{upload.name}” quá lớn (tối đa {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB).")
        return upload


class RemediationDoneForm(forms.Form):
    note = forms.CharField(label="Kết quả khắc phục", required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    file = forms.FileField(label="Tài liệu kiểm chứng", required=False)


class CriteriaUploadForm(forms.Form):
    file = forms.FileField(label="Tệp bộ tiêu chí (CSV hoặc XLSX, dạng cchc-criteria/1)")
    year = forms.IntegerField(label="Năm áp dụng", min_value=2015, max_value=2100)
    code = forms.CharField(label="Mã bộ tiêu chí", required=False, help_text="Để trống: <mã đơn vị>-<năm>")
    name = forms.CharField(label="Tên bộ tiêu chí", required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = forms.ModelChoiceField(label="Đơn vị ban hành", queryset=units)
        self.order_fields(["unit", "year", "file", "code", "name"])
        limits.bound_form_fields(self, {name: _column(CriteriaSet, name) for name in ("year", "code", "name")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Chỉ nhận tệp .csv hoặc .xlsx.")
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Tệp bộ tiêu chí quá lớn (tối đa 2 MB).")
        return upload


class BandsForm(forms.Form):
    """Bands as lines "90 Xuất sắc"."""

    bands = forms.CharField(label="Xếp loại (mỗi dòng: điểm tối thiểu, tên)", widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}))

    def clean_bands(self):
        result = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            minimum, _sep, label = line.replace("\t", " ").partition(" ")
            try:
                value = validators.finite_number(minimum.rstrip(":,"))
            except validators.InvalidInput as error:
                raise forms.ValidationError(f"Dòng {number}: {error}") from error
            if value is None or not label.strip():
                raise forms.ValidationError(f"Dòng {number}: phải có dạng “90 Xuất sắc”.")
            result.append({"min": float(value), "label": label.strip(" :-")})
        if not result:
            raise forms.ValidationError("Cần ít nhất một mức xếp loại.")
        return result

    @staticmethod
    def initial_text(bands):
        return "\n".join(f"{format_number(b['min'])} {b['label']}" for b in bands)

