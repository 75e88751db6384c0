from django.contrib import admin
from django.http import HttpRequest

from ecotarget.organisation.models import Post, Tenure

from .models import HolidayYear, PlanSetup, ProgressReport, Reminder, ReportEvent


class TenureInline(admin.TabularInline):
    model = Tenure
    extra = 0
    fields = ["person", "user", "phone", "email", "started_on", "ended_on", "note"]
    readonly_fields = ["started_on", "ended_on"]
    can_delete = False


# People are registered here rather than in organisation/admin.py so that this app owns its admin.
@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind"]
    list_filter = ["kind", "unit__region"]
    inlines = [TenureInline]


@admin.register(PlanSetup)
class PlanSetupAdmin(admin.ModelAdmin):
    list_display = ["plan", "frequency", "due_day", "published_at"]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "action", "user", "version", "comment")


@admin.register(ProgressReport)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports change only through the pages, so that every change is in their history."""

    list_display = ["period", "task", "unit", "state", "percent", "version"]
    list_filter = ["state", "period__plan"]
    inlines = [ReportEventInline]

    def has_change_permission(self, request: HttpRequest, obj: ProgressReport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ProgressReport | None = None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["created_at", "period", "unit", "channel", "trigger", "result"]
    list_filter = ["result", "channel", "trigger"]

    def has_change_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "notice", "entered_by", "entered_at"]
