from django.contrib import admin

from .models import Membership, Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "full_name", "kind", "region", "order"]
    list_filter = ["region", "kind"]
    search_fields = ["name", "full_name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "role", "unit"]
    list_filter = ["region", "role"]
    autocomplete_fields = ["unit"]
