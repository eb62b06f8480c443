from django.urls import path

from tamyr.appeals import reception_views, views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list_page, name="list"),
    path("new/", views.appeal_add, name="add"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/coupon/", views.appeal_coupon, name="coupon"),
    path("<int:pk>/history/", views.appeal_history, name="history"),
    path("<int:pk>/files/<int:attachment_pk>/", views.appeal_attachment, name="attachment"),
    path("statistics/", reception_views.statistics, name="statistics"),
    path("receptions/", reception_views.reception_list, name="receptions"),
    path("receptions/new/", reception_views.reception_add, name="reception_add"),
    path("receptions/<int:pk>/", reception_views.reception_detail, name="reception"),
    path("officials/", reception_views.official_list, name="officials"),
    path("officials/new/", reception_views.official_add, name="official_add"),
]
