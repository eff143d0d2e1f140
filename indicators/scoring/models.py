"""PAR-index criteria sets, assessments, scores, rankings. Owned by the scoring work.

A criteria set is issued by a province (or, before 2025, a district) for one year; its leaves are
scored per commune in an ``Assessment`` that walks self-assessment → two appraisal rounds → council
approval → publication. Totals, rank and classification are stored on the assessment when they
change state, never recomputed per request.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports import scope
from reports.models import AdministrativeUnit

from . import formulas as rules_of_scoring

__all__ = [
    "CriteriaSet", "Criterion", "CriterionLevel", "CriterionOrigin", "ScoringMethod",
    "Assessment", "AssessmentStatus", "LeafScore", "InputSource", "EvidenceFile", "Adjustment",
    "AdjustmentKind", "RemediationItem", "AssessmentTransition", "evidence_storage", "export_storage",
]

SCORE = {"max_digits": 7, "decimal_places": 2}


def evidence_storage():
    """Evidence files live under MEDIA_ROOT/evidence, outside the web root (no media URL route)."""
    return FileSystemStorage(location=settings.MEDIA_ROOT / "evidence", base_url=None)


def export_storage():
    """The storage of the removed ExportJob's files; kept because migration 0001 names it (the
    workbooks are generated files of the core now, see ``workbooks``)."""
    return FileSystemStorage(location=settings.MEDIA_ROOT / "exports", base_url=None)


def default_bands():
    return [dict(band) for band in rules_of_scoring.DEFAULT_BANDS]


class CriterionLevel(models.TextChoices):
    FIELD = "field", _("Lĩnh vực")
    CRITERION = "criterion", _("Tiêu chí")
    SUB = "sub", _("Tiêu chí thành phần")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class ScoringMethod(models.TextChoices):
    YES_NO = "yes_no", _("Có/không")
    GRADED = "graded", _("Thẩm định chấm")
    PROPORTIONAL = "proportional", _("Theo tỷ lệ")
    THRESHOLD = "threshold", _("Theo ngưỡng")
    TARGET = "target", _("Theo chỉ tiêu")
    PER_COUNT_CAPPED = "per_count_capped", _("Theo số lượng, có mức trần")
    SURVEY = "survey", _("Khảo sát xã hội học")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class CriterionOrigin(models.TextChoices):
    REAL = "real", _("Thực tế")
    ILLUSTRATIVE = "illustrative", _("Minh họa")
    NONE = "", _("(không ghi)")


class CriteriaSetQuerySet(models.QuerySet):
    def for_user(self, user):
        """Sets issued by a unit in the user's scope or by an ancestor of the units they belong to
        (a district reviewer and a commune officer see the province's set that applies to them)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(scope.criteria_units_q(user, prefix="unit__"))

    def in_force(self, unit, year):
        """The set issued for ``year`` by ``unit``'s nearest ancestor that issued one (or None)."""
        chain = [unit, *unit.ancestors()]
        sets = {s.unit_id: s for s in self.filter(unit__in=chain, year=year).order_by("-pk")}
        for ancestor in chain:
            if ancestor.pk in sets:
                return sets[ancestor.pk]
        return None


class CriteriaSet(models.Model):
    """A criteria tree issued by a province (or pre-2025 district) for one year."""

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT,
                             related_name="criteria_sets")
    year = models.PositiveSmallIntegerField(_("năm"))
    code = models.CharField(_("mã bộ tiêu chí"), max_length=40)
    name = models.CharField(_("tên"), max_length=300)
    max_score = models.DecimalField(_("tổng điểm chuẩn"), default=Decimal(100), **SCORE)
    frozen = models.BooleanField(_("đã khóa"), default=False,
                                 help_text=_("Khóa khi đã có đánh giá dùng bộ tiêu chí này"))
    bands = models.JSONField(_("xếp loại"), default=default_bands, blank=True,
                             help_text=_('Danh sách {"min": điểm tối thiểu, "label": tên xếp loại}'))
    source_name = models.CharField(_("tệp nguồn"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["-year", "unit__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "code"], name="criteriaset_unit_year_code_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def classify(self, score):
        return rules_of_scoring.classify(score, self.bands)


class Criterion(models.Model):
    """One node of a criteria tree: a field, criterion or sub-criterion; leaves carry the scoring rule."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("mã"), max_length=20)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.CharField(_("cấp"), max_length=10, choices=CriterionLevel.choices)
    name_vi = models.TextField(_("nội dung"))
    max_score = models.DecimalField(_("điểm chuẩn"), **SCORE)
    method = models.CharField(_("phương pháp chấm"), max_length=20, choices=ScoringMethod.choices, blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    source = models.CharField(_("nguồn số liệu"), max_length=120, blank=True)
    rule_vi = models.TextField(_("cách chấm"), blank=True)
    origin = models.CharField(_("nguồn gốc"), max_length=16, choices=CriterionOrigin.choices, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_leaf = models.BooleanField(default=False, editable=False)
    field_code = models.CharField(_("lĩnh vực"), max_length=20, blank=True, editable=False)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_set_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name_vi[:60]}"

    @property
    def is_adjustment(self):
        return self.level in (CriterionLevel.BONUS, CriterionLevel.PENALTY)

    @property
    def is_computed(self):
        return rules_of_scoring.is_computed(self.method, self.source)

    @property
    def depth(self):
        return self.code.count(".")


class AssessmentStatus(models.TextChoices):
    SELF_ASSESSING = "self_assessing", _("Đang tự đánh giá")
    SELF_SUBMITTED = "self_submitted", _("Đã gửi tự đánh giá")
    ROUND1 = "round1", _("Thẩm định vòng 1")
    EXPLAINING = "explaining", _("Đang giải trình")
    ROUND2 = "round2", _("Thẩm định vòng 2")
    APPROVED = "approved", _("Hội đồng đã thông qua")
    PUBLISHED = "published", _("Đã công bố")


FINAL_STATUSES = (AssessmentStatus.APPROVED, AssessmentStatus.PUBLISHED)


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Assessments of the communes ``user`` may see (reports.scope)."""
        return scope.scoped(self, user, "unit")

    def scored(self):
        return self.filter(status__in=FINAL_STATUSES)


class Assessment(models.Model):
    """One commune's PAR-index assessment for one year, with its stored totals and rank."""

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                             related_name="assessments")
    year = models.PositiveSmallIntegerField(_("năm"))
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT,
                                     related_name="assessments")
    status = models.CharField(_("trạng thái"), max_length=16, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.SELF_ASSESSING)
    self_total = models.DecimalField(_("điểm tự đánh giá"), null=True, blank=True, **SCORE)
    appraised_total = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **SCORE)
    bonus = models.DecimalField(_("điểm thưởng"), default=Decimal(0), **SCORE)
    penalty = models.DecimalField(_("điểm trừ"), default=Decimal(0), **SCORE)
    final = models.DecimalField(_("tổng điểm"), null=True, blank=True, **SCORE)
    deducted_total = models.DecimalField(_("điểm bị trừ"), null=True, blank=True, **SCORE)
    rank = models.PositiveIntegerField(_("xếp hạng"), null=True, blank=True)
    rank_of = models.PositiveIntegerField(_("trên tổng số"), null=True, blank=True)
    rank_scope = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("phạm vi xếp hạng"))
    classification = models.CharField(_("xếp loại"), max_length=40, blank=True)
    field_totals = models.JSONField(_("điểm theo lĩnh vực"), default=dict, blank=True)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá chỉ số CCHC")
        verbose_name_plural = _("đánh giá chỉ số CCHC")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_unit_year_unique"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.year}"

    @property
    def is_scored(self):
        return self.status in FINAL_STATUSES

    @property
    def is_published(self):
        return self.status == AssessmentStatus.PUBLISHED


