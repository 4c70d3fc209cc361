from django.urls import path

from scoring.assessment import api

urlpatterns = [
    path("assessments/", api.AssessmentListApi.as_view(), name="assessment-list-api"),
    path("assessments/<int:pk>/", api.AssessmentDetailApi.as_view(), name="assessment-detail-api"),
    path(
        "assessments/<int:pk>/items/<str:code>/",
        api.AssessmentItemScoreApi.as_view(),
        name="assessment-item-score-api",
    ),
    path(
        "assessments/<int:pk>/evidence/", api.AssessmentEvidenceApi.as_view(), name="assessment-evidence-api"
    ),
    path("assessments/<int:pk>/submit/", api.AssessmentSubmitApi.as_view(), name="assessment-submit-api"),
    path(
        "assessments/<int:pk>/withdraw/", api.AssessmentWithdrawApi.as_view(), name="assessment-withdraw-api"
    ),
    path("evidence/<int:pk>/", api.EvidenceDeleteApi.as_view(), name="evidence-delete-api"),
    path("evidence/<int:pk>/download/", api.EvidenceDownloadApi.as_view(), name="evidence-download-api"),
]
