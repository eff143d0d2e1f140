from django.urls import path

from reports import validators  # noqa: F401 — registers the URL converters (id, year, round, key)

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("don-vi/", views.UnitListView.as_view(), name="unit-list"),
    path("don-vi/<id:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("bao-cao/mo/<id:unit_pk>/<id:period_pk>/", views.OpenReportView.as_view(), name="report-open"),
    path("bao-cao/nhap-tep/", views.ImportReportView.as_view(), name="report-import"),
    path("bao-cao/<id:pk>/xuat-tep/", views.ExportReportView.as_view(), name="report-export"),
    path("bao-cao/<id:pk>/", views.ReportOverviewView.as_view(), name="report-overview"),
    path("bao-cao/<id:pk>/lich-su/", views.HistoryView.as_view(), name="report-history"),
    path("bao-cao/<id:report_pk>/thong-tin/", views.HeaderPartView.as_view(), name="part-header"),
    path("bao-cao/<id:report_pk>/chi-dao/", views.DirectionPartView.as_view(), name="part-direction"),
    path("bao-cao/<id:report_pk>/noi-dung/", views.ProsePartView.as_view(), name="part-prose"),
    path("bao-cao/<id:pk>/gui/", views.TransitionView.as_view(action="submit"), name="report-submit"),
    path("bao-cao/<id:pk>/tra-lai/", views.TransitionView.as_view(action="return"), name="report-return"),
    path("bao-cao/<id:pk>/duyet/", views.TransitionView.as_view(action="approve"), name="report-approve"),
    path("bao-cao/<id:pk>/mo-lai/", views.TransitionView.as_view(action="reopen"), name="report-reopen"),
    path("bao-cao/<id:pk>/nhan-xet/<key:part>/", views.CommentView.as_view(), name="report-comment"),
    path("tham-dinh/ky/<id:period_pk>/", views.ReviewPeriodView.as_view(), name="review-period"),
]
