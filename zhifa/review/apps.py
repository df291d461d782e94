from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    label = "review"
    verbose_name = "法制审核"

    def ready(self):
        from zhifa.ledger.verification import register_check

        from .checks import check_review

        register_check(check_review)

        from zhifa.cases.gates import register_provider
        from zhifa.cases.services import register_catalogue_hook

        from .services import catalogue_reasons, escalated, review_state

        register_catalogue_hook(catalogue_reasons)
        register_provider("review", review_state)
        register_provider("review_escalated", escalated)

        from zhifa.cases.panels import register_panel

        from .views import case_panel

        register_panel(30, "review/_case_panel.html", case_panel)
