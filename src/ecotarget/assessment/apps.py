from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "ecotarget.assessment"
    verbose_name = "考核"
