from django.contrib import admin

from .models import ReportVersion, WrittenReport


class VersionInline(admin.TabularInline):
    model = ReportVersion
    fields = ("number", "source", "title", "as_of", "note", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(WrittenReport)
class WrittenReportAdmin(admin.ModelAdmin):
    list_display = ("plan", "kind", "period_end", "created_at")
    list_filter = ("kind",)
    inlines = [VersionInline]
