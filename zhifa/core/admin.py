from django.contrib import admin

from .models import HolidayOverride, PublishedCalendarYear

admin.site.site_header = "行政执法综合管理监督平台 后台管理"
admin.site.site_title = "zhifa 后台"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Domain writes go through services (and so onto the ledger); the admin is for inspection only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(ReadOnlyAdmin):
    list_display = ["date", "is_workday", "name", "source"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(PublishedCalendarYear)
class PublishedCalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source"]
