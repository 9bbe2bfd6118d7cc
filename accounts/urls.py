from django.urls import path

from . import views

urlpatterns = [
    path("auth/signup", views.SignupApi.as_view(), name="auth-signup"),
    path("auth/login", views.LoginApi.as_view(), name="auth-login"),
    path("auth/refresh", views.RefreshApi.as_view(), name="auth-refresh"),
    path("auth/logout", views.LogoutApi.as_view(), name="auth-logout"),
    path("auth/password", views.PasswordChangeApi.as_view(), name="auth-password"),
    path("user/me", views.MeApi.as_view(), name="user-me"),
    path("user/preferences", views.PreferencesApi.as_view(), name="user-preferences"),
    path("user/settings", views.SettingsApi.as_view(), name="user-settings"),
    path("user/profile", views.ProfileApi.as_view(), name="user-profile"),
    path("user/activity", views.ActivityApi.as_view(), name="user-activity"),
    path("user/notification_token", views.NotificationTokenApi.as_view(), name="user-notification-token"),
]
