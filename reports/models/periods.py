"""Reporting periods: a year and a kind, with the data window and deadline of letter 581/BNV-CCHC."""

import calendar
import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    Q1 = "Q1", _("Quý I")
    Q2 = "Q2", _("Quý II")
    Q3 = "Q3", _("Quý III")
    Q4 = "Q4", _("Quý IV")
    H1 = "H1", _("6 tháng")
    M9 = "M9", _("9 tháng")
    Y = "Y", _("Năm")


# Last month of each period kind, and whether its figures are cumulative from the year's start.
PERIOD_LAST_MONTH = {"Q1": 3, "Q2": 6, "H1": 6, "Q3": 9, "M9": 9, "Q4": 12, "Y": 12}
CUMULATIVE_KINDS = {"H1", "M9", "Y"}
PERIOD_ORDER = ["Q1", "Q2", "H1", "Q3", "M9", "Q4", "Y"]


class PeriodQuerySet(models.QuerySet):
    def in_order(self):
        whens = [models.When(kind=k, then=models.Value(i)) for i, k in enumerate(PERIOD_ORDER)]
        return self.annotate(
            kind_order=models.Case(*whens, output_field=models.IntegerField())
        ).order_by("year", "kind_order")


class ReportingPeriod(models.Model):
    """A reporting period: a year and a kind, with its data window, deadline and open state."""

    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("kỳ"), max_length=2, choices=PeriodKind.choices)
    data_start = models.DateField(_("số liệu từ ngày"))
    data_end = models.DateField(_("số liệu đến ngày"))
    deadline = models.DateField(_("hạn nộp"))
    is_open = models.BooleanField(_("đang mở"), default=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="period_year_kind_unique"),
            models.CheckConstraint(condition=Q(data_start__lte=models.F("data_end")), name="period_window_order"),
        ]

    def __str__(self):
        return self.label

    @staticmethod
    def default_dates(year, kind):
        """Data window and deadline of letter 581/BNV-CCHC: from the 15th after the previous
        period's last month to the 14th of this one's; deadline the 20th of the last month.
        Cumulative kinds (6, 9, 12 months) count from 15 December of the previous year."""
        last = PERIOD_LAST_MONTH[kind]
        if kind in CUMULATIVE_KINDS or kind == "Q1":
            start = dt.date(year - 1, 12, 15)
        else:
            start = dt.date(year, last - 3, 15)
        return {"data_start": start, "data_end": dt.date(year, last, 14), "deadline": dt.date(year, last, 20)}

    @property
    def last_month(self):
        return PERIOD_LAST_MONTH[self.kind]

    @property
    def label(self):
        return period_label(self.year, self.kind)

    @property
    def reference_date(self):
        """The day whose unit tree the period's reports use (the last day of its data window)."""
        return self.data_end

    @property
    def end_of_period(self):
        return dt.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    def is_late(self, when=None):
        when = when or timezone.localdate()
        return when > self.deadline

    def next_label(self):
        """The period the report's 'direction' section looks ahead to."""
        nxt = {"Q1": (self.year, "Q2"), "Q2": (self.year, "Q3"), "Q3": (self.year, "Q4"),
               "Q4": (self.year + 1, "Q1"), "H1": (self.year, "H2"), "M9": (self.year, "Q4"),
               "Y": (self.year + 1, "Y")}[self.kind]
        return period_label(*nxt)


def period_label(year, kind):
    return {
        "Q1": f"quý I năm {year}", "Q2": f"quý II năm {year}", "Q3": f"quý III năm {year}",
        "Q4": f"quý IV năm {year}", "H1": f"6 tháng đầu năm {year}", "H2": f"6 tháng cuối năm {year}",
        "M9": f"9 tháng năm {year}", "Y": f"năm {year}",
    }[kind]
