from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ecotarget.plans"
    verbose_name = "目标任务"
