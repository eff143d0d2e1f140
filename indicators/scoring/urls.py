"""URLs of the PAR-index scoring, mounted under /chi-so/."""

from django.urls import path

from reports import validators  # noqa: F401 — registers the URL converters (id, year, round, key)

from .views import assessments, criteria, ranking

urlpatterns = [
    path("", criteria.ScoringHomeView.as_view(), name="scoring-home"),
    path("bo-tieu-chi/", criteria.CriteriaSetListView.as_view(), name="criteria-set-list"),
    path("bo-tieu-chi/nhap/", criteria.CriteriaImportView.as_view(), name="criteria-import"),
    path("bo-tieu-chi/<id:pk>/", criteria.CriteriaSetDetailView.as_view(), name="criteria-set-detail"),
    path("bo-tieu-chi/<id:pk>/sao-chep/", criteria.CriteriaSetActionView.as_view(action="copy"), name="criteria-set-copy"),
    path("bo-tieu-chi/<id:pk>/xep-loai/", criteria.CriteriaSetActionView.as_view(action="bands"), name="criteria-set-bands"),
    path("danh-gia/mo/<id:unit_pk>/<year:year>/", assessments.StartAssessmentView.as_view(), name="assessment-start"),
    path("danh-gia/<id:pk>/", assessments.AssessmentDetailView.as_view(), name="assessment-detail"),
    path("danh-gia/<id:pk>/tu-danh-gia/", assessments.SelfAssessmentView.as_view(), name="assessment-self"),
    path("danh-gia/<id:pk>/tham-dinh/<round:round>/", assessments.AppraisalView.as_view(), name="assessment-appraise"),
    path("danh-gia/<id:pk>/giai-trinh/", assessments.ExplanationView.as_view(), name="assessment-explain"),
    path("danh-gia/<id:pk>/hoi-dong/", assessments.CouncilView.as_view(), name="assessment-council"),
    path("danh-gia/<id:pk>/thuong-tru/", assessments.AdjustmentView.as_view(), name="assessment-adjustments"),
    path("danh-gia/<id:pk>/gui/", assessments.AssessmentTransitionView.as_view(action="submit"), name="assessment-submit"),
    path("danh-gia/<id:pk>/gui-giai-trinh/", assessments.AssessmentTransitionView.as_view(action="send_explanation"),
         name="assessment-send-explanation"),
    path("danh-gia/<id:pk>/xong-giai-trinh/", assessments.AssessmentTransitionView.as_view(action="finish_explanation"),
         name="assessment-finish-explanation"),
    path("danh-gia/<id:pk>/thong-qua/", assessments.AssessmentTransitionView.as_view(action="approve"),
         name="assessment-approve"),
    path("danh-gia/<id:pk>/mo-lai/", assessments.AssessmentTransitionView.as_view(action="reopen"), name="assessment-reopen"),
    path("danh-gia/<id:pk>/minh-chung/<id:leaf_pk>/", assessments.EvidenceUploadView.as_view(), name="evidence-upload"),
    path("danh-gia/<id:pk>/diem-tru/", assessments.DeductionTableView.as_view(), name="assessment-deductions"),
    path("danh-gia/<id:pk>/khac-phuc/", assessments.RemediationView.as_view(), name="assessment-remediation"),
    path("minh-chung/<id:pk>/", assessments.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("xep-hang/<id:unit_pk>/<year:year>/", ranking.RankingView.as_view(), name="ranking"),
    path("xep-hang/<id:unit_pk>/<year:year>/cong-bo/", ranking.PublishView.as_view(), name="ranking-publish"),
    path("khac-phuc/<id:unit_pk>/<year:year>/", ranking.RemediationOverviewView.as_view(), name="remediation-overview"),
    path("xuat/", ranking.ExportStartView.as_view(), name="export-start"),
]
