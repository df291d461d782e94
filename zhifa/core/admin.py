from django.contrib import admin

from .models import HolidayOverride, PublishedCalendarYear

admin.site.site_header = "行政执法综合管理监督平台 后台管理"
admin.site.site_title = "zhifa 后台"


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name", "source"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(PublishedCalendarYear)
class PublishedCalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source"]
