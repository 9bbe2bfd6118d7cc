from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("v1/chat/conversations", views.ConversationViewSet, basename="conversation")

urlpatterns = [path("chat", views.ChatApi.as_view(), name="chat"), *router.urls]
