from django.urls import path
from rest_framework.routers import SimpleRouter

from zhifa.core import api as core_api
from zhifa.evidence import api as evidence_api
from zhifa.ledger import api as ledger_api
from zhifa.org import api as org_api
from zhifa.procedures import api as procedures_api

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
    path("public/procedures/", procedures_api.definition_list, name="api-public-procedures"),
    path("public/procedures/<slug:code>/", procedures_api.definition_detail, name="api-public-procedure"),
    path("public/officers/", org_api.public_officer_list, name="api-public-officers"),
    path("public/officers/<str:token>/", org_api.public_officer, name="api-public-officer"),
    path("ledger/tree-head/", ledger_api.tree_head, name="api-ledger-tree-head"),
    path("ledger/tree-heads/", ledger_api.TreeHeadList.as_view(), name="api-ledger-tree-heads"),
    path("ledger/keys/", ledger_api.KeyList.as_view(), name="api-ledger-keys"),
    path("ledger/events/", ledger_api.EventList.as_view(), name="api-ledger-events"),
    path("ledger/events/<int:seq>/", ledger_api.event_detail, name="api-ledger-event"),
    path("ledger/events/<int:seq>/proof/", ledger_api.inclusion_proof, name="api-ledger-inclusion-proof"),
    path("ledger/consistency/", ledger_api.consistency_proof, name="api-ledger-consistency-proof"),
    path("evidence/", evidence_api.EvidenceListCreate.as_view(), name="api-evidence-list"),
    path("evidence/access-log/", evidence_api.AccessList.as_view(), name="api-evidence-access-log"),
    path("evidence/<int:pk>/", evidence_api.EvidenceDetail.as_view(), name="api-evidence-detail"),
    path("evidence/<int:pk>/content/", evidence_api.EvidenceContent.as_view(), name="api-evidence-content"),
    *router.urls,
]
