from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Chỉ tiêu thống kê và chỉ số CCHC"

    def ready(self):
        from reports import parts as part_registry

        from .parts import AppendixPart

        part_registry.register(AppendixPart())  # statistics appendix (catalogue work)

        self.register_documents()

    @staticmethod
    def register_documents():
        """The deduction letter and the published ranking in the consolidated report (scoring)."""
        from reports.documents.context import set_ranking_provider
        from reports.documents.letter import register_letter_kind

        from .documents import letter_kind_params, published_ranking_rows

        register_letter_kind(**letter_kind_params())
        set_ranking_provider(published_ranking_rows)
