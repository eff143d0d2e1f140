"""Admin of criteria sets and assessments: read-only, because every change of them is a workflow step
that a service makes under a lock. The one exception, the council's bonus and penalty, goes through
``services.set_adjustment`` (state, caps and permission checked on the locked assessment, stored
bonus and penalty recomputed)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
from .models import (
    Adjustment,
    AdjustmentKind,
    Assessment,
    AssessmentTransition,
    CriteriaSet,
    Criterion,
    EvidenceFile,
    LeafScore,
    RemediationItem,
)
from .services.adjustments import ADJUSTABLE, adjustment_problems


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never written here (the portal's screens and services write these rows)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("code", "level", "name_vi", "max_score", "method", "params", "source", "origin")
    readonly_fields = fields
    show_change_link = True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit", "year", "max_score", "frozen")
    list_filter = ("year", "frozen")
    search_fields = ("code", "name", "unit__name")
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ("code", "criteria_set", "level", "max_score", "method", "origin")
    list_filter = ("criteria_set", "level", "method", "origin")
    search_fields = ("code", "name_vi")


class LeafScoreInline(ReadOnlyInline):
    model = LeafScore
    fields = ("criterion", "self_score", "round1_score", "round2_score", "appraised", "not_applicable")
    readonly_fields = fields


class TransitionInline(ReadOnlyInline):
    model = AssessmentTransition
    fields = ("at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "status", "self_total", "appraised_total", "final", "rank", "classification")
    list_filter = ("year", "status")
    search_fields = ("unit__name", "unit__code")
    inlines = [LeafScoreInline, TransitionInline]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "assessment", "content_type", "size", "uploaded_at")


@admin.register(RemediationItem)
class RemediationItemAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "leaf", "round_no", "due", "done")


class AdjustmentAdminForm(forms.ModelForm):
    """Refuses what the service would refuse (state, caps) with a message on the form."""

    class Meta:
        model = Adjustment
        fields = ("assessment", "kind", "points", "reason")

    def clean(self):
        data = super().clean()
        assessment = data.get("assessment") or (self.instance.assessment if self.instance.pk else None)
        kind = data.get("kind") or self.instance.kind
        if assessment is None or kind not in AdjustmentKind.values or data.get("points") is None:
            return data
        if assessment.status not in ADJUSTABLE:
            raise ValidationError("Chỉ ghi điểm thưởng/trừ trong khi thẩm định (trạng thái hiện tại: "
                                  f"{assessment.get_status_display()}).")
        points = {k: sum(a.points for a in assessment.adjustments.filter(kind=k)) for k in AdjustmentKind.values}
        points[kind] = data["points"]
        problems = adjustment_problems(assessment.criteria_set, points[AdjustmentKind.BONUS],
                                       points[AdjustmentKind.PENALTY])
        if problems:
            raise ValidationError(problems)
        return data


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    form = AdjustmentAdminForm
    list_display = ("assessment", "kind", "points", "reason")
    raw_id_fields = ("assessment",)

    def get_readonly_fields(self, request, obj=None):
        return ("assessment", "kind") if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.assessment.status in ADJUSTABLE)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.assessment.status in ADJUSTABLE)

    def save_model(self, request, obj, form, change):
        assessment = obj.assessment
        try:
            services.set_adjustment(assessment, obj.kind, obj.points, obj.reason, actor=request.user)
        except services.ScoringServiceError as error:
            messages.error(request, f"{error} {' '.join(error.problems)}")
            return
        saved = assessment.adjustments.filter(kind=obj.kind).first()
        if saved is not None:
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.set_adjustment(obj.assessment, obj.kind, 0, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("assessment"):
            self.delete_model(request, obj)
