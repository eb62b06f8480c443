from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("tamyr.core.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("orgs/", include("tamyr.orgs.urls")),
    path("members/", include("tamyr.members.urls")),
    path("appeals/", include("tamyr.appeals.urls")),
    path("appeal/", include("tamyr.appeals.public_urls")),
    path("api/v1/", include("tamyr.api.urls")),
    path("admin/", admin.site.urls),
]
