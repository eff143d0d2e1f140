from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from cchc_portal.lib.numbers import format_number

from . import services
from .models import OneStopStats, Procedure, TimeCut


@admin.register(Procedure)
class ProcedureAdmin(SimpleHistoryAdmin):
    """The commune's catalogue; admins maintain it here as well as on the report's entry screen."""

    list_display = ["name", "field", "national_code", "legal_days", "online_service_type", "active", "unit"]
    list_filter = ["active", "online_service_type", "field"]
    list_editable = ["active"]
    search_fields = ["name", "national_code", "field", "unit__name", "unit__code"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit"]

    # Writes go through the catalogue's service: the unit's lock, then the right to edit it.
    def get_readonly_fields(self, request, obj=None):
        return ["unit"] if obj is not None else []  # a procedure stays in its commune's catalogue

    def save_model(self, request, obj, form, change):
        self._through_service(obj.unit, request.user, changed=[obj])

    def delete_model(self, request, obj):
        self._through_service(obj.unit, request.user, deleted=[obj])

    def delete_queryset(self, request, queryset):
        by_unit = {}
        for procedure in queryset.select_related("unit"):
            by_unit.setdefault(procedure.unit_id, []).append(procedure)
        with transaction.atomic():
            for rows in by_unit.values():
                self._through_service(rows[0].unit, request.user, deleted=rows)

    @staticmethod
    def _through_service(unit, user, **changes):
        try:
            services.save_catalogue(unit, actor=user, **changes)
        except services.NotAllowed as error:
            raise PermissionDenied(str(error)) from error


@admin.register(OneStopStats)
class OneStopStatsAdmin(SimpleHistoryAdmin):
    list_display = ["report", "online", "direct", "postal", "resolved_on_time"]
    search_fields = ["report__unit__name", "report__unit__code"]
    raw_id_fields = ["report"]
    list_select_related = ["report__unit", "report__period"]


@admin.register(TimeCut)
class TimeCutAdmin(SimpleHistoryAdmin):
    list_display = ["procedure_name", "legal_days", "cut_days", "pct_cut", "decision", "report"]
    search_fields = ["procedure_name", "report__unit__name"]
    raw_id_fields = ["report", "procedure"]
    list_select_related = ["report__unit", "report__period"]

    @admin.display(description="Tỷ lệ cắt giảm (%)")
    def pct_cut(self, obj):
        return format_number(obj.pct_cut)
