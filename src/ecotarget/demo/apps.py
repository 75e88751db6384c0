from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader (`ecotarget load-demo`): it sits on top of every app, so it may call any of them."""

    name = "ecotarget.demo"
    verbose_name = "演示数据"
