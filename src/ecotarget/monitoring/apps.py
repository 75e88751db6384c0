from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ecotarget.monitoring"
    verbose_name = "环境监测"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from ecotarget.plans.signals import plan_imported

        from .models import AirHour, DayExclusion, ImportBatch, Station, WaterSample
        from .receivers import bind_imported_targets, data_changed

        plan_imported.connect(bind_imported_targets, dispatch_uid="monitoring.bind_imported_targets")
        for data in (ImportBatch, DayExclusion, Station):
            post_save.connect(data_changed, sender=data, dispatch_uid=f"monitoring.data_saved.{data.__name__}")
            post_delete.connect(data_changed, sender=data, dispatch_uid=f"monitoring.data_deleted.{data.__name__}")
        for value in (AirHour, WaterSample):  # bulk writes send nothing: their batch's save is heard instead
            post_save.connect(data_changed, sender=value, dispatch_uid=f"monitoring.data_saved.{value.__name__}")
