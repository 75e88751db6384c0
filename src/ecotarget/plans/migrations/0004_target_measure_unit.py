from django.db import migrations


class Migration(migrations.Migration):
    """A target's unit of measure is `measure_unit`: "unit" means a responsible unit (责任单位) everywhere.

    Stored task history needs no change: a target in a TaskChange snapshot is a positional row
    [metric, op, value, measure unit, baseline, reduction] (plans.snapshots.target_row), not keyed by name."""

    dependencies = [
        ("plans", "0003_timestamps_from_clock"),
    ]

    operations = [
        migrations.RenameField(model_name="target", old_name="unit", new_name="measure_unit"),
    ]
