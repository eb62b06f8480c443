from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from tamyr.api.members import MemberViewSet
from tamyr.api.nodes import NodeViewSet

app_name = "api"
router = DefaultRouter(use_regex_path=False)
router.register("nodes", NodeViewSet, basename="node")
router.register("members", MemberViewSet, basename="member")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("token/", obtain_auth_token, name="token"),
]
