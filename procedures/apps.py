from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = "Thủ tục hành chính và một cửa"
    url_prefix = "thu-tuc/"  # cchc_portal/urls.py includes procedures.urls here

    def ready(self):
        from reports import parts as part_registry

        from .parts import OneStopPart, ProceduresPart

        part_registry.register(OneStopPart())
        part_registry.register(ProceduresPart())

        from .documents import register_blocks

        register_blocks()  # the one-stop paragraph and figures, the time-cut appendix
