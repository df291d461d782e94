from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "zhifa.publicity"
    label = "publicity"
    verbose_name = "行政执法公示"

    def ready(self):
        from zhifa.documents.services import register_issue_hook

        from .services import publication_for_decision

        register_issue_hook(publication_for_decision)

        from zhifa.ledger.verification import register_check

        from .checks import check_publicity

        register_check(check_publicity)
