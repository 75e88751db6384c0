from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "ecotarget.dashboard"
    verbose_name = "领导总览"
