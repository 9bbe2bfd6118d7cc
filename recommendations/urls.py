from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

urlpatterns = [
    path("quick_recs", views.QuickRecsApi.as_view(), name="quick-recs"),
    path("top_recommendations", views.TopRecommendationsApi.as_view(), name="top-recommendations"),
    path("dashboard", views.DashboardApi.as_view(), name="dashboard"),
    path("calendar/notifications/check", views.CalendarNotificationsCheckApi.as_view(), name="calendar-notifications-check"),
]

router = SimpleRouter(trailing_slash=True)
router.register("v1/places", views.PlaceViewSet, basename="place")
urlpatterns += router.urls
