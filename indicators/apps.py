from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Chỉ tiêu thống kê và chỉ số CCHC"

    def ready(self):
        from reports import parts as part_registry

        from .parts import AppendixPart

        part_registry.register(AppendixPart())  # statistics appendix (catalogue work)
