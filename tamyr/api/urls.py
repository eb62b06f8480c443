from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from tamyr.api import open311
from tamyr.api.appeals import (
    AppealViewSet,
    OfficialViewSet,
    ReceptionViewSet,
    appeal_figures,
    public_appeal,
    public_track,
    topic_list,
)
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
router.register("appeals", AppealViewSet, basename="appeal")
router.register("receptions", ReceptionViewSet, basename="reception")
router.register("officials", OfficialViewSet, basename="official")

open311_urls = [
    path("services.json", open311.services, name="services"),
    path("services/<slug:code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.requests, name="requests"),
    path("requests/<str:number>.json", open311.request_detail, name="request"),
]

urlpatterns = [
    path("appeal-figures/", appeal_figures, name="appeal-figures"),
    path("public/appeals/", public_appeal, name="public-appeal"),
    path("public/track/", public_track, name="public-track"),
    path("topics/", topic_list, name="topics"),
    path("open311/v2/", include((open311_urls, "open311"))),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("token/", obtain_auth_token, name="token"),
]
