"""URLs of the PAR-index scoring, mounted under /chi-so/."""

from django.urls import path

from . import views_scoring as views

urlpatterns = [
    path("", views.ScoringHomeView.as_view(), name="scoring-home"),
    path("bo-tieu-chi/", views.CriteriaSetListView.as_view(), name="criteria-set-list"),
    path("bo-tieu-chi/nhap/", views.CriteriaImportView.as_view(), name="criteria-import"),
    path("bo-tieu-chi/<int:pk>/", views.CriteriaSetDetailView.as_view(), name="criteria-set-detail"),
    path("bo-tieu-chi/<int:pk>/sao-chep/", views.CriteriaSetActionView.as_view(action="copy"), name="criteria-set-copy"),
    path("bo-tieu-chi/<int:pk>/xep-loai/", views.CriteriaSetActionView.as_view(action="bands"), name="criteria-set-bands"),
    path("danh-gia/mo/<int:unit_pk>/<int:year>/", views.StartAssessmentView.as_view(), name="assessment-start"),
    path("danh-gia/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment-detail"),
    path("danh-gia/<int:pk>/tu-danh-gia/", views.SelfAssessmentView.as_view(), name="assessment-self"),
    path("danh-gia/<int:pk>/tham-dinh/<int:round>/", views.AppraisalView.as_view(), name="assessment-appraise"),
    path("danh-gia/<int:pk>/giai-trinh/", views.ExplanationView.as_view(), name="assessment-explain"),
    path("danh-gia/<int:pk>/hoi-dong/", views.CouncilView.as_view(), name="assessment-council"),
    path("danh-gia/<int:pk>/thuong-tru/", views.AdjustmentView.as_view(), name="assessment-adjustments"),
    path("danh-gia/<int:pk>/gui/", views.AssessmentTransitionView.as_view(action="submit"), name="assessment-submit"),
    path("danh-gia/<int:pk>/gui-giai-trinh/", views.AssessmentTransitionView.as_view(action="send_explanation"),
         name="assessment-send-explanation"),
    path("danh-gia/<int:pk>/xong-giai-trinh/", views.AssessmentTransitionView.as_view(action="finish_explanation"),
         name="assessment-finish-explanation"),
    path("danh-gia/<int:pk>/thong-qua/", views.AssessmentTransitionView.as_view(action="approve"),
         name="assessment-approve"),
    path("danh-gia/<int:pk>/mo-lai/", views.AssessmentTransitionView.as_view(action="reopen"), name="assessment-reopen"),
    path("danh-gia/<int:pk>/minh-chung/<int:leaf_pk>/", views.EvidenceUploadView.as_view(), name="evidence-upload"),
    path("danh-gia/<int:pk>/diem-tru/", views.DeductionTableView.as_view(), name="assessment-deductions"),
    path("danh-gia/<int:pk>/khac-phuc/", views.RemediationView.as_view(), name="assessment-remediation"),
    path("minh-chung/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("xep-hang/<int:unit_pk>/<int:year>/", views.RankingView.as_view(), name="ranking"),
    path("xep-hang/<int:unit_pk>/<int:year>/cong-bo/", views.PublishView.as_view(), name="ranking-publish"),
    path("khac-phuc/<int:unit_pk>/<int:year>/", views.RemediationOverviewView.as_view(), name="remediation-overview"),
    path("xuat/", views.ExportStartView.as_view(), name="export-start"),
    path("xuat/<int:pk>/", views.ExportStatusView.as_view(), name="export-status"),
    path("xuat/<int:pk>/tai/", views.ExportDownloadView.as_view(), name="export-download"),
]
