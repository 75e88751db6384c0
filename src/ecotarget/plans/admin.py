from django.contrib import admin

from .models import Plan, TaskChange


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "doc_number", "year", "region", "issued_on"]
    list_filter = ["region", "year"]


@admin.register(TaskChange)
class TaskChangeAdmin(admin.ModelAdmin):
    """History is read-only, here as everywhere."""

    list_display = ["plan", "task_number", "action", "user", "at"]
    list_filter = ["action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
