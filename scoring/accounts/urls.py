"""The account pages; included at the root before django.contrib.auth.urls, whose views some of them replace."""

from django.urls import include, path

from scoring.accounts import switcher, views

urlpatterns = [
    # Django's own names, so that its auth views and templates find them.
    path("accounts/password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/xac-thuc-hai-buoc/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/xac-thuc-hai-buoc/cai-dat/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/xac-thuc-hai-buoc/ma-du-phong/",
        views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("tai-khoan/bi-khoa/", views.account_lockout_list, name="account_lockouts"),
    path(
        "tai-khoan/bi-khoa/<int:pk>/mo-khoa/", views.account_lockout_release, name="account_lockout_release"
    ),
    path("tai-khoan/co-quan/", switcher.body_switch, name="body_switch"),
    path("", include("scoring.accounts.people.urls")),
    path("tai-khoan/ma-truy-cap-api/", views.api_tokens, name="api_tokens"),
    path("tai-khoan/ma-truy-cap-api/<int:pk>/thu-hoi/", views.api_token_revoke, name="api_token_revoke"),
]
