from django.urls import path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("don-vi/", views.UnitListView.as_view(), name="unit-list"),
    path("don-vi/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("bao-cao/mo/<int:unit_pk>/<int:period_pk>/", views.OpenReportView.as_view(), name="report-open"),
    path("bao-cao/nhap-tep/", views.ImportReportView.as_view(), name="report-import"),
    path("bao-cao/<int:pk>/xuat-tep/", views.ExportReportView.as_view(), name="report-export"),
    path("bao-cao/<int:pk>/", views.ReportOverviewView.as_view(), name="report-overview"),
    path("bao-cao/<int:pk>/lich-su/", views.HistoryView.as_view(), name="report-history"),
    path("bao-cao/<int:report_pk>/thong-tin/", views.HeaderPartView.as_view(), name="part-header"),
    path("bao-cao/<int:report_pk>/chi-dao/", views.DirectionPartView.as_view(), name="part-direction"),
    path("bao-cao/<int:report_pk>/noi-dung/", views.ProsePartView.as_view(), name="part-prose"),
    path("bao-cao/<int:pk>/gui/", views.TransitionView.as_view(action="submit"), name="report-submit"),
    path("bao-cao/<int:pk>/tra-lai/", views.TransitionView.as_view(action="return"), name="report-return"),
    path("bao-cao/<int:pk>/duyet/", views.TransitionView.as_view(action="approve"), name="report-approve"),
    path("bao-cao/<int:pk>/mo-lai/", views.TransitionView.as_view(action="reopen"), name="report-reopen"),
    path("bao-cao/<int:pk>/nhan-xet/<str:part>/", views.CommentView.as_view(), name="report-comment"),
    path("tham-dinh/ky/<int:period_pk>/", views.ReviewPeriodView.as_view(), name="review-period"),
]
