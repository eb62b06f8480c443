from django.urls import path

from tamyr.appeals import views

# Pages for citizens, without an account.
app_name = "public"
urlpatterns = [
    path("", views.appeal_submit, name="submit"),
    path("track/", views.appeal_track_page, name="track"),
]
