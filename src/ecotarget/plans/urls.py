from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_upload, name="upload"),
    path("import/confirm/", views.plan_import_confirm, name="import_confirm"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/matrix/", views.matrix, name="matrix"),
    path("<int:pk>/history/", views.plan_history, name="history"),
    path("<int:pk>/export.xlsx", views.breakdown_export, name="export"),
    path("<int:pk>/units/<int:unit_pk>/", views.unit_list, name="unit"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
]
