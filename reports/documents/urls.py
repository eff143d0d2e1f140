"""URLs of the official documents (included from reports/urls.py); names are global."""

from django.urls import path

from reports import validators  # noqa: F401 — registers the URL converters (id, year, round, key)

from . import views as document_views
from .registry import kinds

urlpatterns = [
    path("bao-cao/<id:pk>/van-ban/", document_views.ReportDocumentsView.as_view(), name="report-documents"),
    path("bao-cao/<id:pk>/van-ban/tao/<key:fmt>/", document_views.RequestReportDocumentView.as_view(),
         name="report-document-request"),
    path("bao-cao/<id:pk>/van-ban/<id:document_pk>/tai/", document_views.ReportDocumentDownloadView.as_view(),
         name="report-document-download"),
    path("bao-cao/<id:pk>/van-ban/<id:document_pk>/xem-truoc.png",
         document_views.ReportDocumentDownloadView.as_view(preview=True), name="report-document-preview"),
    path("tham-dinh/ky/<id:period_pk>/van-ban/", document_views.PeriodDocumentsView.as_view(),
         name="period-documents"),
    path("tham-dinh/ky/<id:period_pk>/van-ban/tong-hop/<id:unit_pk>/<key:fmt>/",
         document_views.RequestPeriodDocumentView.as_view(what="consolidated"), name="consolidated-document-request"),
    path("tham-dinh/ky/<id:period_pk>/van-ban/zip/<id:unit_pk>/<key:fmt>/",
         document_views.RequestPeriodDocumentView.as_view(what="bundle"), name="period-zip-request"),
    path("van-ban/<id:pk>/", document_views.DocumentStatusView.as_view(), name="document-status"),
    path("van-ban/<id:pk>/tai/", document_views.DocumentDownloadView.as_view(), name="document-download"),
    path("van-ban/<id:pk>/xem-truoc.png", document_views.DocumentDownloadView.as_view(preview=True),
         name="document-preview"),
]

# Kinds other apps register may declare where they are requested (the registry is filled in their
# AppConfig.ready(), before the URLconf is imported).
urlpatterns += [
    path(spec.request_route, document_views.RequestKindDocumentView.as_view(kind=spec.name),
         name=spec.request_url_name)
    for spec in kinds() if spec.request_route
]
