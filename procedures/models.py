"""The commune's procedure catalogue, the one-stop dossier statistics of a report and its
processing-time cuts. Counts are stored; totals and rates are derived (cchc_portal.lib.numbers)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from procedures import onestop as numbers

DAYS_MIN = MinValueValidator(numbers.to_decimal("0.01"))


class OnlineServiceType(models.TextChoices):
    NONE = "none", _("Không cung cấp trực tuyến")
    PARTIAL = "partial", _("Một phần")
    FULL = "full", _("Toàn trình")


class Procedure(models.Model):
    """An administrative procedure (TTHC) the commune handles, in its catalogue grouped by field (lĩnh vực)."""

    unit = models.ForeignKey(
        "reports.AdministrativeUnit", verbose_name=_("đơn vị"), on_delete=models.CASCADE,
        related_name="procedures",
    )
    field = models.CharField(_("lĩnh vực"), max_length=200)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    national_code = models.CharField(
        _("mã TTHC"), max_length=40, blank=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, vd. 1.001193"),
    )
    legal_days = models.DecimalField(
        _("thời hạn theo quy định (ngày)"), max_digits=6, decimal_places=2, validators=[DAYS_MIN],
    )
    online_service_type = models.CharField(
        _("dịch vụ công trực tuyến"), max_length=8, choices=OnlineServiceType.choices,
        default=OnlineServiceType.NONE,
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["unit", "field", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_days__gt=0), name="procedure_legal_days_positive",
                violation_error_message=_("Thời hạn theo quy định phải lớn hơn 0."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.national_code})" if self.national_code else self.name


class OneStopStats(models.Model):
    """One-stop dossier counts of one report's period (Biểu 06/VPCP/KSTT shape); None = not entered."""

    report = models.OneToOneField(
        "reports.Report", verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="one_stop",
    )
    carried_over = models.PositiveIntegerField(_("kỳ trước chuyển sang"), null=True, blank=True)
    online = models.PositiveIntegerField(_("tiếp nhận trực tuyến"), null=True, blank=True)
    online_full = models.PositiveIntegerField(_("trong đó: trực tuyến toàn trình"), null=True, blank=True)
    online_partial = models.PositiveIntegerField(_("trong đó: trực tuyến một phần"), null=True, blank=True)
    direct = models.PositiveIntegerField(_("tiếp nhận trực tiếp"), null=True, blank=True)
    postal = models.PositiveIntegerField(_("tiếp nhận qua BCCI"), null=True, blank=True)
    resolved_early = models.PositiveIntegerField(_("giải quyết trước hạn"), null=True, blank=True)
    resolved_on_time = models.PositiveIntegerField(_("giải quyết đúng hạn"), null=True, blank=True)
    resolved_late = models.PositiveIntegerField(_("giải quyết quá hạn"), null=True, blank=True)
    pending_in_time = models.PositiveIntegerField(_("đang giải quyết trong hạn"), null=True, blank=True)
    pending_overdue = models.PositiveIntegerField(_("đang giải quyết quá hạn"), null=True, blank=True)
    withdrawn = models.PositiveIntegerField(_("rút, dừng giải quyết"), null=True, blank=True)
    interconnected = models.PositiveIntegerField(
        _("hồ sơ liên thông"), null=True, blank=True,
        help_text=_("Hồ sơ liên thông xử lý ngoài số liệu trên (vd. liên thông khai sinh, khai tử)"),
    )
    digitised = models.PositiveIntegerField(_("hồ sơ được số hóa"), null=True, blank=True)
    electronic_results = models.PositiveIntegerField(_("hồ sơ có kết quả điện tử"), null=True, blank=True)
    fee_bearing = models.PositiveIntegerField(_("hồ sơ có phí, lệ phí"), null=True, blank=True)
    paid_online = models.PositiveIntegerField(_("trong đó: thanh toán trực tuyến"), null=True, blank=True)
    satisfaction_responses = models.PositiveIntegerField(_("lượt đánh giá sự hài lòng"), null=True, blank=True)
    satisfied = models.PositiveIntegerField(_("lượt hài lòng"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số liệu một cửa")
        verbose_name_plural = _("số liệu một cửa")

    def __str__(self):
        return f"Một cửa — {self.report_id}"

    def counts(self):
        """{count name: int or None} — the plain values the rules in cchc_portal.lib.numbers take."""
        return {name: getattr(self, name) for name in numbers.ONE_STOP_FIELDS}

    @property
    def totals(self):
        return numbers.one_stop_totals(self.counts())

    @property
    def rates(self):
        return numbers.one_stop_rates(self.counts())


class TimeCut(models.Model):
    """A procedure whose processing time the commune cut, as listed in the report's appendix."""

    report = models.ForeignKey(
        "reports.Report", verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="time_cuts",
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục trong danh mục"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="time_cuts",
    )
    procedure_name = models.CharField(_("tên thủ tục"), max_length=500)
    legal_days = models.DecimalField(
        _("thời gian theo quy định (ngày)"), max_digits=6, decimal_places=2, validators=[DAYS_MIN],
    )
    cut_days = models.DecimalField(
        _("thời gian sau cắt giảm (ngày)"), max_digits=6, decimal_places=2, validators=[DAYS_MIN],
    )
    decision = models.CharField(
        _("văn bản thực hiện cắt giảm"), max_length=300, blank=True,
        help_text=_("Số, ký hiệu văn bản thực hiện giải quyết TTHC theo thời gian đã cắt giảm"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("TTHC cắt giảm thời gian")
        verbose_name_plural = _("TTHC cắt giảm thời gian")
        ordering = ["report", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cut_days__gt=0), name="time_cut_cut_days_positive",
                violation_error_message=_("Thời gian sau cắt giảm phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(cut_days__lt=models.F("legal_days")), name="time_cut_shorter",
                violation_error_message=_("Thời gian sau cắt giảm phải ngắn hơn thời gian theo quy định."),
            ),
        ]

    def __str__(self):
        return self.procedure_name

    @property
    def pct_cut(self):
        return numbers.time_cut_percent(self.legal_days, self.cut_days)
