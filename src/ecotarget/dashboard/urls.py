from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("switch-plan/", views.switch_plan, name="switch"),
    path("plans/<int:pk>/", views.plan_dashboard, name="plan"),
    path("plans/<int:pk>/tasks/", views.task_list, name="tasks"),
]
