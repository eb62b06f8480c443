from django.urls import path

from tamyr.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("export.csv", views.node_export, name="export"),
    path("<int:pk>/", views.node_detail, name="detail"),
    path("<int:pk>/children/", views.node_children, name="children"),
    path("<int:pk>/add/", views.node_add, name="add"),
    path("<int:pk>/edit/", views.node_edit, name="edit"),
    path("<int:pk>/close/", views.node_close, name="close"),
    path("<int:pk>/move/", views.node_move, name="move"),
    path("<int:pk>/merge/", views.node_merge, name="merge"),
    path("<int:pk>/history/", views.node_history, name="history"),
]
