"""The periodic report of a commune, its itemised rows, its workflow steps and comments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .periods import ReportingPeriod
from .units import AdministrativeUnit


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
        from ..scope import scoped

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
        from ..scope import scoped

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
