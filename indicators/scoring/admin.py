"""Admin of criteria sets and assessments (read-mostly: workflow changes go through the services)."""

from django.contrib import admin

from .models import (
    Adjustment,
    Assessment,
    AssessmentTransition,
    CriteriaSet,
    Criterion,
    EvidenceFile,
    ExportJob,
    LeafScore,
    RemediationItem,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("code", "level", "name_vi", "max_score", "method", "params", "source", "origin")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "year", "max_score", "frozen")
    list_filter = ("year", "frozen")
    search_fields = ("code", "name", "unit__name")
    raw_id_fields = ("unit",)
    readonly_fields = ("frozen",)
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("code", "criteria_set", "level", "max_score", "method", "origin")
    list_filter = ("criteria_set", "level", "method", "origin")
    search_fields = ("code", "name_vi")
    raw_id_fields = ("criteria_set", "parent")

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.criteria_set.frozen


class LeafScoreInline(admin.TabularInline):
    model = LeafScore
    fields = ("criterion", "self_score", "round1_score", "round2_score", "appraised", "not_applicable")
    readonly_fields = fields
    extra = 0
    can_delete = False


class TransitionInline(admin.TabularInline):
    model = AssessmentTransition
    fields = ("at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "status", "self_total", "appraised_total", "final", "rank", "classification")
    list_filter = ("year", "status")
    search_fields = ("unit__name", "unit__code")
    raw_id_fields = ("unit", "criteria_set", "rank_scope")
    readonly_fields = ("status", "self_total", "appraised_total", "bonus", "penalty", "final", "deducted_total",
                       "rank", "rank_of", "classification", "field_totals")
    inlines = [LeafScoreInline, TransitionInline]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ("original_name", "assessment", "content_type", "size", "uploaded_at")
    raw_id_fields = ("assessment", "leaf", "remediation_item", "uploaded_by")


admin.site.register(Adjustment, list_display=("assessment", "kind", "points", "reason"), raw_id_fields=("assessment",))
admin.site.register(RemediationItem, list_display=("assessment", "leaf", "round_no", "due", "done"),
                    raw_id_fields=("assessment", "leaf", "done_by"))
admin.site.register(ExportJob, list_display=("kind", "owner", "status", "progress", "created_at"))
