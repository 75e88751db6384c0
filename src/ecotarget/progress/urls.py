from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:pk>/", views.dashboard, name="dashboard"),
    path("plans/<int:pk>/setup/", views.setup, name="setup"),
    path("plans/<int:pk>/publish/", views.publish, name="publish"),
    path("plans/<int:pk>/receipts/", views.receipts, name="receipts"),
    path("plans/<int:pk>/unit/", views.my_unit, name="my_unit"),
    path("plans/<int:pk>/units/<int:unit_pk>/", views.unit_reports, name="unit"),
    path("plans/<int:pk>/periods/<int:number>/tasks/<int:task_pk>/report/", views.report_edit, name="report_edit"),
    path("plans/<int:pk>/review/", views.review, name="review"),
    path("plans/<int:pk>/review/batch/", views.review_batch, name="review_batch"),
    path("plans/<int:pk>/reminders/", views.reminders, name="reminders"),
    path("plans/<int:pk>/change-requests/", views.change_requests, name="change_requests"),
    path("receipts/<int:pk>/sign/", views.receipt_sign, name="receipt_sign"),
    path("reports/<int:pk>/withdraw/", views.report_withdraw, name="withdraw"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("tasks/<int:pk>/", views.task_progress, name="task"),
    path("leader/", views.leader_desk, name="leader"),
    path("tasks/<int:pk>/watch/", views.task_watch, name="watch"),
    path("tasks/<int:pk>/instruct/", views.task_instruct, name="instruct"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="reopen"),
    path("tasks/<int:pk>/change-request/", views.change_request_create, name="change_request"),
    path("change-requests/<int:pk>/decide/", views.change_request_decide, name="decide"),
    path("units/<int:pk>/people/", views.people, name="people"),
    path("holidays/<int:year>/", views.holidays, name="holidays"),
]
