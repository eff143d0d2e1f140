from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .documents.models import RenderedDocument
from .models import (
    AdministrativeUnit,
    DirectiveDocument,
    Membership,
    PartComment,
    PlanTask,
    Report,
    ReportingPeriod,
    ReportTransition,
    UnitLineage,
)


class LineageInline(admin.TabularInline):
    model = UnitLineage
    fk_name = "unit"
    raw_id_fields = ["predecessor"]
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "unit_type", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "unit_type", "valid_from"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    inlines = [LineageInline]
    list_select_related = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name", "unit__code"]
    raw_id_fields = ["unit"]
    list_select_related = ["user", "unit"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "data_start", "data_end", "deadline", "is_open"]
    list_filter = ["year", "kind", "is_open"]
    list_editable = ["is_open"]


class PlanTaskInline(admin.TabularInline):
    model = PlanTask
    extra = 0


class DirectiveInline(admin.TabularInline):
    model = DirectiveDocument
    extra = 0


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "at", "reason", "revision"]
    can_delete = False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "period", "status", "submitted_at", "revision"]
    list_filter = ["status", "period__year", "period__kind"]
    search_fields = ["unit__name", "unit__code"]
    raw_id_fields = ["unit"]
    readonly_fields = ["status", "revision", "submitted_at", "first_submitted_at", "approved_at"]
    inlines = [PlanTaskInline, DirectiveInline, TransitionInline]
    list_select_related = ["unit", "period"]


@admin.register(PartComment)
class PartCommentAdmin(admin.ModelAdmin):
    list_display = ["report", "part", "author", "created_at"]
    raw_id_fields = ["report"]


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    """Generated files are read-only here: they are made by the workers, downloaded through the
    permission-checked views, and expire with their source's version."""

    list_display = ["kind", "format", "source_key", "source_version", "status", "progress", "requested_by",
                    "created_at"]
    list_filter = ["kind", "format", "status"]
    search_fields = ["source_key", "filename"]
    readonly_fields = [f.name for f in RenderedDocument._meta.fields]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request):
        return False
