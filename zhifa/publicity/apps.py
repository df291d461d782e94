from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "zhifa.publicity"
    label = "publicity"
    verbose_name = "行政执法公示"

    def ready(self):
        from zhifa.workflow.rules import todo_sources

        from .todo import releases

        todo_sources.register(releases, key="publicity.releases", order=30)
        from zhifa.documents.services import issue_hooks
        from zhifa.ledger.verification import register_check

        from .checks import check_publicity
        from .services import publication_for_decision

        issue_hooks.register(publication_for_decision)
        register_check(check_publicity)
        from .notices import register

        register()
