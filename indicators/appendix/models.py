"""Statistics appendix (Phụ lục 01b): the indicator catalogue, versioned by year, and each report's values.

The catalogue is data, not code: an admin loads it from a CSV/Excel file (``load_indicators`` or the
admin import) and the entry screen, the checks, the interchange format and the documents all follow
it. A report uses the catalogue in force for its period's year: the one with the greatest
``year_from`` not after that year.

Values are stored as canonical text (counts "1234", percents "12.5", choice keys "1", free text)
and read back through typed accessors; parsing and the cross-indicator rules live in
``indicators.appendix.values`` as plain functions.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reports.models import Report

from . import values as checks

__all__ = ["IndicatorCatalogue", "Indicator", "IndicatorValue", "ValueType"]


class ValueType(models.TextChoices):
    GROUP = "group", _("Nhóm chỉ tiêu")
    COUNT = "count", _("Số lượng")
    PERCENT = "percent", _("Tỷ lệ (%)")
    CHOICE = "choice", _("Lựa chọn")
    TEXT = "text", _("Văn bản")


class IndicatorCatalogueQuerySet(models.QuerySet):
    def in_force(self, year):
        """The catalogue in force in ``year`` (greatest ``year_from`` ≤ year), or None."""
        return self.filter(year_from__lte=year).order_by("-year_from").first()


class IndicatorCatalogue(models.Model):
    """A version of the Phụ lục 01b catalogue, in force from ``year_from`` until a newer one starts."""

    year_from = models.PositiveSmallIntegerField(
        _("áp dụng từ năm"), unique=True,
        help_text=_("Danh mục áp dụng cho các kỳ báo cáo từ năm này đến trước năm của danh mục mới hơn"),
    )
    name = models.CharField(_("tên danh mục"), max_length=200)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = IndicatorCatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("danh mục chỉ tiêu thống kê")
        verbose_name_plural = _("danh mục chỉ tiêu thống kê")
        ordering = ["-year_from"]

    def __str__(self):
        return f"{self.name} (từ năm {self.year_from})"


class Indicator(models.Model):
    """One row of the catalogue: a group heading or an indicator with its unit and value type.

    ``source`` names the fact (``reports.parts.all_facts``) another part already knows, e.g.
    ``direction.task_total``: such an indicator is shown read-only and never typed twice.
    ``rule`` is a cross-indicator check such as ``<=1.1.1`` or ``sum(1.3.2,1.3.3)<=1.3.1``.
    """

    catalogue = models.ForeignKey(IndicatorCatalogue, verbose_name=_("danh mục"), on_delete=models.CASCADE,
                                  related_name="indicators")
    code = models.CharField(_("mã"), max_length=20)
    parent = models.ForeignKey("self", verbose_name=_("chỉ tiêu cha"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    name_vi = models.TextField(_("tên chỉ tiêu"))
    unit_vi = models.CharField(_("đơn vị tính"), max_length=100, blank=True)
    value_type = models.CharField(_("kiểu số liệu"), max_length=10, choices=ValueType.choices)
    choices = models.CharField(_("các lựa chọn"), max_length=300, blank=True,
                               help_text=_("Dạng “0=Không|1=Có”; chỉ dùng cho kiểu Lựa chọn"))
    note = models.TextField(_("ghi chú"), blank=True)
    source = models.CharField(_("lấy số liệu từ"), max_length=60, blank=True,
                              help_text=_("Khóa số liệu của phần khác, vd. direction.task_total; "
                                          "để trống nếu xã nhập trực tiếp"))
    rule = models.CharField(_("ràng buộc"), max_length=120, blank=True,
                            help_text=_("Vd. “<=1.1.1” hoặc “sum(1.3.2,1.3.3)<=1.3.1”"))

    class Meta:
        verbose_name = _("chỉ tiêu thống kê")
        verbose_name_plural = _("chỉ tiêu thống kê")
        ordering = ["catalogue", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="indicator_catalogue_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name_vi[:80]}"

    def clean(self):
        errors = {}
        if self.code and not checks.CODE_RE.match(self.code):
            errors["code"] = f"Mã “{self.code}” không hợp lệ (dạng 1, 1.2, 7.2.3.a)."
        for field, message in checks.definition_problems(
            value_type=self.value_type, choices=self.choices, source=self.source, rule=self.rule,
        ).items():
            errors[field] = message
        if self.parent_id and self.catalogue_id and self.parent.catalogue_id != self.catalogue_id:
            errors["parent"] = "Chỉ tiêu cha phải thuộc cùng danh mục."
        if errors:
            raise ValidationError(errors)

    @property
    def is_group(self):
        return self.value_type == ValueType.GROUP

    @property
    def is_sourced(self):
        return bool(self.source)

    @property
    def depth(self):
        """0 for "1", 1 for "1.1", 3 for "7.2.3.a": the indentation of the official table."""
        return self.code.count(".")

    @property
    def choice_map(self):
        """{0: "Không", 1: "Có"} from "0=Không|1=Có"."""
        return checks.parse_choices(self.choices)

    def parse(self, raw):
        """Canonical text of ``raw`` for this indicator (None when empty); ValueError with a Vietnamese message."""
        return checks.parse_value(self.value_type, raw, self.choice_map)


class IndicatorValue(models.Model):
    """A report's value for one indicator, as canonical text; typed accessors read it back."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.TextField(_("số liệu"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        ordering = ["report", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicatorvalue_report_indicator_unique"),
        ]

    def __str__(self):
        return f"{self.indicator.code} = {self.value}"

    @property
    def as_int(self):
        return int(self.value) if self.value != "" else None

    @property
    def as_decimal(self):
        return Decimal(self.value) if self.value != "" else None

    @property
    def typed(self):
        """int for counts and choices, Decimal for percents, str for text; None when empty."""
        return checks.typed(self.indicator.value_type, self.value)
