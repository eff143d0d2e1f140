from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo CCHC"

    def ready(self):
        from . import core_parts, parts

        parts.register(core_parts.HeaderPart())
        parts.register(core_parts.DirectionPart())
        parts.register(core_parts.ProsePart())

        from .documents.kinds import register_core_kinds

        register_core_kinds()  # official documents (issue 5)
