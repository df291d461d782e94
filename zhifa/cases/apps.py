from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "案件"

    def ready(self):
        from zhifa.workflow.rules import todo_sources

        from .todo import deadlines

        todo_sources.register(deadlines, key="cases.deadlines", order=10)
        from zhifa.ledger.verification import register_check

        from .checks import check_cases

        register_check(check_cases)
