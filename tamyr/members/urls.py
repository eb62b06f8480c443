from django.urls import path

from tamyr.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export.csv", views.member_export, name="export"),
    path("add/", views.member_add, name="add"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/delete/", views.member_delete, name="delete"),
    path("<int:pk>/history/", views.member_history, name="history"),
]
