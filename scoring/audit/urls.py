from django.urls import path

from scoring.audit import views as views_audit

app_name = "audit"

urlpatterns = [
    path("nhat-ky/", views_audit.audit_log, name="log"),
    path("nhat-ky/tai-xuong/", views_audit.audit_log_export, name="log_export"),
    path("thong-bao/", views_audit.notification_list, name="notification_list"),
    path("thong-bao/<int:pk>/mo/", views_audit.notification_open, name="notification_open"),
    path("thong-bao/doc-het/", views_audit.notifications_read_all, name="notifications_read_all"),
    path("thong-bao/tuy-chon/", views_audit.notification_preference, name="notification_preference"),
]
