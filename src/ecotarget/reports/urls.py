from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:pk>/", views.plan_reports, name="plan"),
    path("plans/<int:pk>/generate/", views.generate, name="generate"),
    path("plans/<int:pk>/ledger.xlsx", views.ledger_export, name="ledger"),
    path("ledger/", views.ledger_home, name="ledger_home"),
    path("<int:pk>/", views.report_edit, name="edit"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/report.docx", views.version_docx, name="docx"),
]
