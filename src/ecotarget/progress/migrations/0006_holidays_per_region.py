"""Holiday arrangements entered by coordinators belong to a region: one county's entry no longer re-dates
another's plans. An arrangement entered before goes to the region of whoever entered it; one whose author is
unknown (or has no region) is kept for every region, as it applied to all of them until now."""

import django.db.models.deletion
from django.db import migrations, models


def give_each_arrangement_its_region(apps, schema_editor):
    HolidayYear = apps.get_model("progress", "HolidayYear")
    HolidayDay = apps.get_model("progress", "HolidayDay")
    Membership = apps.get_model("organisation", "Membership")
    Region = apps.get_model("organisation", "Region")
    regions = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    for stored in HolidayYear.objects.filter(region__isnull=True).order_by("pk"):
        owner = Membership.objects.filter(user_id=stored.entered_by_id).values_list("region_id", flat=True).first()
        targets = [owner] if owner is not None else regions
        if not targets:
            stored.delete()  # no region at all: nothing it could date
            continue
        days = list(HolidayDay.objects.filter(year=stored))
        stored.region_id = targets[0]
        stored.save(update_fields=["region"])
        for region_id in targets[1:]:
            copy = HolidayYear.objects.create(
                region_id=region_id,
                year=stored.year,
                notice=stored.notice,
                entered_by_id=stored.entered_by_id,
                entered_at=stored.entered_at,
            )
            HolidayDay.objects.bulk_create(
                [HolidayDay(year=copy, day=d.day, is_workday=d.is_workday, name=d.name) for d in days]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_timestamps_from_clock"),
        ("progress", "0005_progress_report_named_for_what_it_is"),
    ]

    operations = [
        migrations.AlterField(
            model_name="holidayyear", name="year", field=models.PositiveIntegerField(verbose_name="年度")
        ),
        migrations.AlterField(model_name="holidayday", name="day", field=models.DateField(verbose_name="日期")),
        migrations.AddField(
            model_name="holidayyear",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.region",
                verbose_name="行政区",
            ),
        ),
        migrations.RunPython(give_each_arrangement_its_region, migrations.RunPython.noop),
    ]
