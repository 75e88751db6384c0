from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("template.xlsx", views.template_xlsx, name="template"),
    path("plans/<int:pk>/", views.plan_schemes, name="plan"),
    path("import/", views.upload, name="upload"),
    path("import/confirm/", views.upload_confirm, name="upload_confirm"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("schemes/<int:pk>/compute/", views.compute, name="compute"),
    path("schemes/<int:pk>/copy/", views.copy, name="copy"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("sheets/<int:pk>/", views.sheet, name="sheet"),
    path("sheets/<int:pk>/sheet.xlsx", views.sheet_export, name="sheet_xlsx"),
    path("sheets/<int:pk>/items/<int:item_pk>/review/", views.review, name="review"),
    path("sheets/<int:pk>/items/<int:item_pk>/change/", views.change, name="change"),
    path("sheets/<int:pk>/items/<int:item_pk>/self/", views.self_score, name="self_score"),
    path("sheets/<int:pk>/submit/", views.submit, name="submit"),
    path("sheets/<int:pk>/step/", views.step, name="step"),
    path("schemes/<int:pk>/approve/", views.approve, name="approve"),
    path("schemes/<int:pk>/report.docx", views.report, name="report"),
]
