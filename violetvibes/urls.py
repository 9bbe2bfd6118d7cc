from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.admin import admin_login

from .health import HealthApi

urlpatterns = [
    path("health", HealthApi.as_view(), name="health"),
    # The admin's login, answering 429 while locked (failed sign-ins: accounts.admin.AdminLoginForm).
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/", include("accounts.urls")),
    path("api/", include("recommendations.urls")),
    path("api/", include("places.urls")),
    path("api/", include("chat.urls")),
    path("api/", include("events.urls")),
]

handler400 = "violetvibes.errors.bad_request"
handler403 = "violetvibes.errors.permission_denied"
handler404 = "violetvibes.errors.page_not_found"
handler500 = "violetvibes.errors.server_error"
