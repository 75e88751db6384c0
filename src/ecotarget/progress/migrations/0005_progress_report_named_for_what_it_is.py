"""The progress app's Report is a ProgressReport (进展报告), beside the reports app's WrittenReport (书面报告): the
table and its rows are renamed, nothing else changes."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_timestamps_from_clock"),
        ("plans", "0004_target_measure_unit"),
        ("progress", "0004_period_status_reopen_and_clock"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(
            old_name="Report",
            new_name="ProgressReport",
        ),
        migrations.RenameIndex(
            model_name="progressreport",
            new_name="progress_pr_task_id_181675_idx",
            old_name="progress_re_task_id_6b963a_idx",
        ),
        migrations.RenameIndex(
            model_name="progressreport",
            new_name="progress_pr_period__9eb7fc_idx",
            old_name="progress_re_period__11b7be_idx",
        ),
    ]
