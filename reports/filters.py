"""Filter of the reviewer's period table (status, late, name).

The rows are the reviewer's communes, each with its report or none ("chưa tạo"), so the filter
works on rows rather than on one queryset."""

from django import forms

from .models import ReportStatus

STATUS_CHOICES = [("", "Tất cả"), ("missing", "Chưa tạo báo cáo"), *ReportStatus.choices]
LATE_CHOICES = [("", "Tất cả"), ("1", "Chỉ báo cáo muộn"), ("0", "Đúng hạn")]


class ReviewFilter(forms.Form):
    status = forms.ChoiceField(label="Trạng thái", choices=STATUS_CHOICES, required=False,
                               widget=forms.Select(attrs={"class": "form-select"}))
    late = forms.ChoiceField(label="Đúng hạn", choices=LATE_CHOICES, required=False,
                             widget=forms.Select(attrs={"class": "form-select"}))
    q = forms.CharField(label="Tên đơn vị", required=False, widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data or None, *args, **kwargs)
        self.is_valid()

    @property
    def form(self):
        return self

    def apply(self, rows, period):
        data = getattr(self, "cleaned_data", {})
        status, late, q = data.get("status"), data.get("late"), (data.get("q") or "").strip().lower()
        result = []
        for row in rows:
            report = row["report"]
            row["late"] = report.is_late if report else period.is_late()
            if status == "missing" and report is not None:
                continue
            if status and status != "missing" and (report is None or report.status != status):
                continue
            if late and row["late"] != (late == "1"):
                continue
            if q and q not in row["unit"].name.lower():
                continue
            result.append(row)
        return result
