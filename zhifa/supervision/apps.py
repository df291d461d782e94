from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "执法监督"

    def ready(self):
        from zhifa.ledger.verification import register_check
        from zhifa.workflow.rules import notification_rules, todo_sources

        from . import (
            detectors,  # noqa: F401  (the problem models register themselves)
            notices,
        )
        from .checks import check_supervision
        from .todo import clues

        register_check(check_supervision)
        todo_sources.register(clues, key="supervision.clues", order=15)
        notification_rules.register(notices.assigned, key="supervision.clue.assigned")
        notification_rules.register(notices.directive_issued, key="supervision.directive.issued")
        notification_rules.register(notices.directive_replied, key="supervision.directive.replied")
        notification_rules.register(notices.directive_returned, key="supervision.directive.returned")
