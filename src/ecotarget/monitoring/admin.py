from django.contrib import admin

from .models import AnnualFigure, DayExclusion, ImportBatch, IndicatorBinding, Station


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "medium", "level", "water_kind", "drinking_scale", "evaluates_city", "synthetic"]
    list_filter = ["region", "medium", "level", "water_kind"]
    search_fields = ["code", "name"]


class ChangedOnTheSettingsPage(admin.ModelAdmin):
    """Read-only: these change the official figures, so they change on the plan's 监测指标设置 page, where every
    change is logged and a row is retired, never edited or deleted."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DayExclusion)
class DayExclusionAdmin(ChangedOnTheSettingsPage):
    list_display = ["region", "day", "reason", "retired_at", "retired_by", "retired_reason"]
    list_filter = ["region"]


@admin.register(AnnualFigure)
class AnnualFigureAdmin(ChangedOnTheSettingsPage):
    list_display = ["region", "indicator", "scope", "year", "value", "source", "synthetic", "retired_at", "retired_by"]
    list_filter = ["region", "indicator"]


@admin.register(IndicatorBinding)
class IndicatorBindingAdmin(admin.ModelAdmin):
    """Read-only: a binding changes on the task page, where the change is written to the task's history."""

    list_display = ["target", "indicator", "scope", "edition"]
    list_filter = ["indicator", "edition"]
    list_select_related = ["target"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Batches are the record of what was imported: read-only."""

    list_display = ["file_name", "kind", "region", "values_stored", "user", "at", "synthetic"]
    list_filter = ["region", "kind"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
