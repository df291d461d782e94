from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import Agency, Credential, Department, Person, PersonRole


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "level", "region_name", "sector", "is_supervisory"]
    search_fields = ["name", "uscc"]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "function"]


class PersonRoleInline(admin.TabularInline):
    model = PersonRole
    extra = 0


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "agency", "position", "is_active"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]
    inlines = [PersonRoleInline]


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ["number", "person", "scope", "valid_until", "status"]
    search_fields = ["number", "person__full_name"]
