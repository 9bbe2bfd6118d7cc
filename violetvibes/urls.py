from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.admin import admin_login

from .health import HEALTH_PATH, HealthApi
from .index import IndexApi


def _patterns(*urlconfs: str) -> list:
    """The URL patterns of these URLconfs (named, as include() takes them), one list in this order."""
    return [pattern for urlconf in urlconfs for pattern in include(urlconf)[0].urlpatterns]


# The apps' endpoints come first, under one "api/" prefix: what nearly every request asks for is
# found by one resolver, rather than after the admin's and one per app before it, each of which
# a request for a later endpoint tried and failed in turn (a Resolver404 raised and caught for
# each). No two patterns here match the same path, so the order changes no answer.
urlpatterns = [
    path("api/", include(_patterns("accounts.urls", "recommendations.urls", "places.urls", "chat.urls", "events.urls"))),
    path("", IndexApi.as_view(), name="index"),
    path(HEALTH_PATH.removeprefix("/"), HealthApi.as_view(), name="health"),
    # The admin's login, answering 429 while locked (failed sign-ins: accounts.admin.AdminLoginForm).
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

handler400 = "violetvibes.errors.bad_request"
handler403 = "violetvibes.errors.permission_denied"
handler404 = "violetvibes.errors.page_not_found"
handler500 = "violetvibes.errors.server_error"
