from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ecotarget.monitoring"
    verbose_name = "环境监测"

    def ready(self) -> None:
        from ecotarget.plans.signals import plan_imported

        from .receivers import bind_imported_targets

        plan_imported.connect(bind_imported_targets, dispatch_uid="monitoring.bind_imported_targets")
