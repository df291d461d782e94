from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "案件"

    def ready(self):
        from zhifa.workflow.rules import todo_sources

        from .todo import deadlines

        todo_sources.register(deadlines, key="cases.deadlines", order=10)
        from zhifa.workflow.rules import ApprovalKind, approval_kinds

        from .services import EXTEND_APPROVAL, RECUSAL_APPROVAL, _extend_on_approval, _recuse_on_approval

        approval_kinds.register(ApprovalKind("延长办理期限", _extend_on_approval), key=EXTEND_APPROVAL)
        approval_kinds.register(ApprovalKind("执法人员回避", _recuse_on_approval), key=RECUSAL_APPROVAL)
        from zhifa.ledger.verification import register_check

        from .checks import check_cases

        register_check(check_cases)
