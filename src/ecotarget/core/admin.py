from django.contrib import admin

from .models import Action


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Read only: the log is written by the services, never edited by hand."""

    list_display = ["at", "actor_name", "verb", "object_label", "summary"]
    list_filter = ["verb", "by_system"]
    search_fields = ["summary", "object_label", "actor_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
