from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("v1/events", views.EventViewSet, basename="event")

urlpatterns = [
    path("nyu_engage_events", views.EngageEventsApi.as_view(), name="nyu-engage-events"),
    path("events", views.PermittedEventsApi.as_view(), name="events"),
    *router.urls,
]
