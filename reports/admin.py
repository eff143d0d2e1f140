from django.contrib import admin
from django.core.exceptions import PermissionDenied
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
    ReportStatus,
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


class ReadOnlyInline(admin.TabularInline):
    """Rows of a report shown in its admin page, never edited there (the entry screens and the
    services own every write)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlanTaskInline(ReadOnlyInline):
    model = PlanTask


class DirectiveInline(ReadOnlyInline):
    model = DirectiveDocument


class TransitionInline(ReadOnlyInline):
    model = ReportTransition
    readonly_fields = ["from_status", "to_status", "actor", "at", "reason", "revision"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    """Reports are read-only in the admin: their content, status, revisions and timeline change only
    through reports.services (entry screens, workflow, import), which lock the report and check
    state, rights, period and revision. The admin may delete a draft that was never submitted."""

    list_display = ["unit", "period", "status", "submitted_at", "revision"]
    list_filter = ["status", "period__year", "period__kind"]
    search_fields = ["unit__name", "unit__code"]
    inlines = [PlanTaskInline, DirectiveInline, TransitionInline]
    list_select_related = ["unit", "period"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Report._meta.fields]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would skip the per-report check below
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return obj.status == ReportStatus.DRAFT and obj.first_submitted_at is None and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        raise PermissionDenied("Báo cáo chỉ được sửa qua màn hình nhập liệu và quy trình gửi, duyệt.")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":  # "revert to this version" would write past the workflow
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(PartComment)
class PartCommentAdmin(admin.ModelAdmin):
    """Comments are written through reports.services.add_comment (registered parts, the reviewer's
    right); the admin reads them and may delete one."""

    list_display = ["report", "part", "author", "created_at"]
    list_select_related = ["report__unit", "report__period", "author"]
    readonly_fields = ["report", "part", "author", "text", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    """Generated files are read-only here: they are made by the workers, downloaded through the
    permission-checked views, and expire with their source's version. A failure shows its code and
    message; a row that used up its attempts can be queued again with the action."""

    list_display = ["kind", "format", "source_key", "source_version", "status", "progress", "error_code",
                    "attempts", "requested_by", "created_at"]
    list_filter = ["kind", "format", "status", "error_code"]
    search_fields = ["source_key", "filename"]
    readonly_fields = [f.name for f in RenderedDocument._meta.fields] + ["error_message"]
    list_select_related = ["requested_by"]
    actions = ["retry_documents"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Thông báo lỗi")
    def error_message(self, obj):
        return obj.error_message

    @admin.action(description="Tạo lại các tệp đã chọn (đặt lại số lần thử)")
    def retry_documents(self, request, queryset):
        from .documents.services import retry

        for pk in queryset.values_list("pk", flat=True):
            retry(pk)
        self.message_user(request, f"Đã xếp {queryset.count()} tệp vào hàng đợi tạo lại.")
