from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    label = "review"
    verbose_name = "法制审核"

    def ready(self):
        from zhifa.workflow.rules import todo_sources

        from .todo import reviews

        todo_sources.register(reviews, key="review.reviews", order=20)
        from zhifa.cases.gates import providers
        from zhifa.cases.panels import case_panels
        from zhifa.cases.services import catalogue_hooks
        from zhifa.ledger.verification import register_check

        from .checks import check_review
        from .services import catalogue_reasons, escalated, review_state
        from .views import case_panel

        register_check(check_review)
        catalogue_hooks.register(catalogue_reasons)
        providers.register(review_state, key="review")
        providers.register(escalated, key="review_escalated")
        case_panels.register(case_panel, key="review/_case_panel.html", order=30)
        from zhifa.workflow.rules import notification_rules

        from . import notices

        notification_rules.register(notices.submitted, key="review.task.submitted")
        notification_rules.register(notices.decided, key="review.task.decided")
        notification_rules.register(notices.escalated, key="review.task.escalated")
