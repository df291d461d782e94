from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    label = "documents"
    verbose_name = "执法文书"

    def ready(self):
        from zhifa.workflow.rules import todo_sources

        from .todo import unsigned

        todo_sources.register(unsigned, key="documents.unsigned", order=40)
        from zhifa.cases.gates import providers
        from zhifa.cases.panels import case_panels
        from zhifa.ledger.verification import register_check

        from .checks import check_documents
        from .selectors import issued_types, served_on, unsigned_types
        from .views import case_panel

        providers.register(issued_types, key="documents")
        providers.register(served_on, key="served")
        providers.register(unsigned_types, key="unsigned")
        register_check(check_documents)
        case_panels.register(case_panel, key="documents/_case_panel.html", order=10)
        from zhifa.workflow.rules import ApprovalKind, PushKind, approval_kinds, push_kinds

        from .services import ISSUE_APPROVAL, _issue_on_approval

        approval_kinds.register(ApprovalKind("文书签发", _issue_on_approval), key=ISSUE_APPROVAL)

        # The ledger entry itself (number, type, case, agency, signer, date, the PDF's SM3): no party data.
        push_kinds.register(PushKind("签发执法文书（含行政处罚决定书）"), key="documents.document.issued")
