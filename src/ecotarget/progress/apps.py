from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "ecotarget.progress"
    verbose_name = "进展填报"

    def ready(self) -> None:
        from ecotarget.monitoring.signals import risk_margin_asked
        from ecotarget.plans.signals import plan_changing

        from .receivers import keep_closed_periods, risk_margin_of

        plan_changing.connect(keep_closed_periods, dispatch_uid="progress.keep_closed_periods")
        risk_margin_asked.connect(risk_margin_of, dispatch_uid="progress.risk_margin_of")
