from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from tamyr.api.awards import AwardTypeViewSet, CeremonyViewSet, ConferralViewSet
from tamyr.api.discipline import CaseViewSet
from tamyr.api.imports import MemberImportViewSet
from tamyr.api.members import ApplicationViewSet, MemberViewSet
from tamyr.api.nodes import NodeViewSet

app_name = "api"
router = DefaultRouter(use_regex_path=False)
router.register("nodes", NodeViewSet, basename="node")
router.register("members", MemberViewSet, basename="member")
router.register("applications", ApplicationViewSet, basename="application")
router.register("discipline-cases", CaseViewSet, basename="case")
router.register("award-types", AwardTypeViewSet, basename="award-type")
router.register("ceremonies", CeremonyViewSet, basename="ceremony")
router.register("awards", ConferralViewSet, basename="conferral")
router.register("member-imports", MemberImportViewSet, basename="member-import")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("token/", obtain_auth_token, name="token"),
]
