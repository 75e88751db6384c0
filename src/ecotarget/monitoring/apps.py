from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ecotarget.monitoring"
    verbose_name = "环境监测"
