from django.urls import path
from rest_framework.routers import SimpleRouter

from zhifa.core import api as core_api
from zhifa.org import api as org_api

router = SimpleRouter()
router.register("agencies", org_api.AgencyViewSet, basename="api-agency")
router.register("departments", org_api.DepartmentViewSet, basename="api-department")
router.register("people", org_api.PersonViewSet, basename="api-person")
router.register("credentials", org_api.CredentialViewSet, basename="api-credential")
router.register("calendar/overrides", core_api.HolidayOverrideViewSet, basename="api-holiday-override")

urlpatterns = [
    path("me/", org_api.me, name="api-me"),
    path("workdays/day/", core_api.workday_status, name="api-workday-status"),
    path("workdays/deadline/", core_api.deadline, name="api-deadline"),
    path("workdays/year/", core_api.year_summary, name="api-year-summary"),
    path("public/officers/", org_api.public_officer_list, name="api-public-officers"),
    path("public/officers/<str:token>/", org_api.public_officer, name="api-public-officer"),
    *router.urls,
]