class InputSource(models.TextChoices):
    REPORT = "report", _("Từ báo cáo")
    EXPLICIT = "explicit", _("Nhập trực tiếp")
    NONE = "", _("(không có)")


class LeafScore(models.Model):
    """A commune's scores on one leaf criterion through every round, with inputs and remediation."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="leaves")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("điểm tự đánh giá"), null=True, blank=True, **SCORE)
    self_note = models.TextField(_("giải thích tự đánh giá"), blank=True)
    numerator = models.DecimalField(_("tử số"), max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=14, decimal_places=4, null=True, blank=True)
    count = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    yes = models.BooleanField(_("đạt"), null=True, blank=True)
    input_source = models.CharField(_("nguồn số liệu"), max_length=10, choices=InputSource.choices, blank=True)
    input_note = models.CharField(_("ghi chú số liệu"), max_length=300, blank=True)
    round1_score = models.DecimalField(_("điểm thẩm định vòng 1"), null=True, blank=True, **SCORE)
    round1_comment = models.TextField(_("ý kiến vòng 1"), blank=True)
    explanation = models.TextField(_("giải trình"), blank=True)
    disputed = models.BooleanField(_("đề nghị xem xét lại"), default=False)
    round2_score = models.DecimalField(_("điểm thẩm định vòng 2"), null=True, blank=True, **SCORE)
    round2_comment = models.TextField(_("ý kiến vòng 2"), blank=True)
    appraised = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **SCORE)
    not_applicable = models.BooleanField(_("không áp dụng"), default=False)
    council_comment = models.TextField(_("ý kiến Hội đồng thẩm định"), blank=True)
    responsible = models.CharField(_("người chịu trách nhiệm"), max_length=300, blank=True)
    remediation = models.TextField(_("biện pháp khắc phục"), blank=True)
    deadlines = models.JSONField(_("thời hạn khắc phục"), default=list, blank=True,
                                 help_text=_("Danh sách ngày (YYYY-MM-DD): đợt 1, đợt 2…"))

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["assessment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="leafscore_unique"),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.criterion.code}"

    @property
    def deducted(self):
        if self.not_applicable or self.appraised is None:
            return Decimal(0)
        return rules_of_scoring.deducted(self.criterion.max_score, self.appraised)

    @property
    def deadline_dates(self):
        return [dt.date.fromisoformat(d) for d in self.deadlines or []]


class EvidenceFileQuerySet(models.QuerySet):
    def for_user(self, user):
        """Evidence of the assessments the user may see (reports.scope)."""
        return scope.scoped(self, user, "assessment__unit")


class EvidenceFile(models.Model):
    """A document (tài liệu kiểm chứng) attached to a leaf score or a remediation item.

    Stored outside the web root; its content type is detected from the bytes, not the name."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    leaf = models.ForeignKey(LeafScore, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    remediation_item = models.ForeignKey("RemediationItem", null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="evidence")
    file = models.FileField(storage=evidence_storage, upload_to="%Y/%m", max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    content_type = models.CharField(_("loại tệp"), max_length=120)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class Adjustment(models.Model):
    """A bonus or penalty the council grants outside the 100 points, with its reason."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("loại"), max_length=8, choices=AdjustmentKind.choices)
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("số điểm"), **SCORE)
    reason = models.TextField(_("lý do"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("điểm thưởng/trừ")
        verbose_name_plural = _("điểm thưởng/trừ")
        ordering = ["assessment", "kind", "pk"]
        constraints = [models.CheckConstraint(condition=Q(points__gte=0), name="adjustment_points_non_negative")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.points}"


class RemediationItemQuerySet(models.QuerySet):
    def for_user(self, user):
        """Remediation items of the assessments the user may see (reports.scope)."""
        return scope.scoped(self, user, "assessment__unit")


class RemediationItem(models.Model):
    """One remediation step for a deducted leaf, due by a deadline ("đợt 1", "đợt 2")."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="remediation_items")
    leaf = models.ForeignKey(LeafScore, on_delete=models.CASCADE, related_name="remediation_items")
    round_no = models.PositiveSmallIntegerField(_("đợt"), default=1)
    due = models.DateField(_("thời hạn"), null=True, blank=True)
    done = models.BooleanField(_("đã hoàn thành"), default=False)
    done_at = models.DateTimeField(_("ngày hoàn thành"), null=True, blank=True)
    done_note = models.TextField(_("kết quả khắc phục"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    objects = RemediationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("nội dung khắc phục")
        verbose_name_plural = _("nội dung khắc phục")
        ordering = ["assessment", "leaf__criterion__position", "round_no"]
        constraints = [
            models.UniqueConstraint(fields=["leaf", "round_no"], name="remediation_leaf_round_unique"),
        ]

    def __str__(self):
        return f"{self.leaf.criterion.code} — đợt {self.round_no}"

    @property
    def label(self):
        return f"đợt {self.round_no}"

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return not self.done and self.due is not None and self.due < today


class AssessmentTransition(models.Model):
    """One workflow step of an assessment (audit)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=AssessmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=AssessmentStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử đánh giá")
        verbose_name_plural = _("lịch sử đánh giá")
        ordering = ["assessment", "at", "pk"]

    def __str__(self):
        return f"{self.assessment}: {self.from_status} → {self.to_status}"
