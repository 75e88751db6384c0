from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("units/<int:pk>/people/", views.people, name="people"),
]
