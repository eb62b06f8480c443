from django.urls import path

from tamyr.appeals import views

# Pages for citizens, without an account.
app_name = "public"
urlpatterns = [
    path("", views.appeal_submit, name="submit"),
    path("coupon/", views.appeal_coupon_page, name="coupon"),
    path("track/", views.appeal_track_page, name="track"),
    path("track/result/", views.appeal_tracked_page, name="tracked"),
]
