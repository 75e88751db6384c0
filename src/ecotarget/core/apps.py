from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ecotarget.core"
    verbose_name = "基础"
