from django.apps import apps
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Quản trị Cổng báo cáo CCHC"
admin.site.site_title = "Cổng báo cáo CCHC"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    # Login (lockout, second factor), logout, password change and reset; before the admin site,
    # whose own login page it replaces.
    path("", include("cchc_portal.accounts.urls")),
    path("quan-tri/", admin.site.urls),
    # Each installed plug-in (settings.CCHC_PLUGINS) at the prefix its AppConfig declares.
    *[path(config.url_prefix, include(f"{config.name}.urls"))
      for config in apps.get_app_configs() if getattr(config, "url_prefix", None)],
    path("", include("reports.urls")),
    path("", include("reports.documents.urls")),  # official documents (issue 5)
]

# Vietnamese error pages in the portal's layout (the CSRF page: settings.CSRF_FAILURE_VIEW).
handler400 = "cchc_portal.errors.bad_request"
handler403 = "cchc_portal.errors.permission_denied"
handler404 = "cchc_portal.errors.page_not_found"
handler500 = "cchc_portal.errors.server_error"
