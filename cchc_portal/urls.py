from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Quản trị Cổng báo cáo CCHC"
admin.site.site_title = "Cổng báo cáo CCHC"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("mat-khau/", include("django.contrib.auth.urls")),
    # After the include: it names its own "login"/"logout", and reverse() takes the last pattern
    # of a name, so these make LOGIN_URL and {% url 'login' %} point at /dang-nhap/.
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
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
