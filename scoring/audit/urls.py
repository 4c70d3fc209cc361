from django.urls import path

from scoring.audit import views

app_name = "audit"

urlpatterns = [
    path("nhat-ky/", views.audit_log, name="log"),
    path("nhat-ky/tai-xuong/", views.audit_log_export, name="log_export"),
    path("thong-bao/", views.notification_list, name="notification_list"),
    path("thong-bao/<int:pk>/mo/", views.notification_open, name="notification_open"),
    path("thong-bao/doc-het/", views.notifications_read_all, name="notifications_read_all"),
    path("thong-bao/tuy-chon/", views.notification_preference, name="notification_preference"),
]
