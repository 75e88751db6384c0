from django.urls import path

from .views import changes, handout, oversight, reminders, reporting, status

app_name = "progress"

urlpatterns = [
    path("plans/<int:pk>/", status.dashboard, name="dashboard"),
    path("plans/<int:pk>/setup/", handout.setup, name="setup"),
    path("plans/<int:pk>/publish/", handout.publish, name="publish"),
    path("plans/<int:pk>/receipts/", handout.receipts, name="receipts"),
    path("plans/<int:pk>/unit/", reporting.my_unit, name="my_unit"),
    path("plans/<int:pk>/units/<int:unit_pk>/", reporting.unit_reports, name="unit"),
    path("plans/<int:pk>/periods/<int:number>/tasks/<int:task_pk>/report/", reporting.report_edit, name="report_edit"),
    path("plans/<int:pk>/review/", reporting.review, name="review"),
    path("plans/<int:pk>/review/batch/", reporting.review_batch, name="review_batch"),
    path("plans/<int:pk>/reminders/", reminders.reminders, name="reminders"),
    path("plans/<int:pk>/change-requests/", changes.change_requests, name="change_requests"),
    path("receipts/<int:pk>/sign/", handout.receipt_sign, name="receipt_sign"),
    path("reports/<int:pk>/withdraw/", reporting.report_withdraw, name="withdraw"),
    path("reports/<int:pk>/review/", reporting.report_review, name="report_review"),
    path("evidence/<int:pk>/", reporting.evidence_download, name="evidence"),
    path("evidence/<int:pk>/remove/", reporting.evidence_remove, name="evidence_remove"),
    path("tasks/<int:pk>/", status.task_progress, name="task"),
    path("leader/", oversight.leader_desk, name="leader"),
    path("tasks/<int:pk>/watch/", oversight.task_watch, name="watch"),
    path("tasks/<int:pk>/instruct/", oversight.task_instruct, name="instruct"),
    path("tasks/<int:pk>/reopen/", reporting.task_reopen, name="reopen"),
    path("tasks/<int:pk>/change-request/", changes.change_request_create, name="change_request"),
    path("change-requests/<int:pk>/decide/", changes.change_request_decide, name="decide"),
    path("units/<int:pk>/channel/", reminders.unit_channel, name="channel"),
    path("holidays/<int:year>/", handout.holidays, name="holidays"),
]
