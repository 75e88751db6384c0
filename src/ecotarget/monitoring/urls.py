from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("plans/<int:pk>/", views.plan_indicators, name="plan"),
    path("plans/<int:pk>/settings/", views.plan_settings, name="settings"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("import/", views.data_upload, name="upload"),
    path("targets/<int:pk>/binding/", views.target_binding, name="binding"),
]
