from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "ecotarget.progress"
    verbose_name = "进展填报"
