from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo CCHC"

    def ready(self):
        from . import core_parts, parts

        parts.register(core_parts.HeaderPart())
        parts.register(core_parts.DirectionPart())
        parts.register(core_parts.ProsePart())

        self.register_navigation()

        from .documents.kinds import register_core_kinds

        register_core_kinds()  # official documents (issue 5)

    @staticmethod
    def register_navigation():
        """The core's own links in the navigation bar; plug-ins add theirs between 10 and 900."""
        from . import scope
        from .plugins import NavItem, register_nav

        register_nav(NavItem("home", order=0, label="Trang chủ", url_name="home"))
        register_nav(NavItem("commune-reports", order=10, label="Báo cáo của xã", url_name="home",
                             anchor="#bao-cao", visible=lambda user: bool(scope.memberships(user, scope.COMMUNE_ROLES))))
        register_nav(NavItem("units", order=20, label="Đơn vị cấp xã", url_name="unit-list",
                             visible=scope.is_reviewer))
        register_nav(NavItem("admin", order=900, label="Quản trị", url_name="admin:index", visible=scope.is_admin))
