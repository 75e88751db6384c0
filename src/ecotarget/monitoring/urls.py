from django.urls import path

from . import station_views, views

app_name = "monitoring"

urlpatterns = [
    path("plans/<int:pk>/", views.plan_indicators, name="plan"),
    path("plans/<int:pk>/settings/", views.plan_settings, name="settings"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("import/", views.data_upload, name="upload"),
    path("targets/<int:pk>/binding/", views.target_binding, name="binding"),
    path("stations/", station_views.station_list, name="stations"),
    path("stations/load/", station_views.station_file_load, name="stations_load"),
    path("stations/new/", station_views.station_new, name="station_new"),
    path("stations/<int:pk>/", station_views.station_detail, name="station"),
]
