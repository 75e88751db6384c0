"""Every holiday arrangement now has its region (0006): it is required, and one per region and year."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Its own migration (and transaction): PostgreSQL refuses to alter a table with the rows 0006 just updated.
    dependencies = [("progress", "0006_holidays_per_region")]

    operations = [
        migrations.AlterField(
            model_name="holidayyear",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.region",
                verbose_name="行政区",
            ),
        ),
        migrations.AlterModelOptions(
            name="holidayyear",
            options={
                "ordering": ["region", "-year"],
                "verbose_name": "节假日安排",
                "verbose_name_plural": "节假日安排",
            },
        ),
        migrations.AddConstraint(
            model_name="holidayyear",
            constraint=models.UniqueConstraint(fields=("region", "year"), name="holiday_year_one_per_region"),
        ),
        migrations.AddConstraint(
            model_name="holidayday",
            constraint=models.UniqueConstraint(fields=("year", "day"), name="holiday_day_once_per_year"),
        ),
    ]
