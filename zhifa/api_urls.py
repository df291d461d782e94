from django.urls import path
from rest_framework.routers import SimpleRouter

from zhifa.cases import api as cases_api
from zhifa.core import api as core_api
from zhifa.documents import api as documents_api
from zhifa.evidence import api as evidence_api
from zhifa.ledger import api as ledger_api
from zhifa.org import api as org_api
from zhifa.powers import api as powers_api
from zhifa.procedures import api as procedures_api
from zhifa.publicity import api as publicity_api
from zhifa.review import api as review_api

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
    path("public/agencies/", powers_api.agencies, name="api-public-agencies"),
    path("public/agencies/<int:pk>/items/", powers_api.agency_items, name="api-public-agency-items"),
    path("public/items/<int:pk>/", powers_api.item, name="api-public-item"),
    path("public/decisions/", publicity_api.public_decisions, name="api-public-decisions"),
    path("public/decisions/open-data.csv", publicity_api.public_open_data_csv, name="api-public-decisions-csv"),
    path("public/decisions/open-data.json", publicity_api.public_open_data_json, name="api-public-decisions-json"),
    path("public/decisions/feed.atom", publicity_api.public_atom, name="api-public-decisions-atom"),
    path("public/decisions/shuanggongshi-cf.csv", publicity_api.public_cf, name="api-public-decisions-cf"),
    path("public/decisions/<str:token>/", publicity_api.public_decision, name="api-public-decision"),
    path("ledger/tree-head/", ledger_api.tree_head, name="api-ledger-tree-head"),
    path("ledger/tree-heads/", ledger_api.TreeHeadList.as_view(), name="api-ledger-tree-heads"),
    path("ledger/keys/", ledger_api.KeyList.as_view(), name="api-ledger-keys"),
    path("ledger/events/", ledger_api.EventList.as_view(), name="api-ledger-events"),
    path("ledger/events/<int:seq>/", ledger_api.event_detail, name="api-ledger-event"),
    path("ledger/events/<int:seq>/proof/", ledger_api.inclusion_proof, name="api-ledger-inclusion-proof"),
    path("ledger/consistency/", ledger_api.consistency_proof, name="api-ledger-consistency-proof"),
    path("ledger/cosignatures/", ledger_api.cosignatures, name="api-ledger-cosignatures"),
    path("evidence/", evidence_api.EvidenceListCreate.as_view(), name="api-evidence-list"),
    path("evidence/access-log/", evidence_api.AccessList.as_view(), name="api-evidence-access-log"),
    path("evidence/<int:pk>/", evidence_api.EvidenceDetail.as_view(), name="api-evidence-detail"),
    path("evidence/<int:pk>/content/", evidence_api.EvidenceContent.as_view(), name="api-evidence-content"),
    path("cases/", cases_api.CaseListCreate.as_view(), name="api-case-list"),
    path("cases/overdue/", cases_api.overdue, name="api-case-overdue"),
    path("hearing-thresholds/", cases_api.ThresholdListCreate.as_view(), name="api-hearing-thresholds"),
    path("cases/<int:pk>/", cases_api.case_detail, name="api-case-detail"),
    path("cases/<int:pk>/move/", cases_api.move, name="api-case-move"),
    path("cases/<int:pk>/proposal/", cases_api.proposal, name="api-case-proposal"),
    path("cases/<int:pk>/party-choice/", cases_api.party_choice, name="api-case-party-choice"),
    path("cases/<int:pk>/major-marks/", cases_api.mark_major, name="api-case-mark-major"),
    path("cases/<int:pk>/major-marks/remove/", cases_api.unmark_major, name="api-case-unmark-major"),
    path("cases/<int:pk>/deadlines/pause/", cases_api.pause, name="api-case-deadline-pause"),
    path("cases/<int:pk>/deadlines/resume/", cases_api.resume, name="api-case-deadline-resume"),
    path("cases/<int:pk>/deadlines/extend/", cases_api.extend, name="api-case-deadline-extend"),
    path("cases/<int:pk>/payments/", cases_api.payment, name="api-case-payment"),
    path("cases/<int:pk>/payment-arrangements/", cases_api.arrangement, name="api-case-payment-arrangement"),
    path("cases/<int:pk>/parties/", cases_api.add_party, name="api-case-add-party"),
    path("cases/<int:case_pk>/submit-review/", review_api.submit, name="api-case-submit-review"),
    path("documents/", documents_api.DocumentListCreate.as_view(), name="api-document-list"),
    path("documents/<int:pk>/", documents_api.document_detail, name="api-document-detail"),
    path("documents/<int:pk>/issue/", documents_api.issue, name="api-document-issue"),
    path("documents/<int:pk>/sign/", documents_api.sign, name="api-document-sign"),
    path("documents/<int:pk>/serve/", documents_api.serve, name="api-document-serve"),
    path("documents/<int:pk>/pdf/", documents_api.pdf, name="api-document-pdf"),
    path("review/tasks/", review_api.TaskList.as_view(), name="api-review-tasks"),
    path("review/tasks/<int:pk>/decide/", review_api.decide, name="api-review-decide"),
    path("review/tasks/<int:pk>/escalate/", review_api.escalate, name="api-review-escalate"),
    path("review/rules/", review_api.RuleListCreate.as_view(), name="api-review-rules"),
    path("publications/", publicity_api.PublicationList.as_view(), name="api-publications"),
    path("publications/<int:pk>/release/", publicity_api.release, name="api-publication-release"),
    path("publications/<int:pk>/withdraw/", publicity_api.withdraw, name="api-publication-withdraw"),
    path("publications/<int:pk>/revocation/", publicity_api.revocation, name="api-publication-revocation"),
    path("publications/<int:pk>/correct/", publicity_api.correct, name="api-publication-correct"),
    path("publications/withdrawals-due/", publicity_api.withdrawals_due, name="api-publication-withdrawals-due"),
    path("publicity-settings/<int:agency_pk>/", publicity_api.setting, name="api-publicity-setting"),
    *router.urls,
]
