from django.urls import path

from tamyr.members.views import (
    applications,
    awards,
    composition,
    discipline,
    imports,
    registry,
)

app_name = "members"
urlpatterns = [
    path("", registry.member_list, name="list"),
    path("export.csv", registry.member_export, name="export"),
    path("add/", registry.member_add, name="add"),
    path("<int:pk>/", registry.member_detail, name="detail"),
    path("<int:pk>/edit/", registry.member_edit, name="edit"),
    path("<int:pk>/delete/", registry.member_delete, name="delete"),
    path("<int:pk>/history/", registry.member_history, name="history"),
    path("<int:pk>/steps/<slug:step>/", registry.member_step, name="step"),
    path("<int:pk>/discipline/new/", discipline.case_open, name="case_open"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("discipline/", discipline.case_list, name="cases"),
    path("discipline/figures/", discipline.case_figures, name="case_figures"),
    path("discipline/<int:pk>/", discipline.case_detail, name="case"),
    path("composition/<int:pk>/", composition.composition_page, name="composition"),
    path("import/", imports.import_start, name="import_start"),
    path("import/template.<slug:fmt>", imports.import_template, name="import_template"),
    path("import/<uuid:uuid>/", imports.import_status, name="import"),
    path("export.xlsx", registry.member_export_xlsx, name="export_xlsx"),
    path("awards/", awards.conferral_list, name="awards"),
    path("awards/new/", awards.conferral_new, name="conferral_new"),
    path("awards/<int:pk>/delete/", awards.conferral_delete, name="conferral_delete"),
    path("ceremonies/", awards.ceremony_list, name="ceremonies"),
    path("ceremonies/new/", awards.ceremony_new, name="ceremony_new"),
    path("ceremonies/<int:pk>/", awards.ceremony_detail, name="ceremony"),
]
