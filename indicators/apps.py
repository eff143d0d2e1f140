from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Chỉ tiêu thống kê và chỉ số CCHC"
    url_prefix = "chi-so/"  # cchc_portal/urls.py includes indicators.urls here

    def ready(self):
        from reports import parts as part_registry

        from .appendix.parts import AppendixPart

        part_registry.register(AppendixPart())  # statistics appendix (catalogue work)

        self.register_documents()
        self.register_navigation()

    @staticmethod
    def register_navigation():
        """PAR-index scoring in the navigation bar and on the home page, for every signed-in user."""
        from reports.plugins import HomePanel, NavItem, register_home_panel, register_nav

        register_nav(NavItem("scoring", order=50, template="indicators/scoring/nav_item.html"))
        register_home_panel(HomePanel("scoring", order=50, template="indicators/scoring/home_links.html"))

    @staticmethod
    def register_documents():
        """The Phụ lục 01b table (appendix); the deduction letter and the published ranking in the
        consolidated report (scoring)."""
        from .appendix.contrib import register_blocks
        from .scoring.contrib import register_documents

        register_blocks()
        register_documents()
