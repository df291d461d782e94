from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "zhifa.workflow"
    label = "workflow"
    verbose_name = "流转与通知"

    def ready(self):
        from zhifa.ledger.services import committed_listeners

        from . import (
            events,  # noqa: F401
            services,  # noqa: F401  (this app's own rules)
        )
        from .tasks import nudge

        if nudge not in committed_listeners:
            committed_listeners.append(nudge)
        from zhifa.core.tasks import minute_hooks

        if services.sweep not in minute_hooks:  # dispatch, then send due deliveries and e-mails, every minute
            minute_hooks.append(services.sweep)
