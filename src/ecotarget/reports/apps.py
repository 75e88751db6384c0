from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ecotarget.reports"
    verbose_name = "书面报告与台账"
