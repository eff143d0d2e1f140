"""Authentication routes. The paths under mat-khau/ are those of django.contrib.auth.urls (kept for
links already sent by e-mail); the admin site's own login is sent to the portal's, so no login skips
the lockout rules or the second factor."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/ma-xac-thuc/", views.LoginCodeView.as_view(), name="login_code"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("mat-khau/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mat-khau/password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("mat-khau/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mat-khau/password_reset/done/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("mat-khau/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("mat-khau/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.TwoFactorView.as_view(), name="two_factor"),
    path("tai-khoan/xac-thuc-hai-buoc/ma-du-phong/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("tai-khoan/xac-thuc-hai-buoc/tat/", views.TwoFactorDisableView.as_view(), name="two_factor_disable"),
]
