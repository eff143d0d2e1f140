"""Core models: administrative units, memberships (roles), reporting periods and the periodic report."""

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

REFORM_DATE = dt.date(2025, 7, 1)  # districts abolished; two-tier local government from this day


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitType(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO = "thanh_pho", _("Thành phố")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")

    @classmethod
    def from_prefix(cls, name):
        """The type named by the prefix of an official full name ("Thị trấn Hồ Xá" → THI_TRAN)."""
        for member in sorted(cls, key=lambda m: -len(m.label)):
            if name.startswith(str(member.label) + " "):
                return member
        raise ValueError(f"Unknown unit type prefix in {name!r}")


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))

    def resolve(self, code, day):
        """The unit carrying ``code`` on ``day``. Codes were reused by the 2025 reform, so never by code alone."""
        return self.valid_on(day).get(code=code)

    def communes(self):
        return self.filter(level=UnitLevel.COMMUNE)

    def below(self, unit):
        """Every unit under ``unit``, at any depth (see reports.scope)."""
        from .scope import below_q

        return self.filter(below_q(unit))

    def visible_to(self, user):
        """Communes ``user`` may see (reports.scope.visible_communes)."""
        from .scope import visible_units_q

        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.communes().filter(visible_units_q(user))


class AdministrativeUnit(models.Model):
    """An official administrative unit (province, district or commune) valid over a span of dates."""

    code = models.CharField(_("mã"), max_length=8, db_index=True)
    name = models.CharField(_("tên"), max_length=200, help_text=_("Tên đầy đủ, kể cả loại đơn vị"))
    unit_type = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitType.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    merged_from = models.ManyToManyField(
        "self", verbose_name=_("hình thành từ"), through="UnitLineage", symmetrical=False,
        related_name="merged_into", blank=True,
    )

    path = models.CharField(
        max_length=255, db_index=True, editable=False, default="",
        help_text="Ids of the ancestors and the unit itself, root first: /12/345/6789/",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        path = f"{parent_path or '/'}{self.pk}/"
        if path != self.path:
            moved = bool(self.path)
            self.path = path
            AdministrativeUnit.objects.filter(pk=self.pk).update(path=path)
            if moved:  # a new parent: the descendants' paths change too
                from .scope import rebuild_paths

                rebuild_paths()

    @property
    def short_name(self):
        """The name without its type prefix ("Vĩnh Long" for "Xã Vĩnh Long")."""
        prefix = self.get_unit_type_display() + " "
        return self.name[len(prefix):] if self.name.startswith(prefix) else self.name

    @property
    def committee_name(self):
        """"UBND xã Vĩnh Long"-style name used in documents."""
        return f"UBND {self.get_unit_type_display().lower()} {self.short_name}"

    def is_valid_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def province(self):
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit

    def ancestors(self):
        """Parent, grandparent … nearest first."""
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain


class UnitLineage(models.Model):
    """A pre-2025 unit that went (wholly or partly) into a unit formed by the 2025 merge."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="lineage")
    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successor_links"
    )
    partial = models.BooleanField(_("chỉ một phần"), default=False)

    class Meta:
        verbose_name = _("nguồn gốc sáp nhập")
        verbose_name_plural = _("nguồn gốc sáp nhập")
        constraints = [
            models.UniqueConstraint(fields=["unit", "predecessor"], name="lineage_unique"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.unit}"


class Role(models.TextChoices):
    OFFICER = "officer", _("Công chức cấp xã")
    LEADER = "leader", _("Lãnh đạo UBND cấp xã")
    REVIEWER = "reviewer", _("Cán bộ thẩm định (Nội vụ)")
    ADMIN = "admin", _("Quản trị")


class Membership(models.Model):
    """A user's role at a unit. A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT,
        related_name="memberships", null=True, blank=True,
        help_text=_("Để trống cho quản trị toàn hệ thống"),
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit or _('toàn hệ thống')}"


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


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class SignerCapacity(models.TextChoices):
    TM = "TM", "TM."
    KT = "KT", "KT."
    Q = "Q", "Q."
    TL = "TL", "TL."
    TUQ = "TUQ", "TUQ."
    NONE = "", _("(ký trực tiếp)")


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Reports of the communes ``user`` may see (reports.scope)."""
        from .scope import scoped

        return scoped(self, user)

    def of_year(self, unit, year):
        """The report that stands for the commune's ``year`` (scoring reads its figures): the
        annual report, else the latest approved report of that year; None if there is neither."""
        reports = self.filter(unit=unit, period__year=year).select_related("period")
        annual = reports.filter(period__kind="Y").first()
        if annual is not None:
            return annual
        return reports.filter(status=ReportStatus.APPROVED).order_by("-period__data_end").first()


SECTION_KEYS = [
    "I.1", "I.2", "I.3", "I.4",
    "II.1", "II.2", "II.3", "II.4", "II.5", "II.6",
    "III.1", "III.2", "III.3", "IV", "V",
]


class Report(models.Model):
    """One commune's CCHC report for one period: header, direction, prose; other parts hang off it."""

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    revision = models.PositiveIntegerField(
        _("phiên bản"), default=1, help_text=_("Tăng mỗi lần dữ liệu báo cáo thay đổi"),
    )
    part_revisions = models.JSONField(_("phiên bản từng phần"), default=dict, blank=True)
    submitted_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    approved_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)

    # a. Document header
    doc_number = models.CharField(_("số ký hiệu"), max_length=60, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    doc_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=400, blank=True)
    addressee = models.CharField(_("kính gửi"), max_length=400, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận, không cần dấu gạch đầu dòng"))
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_capacity = models.CharField(_("thẩm quyền ký"), max_length=4, choices=SignerCapacity.choices, blank=True, default="TM")

    # b. I. Direction: the plan
    plan_reference = models.CharField(_("kế hoạch CCHC"), max_length=300, blank=True, help_text=_("Số, ngày của văn bản ban hành kế hoạch"))
    plan_contents = models.PositiveIntegerField(_("số nhóm nội dung"), null=True, blank=True)
    plan_itemised = models.BooleanField(_("nhập từng nhiệm vụ"), default=True)
    plan_task_total = models.PositiveIntegerField(_("tổng số nhiệm vụ"), null=True, blank=True)
    plan_tasks_done = models.PositiveIntegerField(_("số nhiệm vụ đã hoàn thành"), null=True, blank=True)
    directive_total = models.PositiveIntegerField(
        _("số văn bản chỉ đạo đã ban hành"), null=True, blank=True,
        help_text=_("Chỉ nhập khi không liệt kê từng văn bản"),
    )
    # self-inspection
    inspection_plan = models.CharField(_("kế hoạch tự kiểm tra"), max_length=300, blank=True)
    inspected_units = models.PositiveIntegerField(_("số bộ phận đã kiểm tra"), null=True, blank=True)
    issues_found = models.PositiveIntegerField(_("số vấn đề phát hiện"), null=True, blank=True)
    issues_fixed = models.PositiveIntegerField(_("số vấn đề đã xử lý xong"), null=True, blank=True)
    # propaganda
    propaganda_plan = models.CharField(_("kế hoạch tuyên truyền"), max_length=300, blank=True)
    propaganda_sessions = models.PositiveIntegerField(_("số hội nghị, buổi tuyên truyền"), null=True, blank=True)
    propaganda_attendees = models.PositiveIntegerField(_("số lượt người tham dự"), null=True, blank=True)
    broadcasts = models.PositiveIntegerField(_("số lần phát thanh"), null=True, blank=True)
    web_posts = models.PositiveIntegerField(_("số tin bài trên trang TTĐT"), null=True, blank=True)
    banners = models.PositiveIntegerField(_("số băng rôn, khẩu hiệu"), null=True, blank=True)
    # initiatives, surveys, dialogues
    initiatives = models.PositiveIntegerField(_("số sáng kiến CCHC được công nhận"), null=True, blank=True)
    survey_forms = models.PositiveIntegerField(_("số phiếu khảo sát sự hài lòng"), null=True, blank=True)
    survey_method = models.CharField(
        _("hình thức khảo sát"), max_length=1, blank=True,
        choices=[("0", _("Trực tuyến")), ("1", _("Phát phiếu")), ("2", _("Kết hợp"))],
    )
    dialogues = models.PositiveIntegerField(_("số cuộc đối thoại với người dân, doanh nghiệp"), null=True, blank=True)

    # f. Prose, by outline key (I.1 … V)
    sections = models.JSONField(_("nội dung báo cáo"), default=dict, blank=True)

    history = HistoricalRecords(excluded_fields=["part_revisions", "updated_at"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period__year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="report_unit_period_unique"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.period}"

    @property
    def is_locked(self):
        return self.status == ReportStatus.APPROVED

    @property
    def is_editable(self):
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def is_late(self):
        if self.submitted_at is None:
            return self.period.is_late()
        return timezone.localtime(self.submitted_at).date() > self.period.deadline

    @property
    def default_subject(self):
        period = self.period
        if period.kind == "Y":
            return (f"Kết quả thực hiện công tác cải cách hành chính năm {period.year}; "
                    f"phương hướng, nhiệm vụ năm {period.year + 1}")
        return (f"Kết quả thực hiện công tác cải cách hành chính {period.label}; "
                f"phương hướng, nhiệm vụ trọng tâm {period.next_label()}")

    @property
    def effective_subject(self):
        return self.subject or self.default_subject

    @property
    def recipient_lines(self):
        return [line.strip().lstrip("-").strip() for line in self.recipients.splitlines() if line.strip()]

    def part_revision(self, key):
        return int(self.part_revisions.get(key, 0))


class TaskStatus(models.TextChoices):
    DONE = "done", _("Đã hoàn thành")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    NOT_STARTED = "not_started", _("Chưa thực hiện")


class PlanTask(models.Model):
    """A task of the commune's CCHC plan, itemised."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    group = models.PositiveIntegerField(_("nhóm nội dung"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    due = models.DateField(_("thời hạn"), null=True, blank=True)
    responsible = models.CharField(_("người/bộ phận chủ trì"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhiệm vụ kế hoạch")
        verbose_name_plural = _("nhiệm vụ kế hoạch")
        ordering = ["report", "position", "pk"]

    def __str__(self):
        return self.title


class DirectiveDocument(models.Model):
    """A document the commune issued to direct CCHC work in the period."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="directives")
    position = models.PositiveIntegerField(default=0)
    number = models.CharField(_("số ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["report", "position", "pk"]

    def __str__(self):
        return f"{self.number} — {self.title}"


class ReportTransition(models.Model):
    """One workflow step of a report: who moved it from which status to which, when and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("lý do"), blank=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.from_status} → {self.to_status}"


class PartCommentQuerySet(models.QuerySet):
    def for_user(self, user):
        from .scope import scoped

        return scoped(self, user, "report__unit")


class PartComment(models.Model):
    """A reviewer's (or officer's) comment on one part of a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    part = models.CharField(_("phần"), max_length=32)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(_("nhận xét"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = PartCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhận xét")
        verbose_name_plural = _("nhận xét")
        ordering = ["report", "created_at"]

    def __str__(self):
        return f"{self.part}: {self.text[:40]}"


# --- Rendered documents (issue 5) ------------------------------------------------------------------
# Defined in reports/documents/models.py; imported here so they belong to the reports app.
from .documents.models import RenderedDocument  # noqa: E402, F401
