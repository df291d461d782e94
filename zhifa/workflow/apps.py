from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "zhifa.workflow"
    label = "workflow"
    verbose_name = "流转与通知"

    def ready(self):
        from zhifa.core.tasks import minute_hooks
        from zhifa.core.views import home_panels
        from zhifa.ledger.services import committed_listeners

        from . import alerts, approvals, events, services, todo  # noqa: F401  (this app's event kinds, rules and 待办 source)
        from .tasks import nudge

        if nudge not in committed_listeners:  # a commit that appended asks for a dispatch
            committed_listeners.append(nudge)
        if services.sweep not in minute_hooks:  # dispatch, then send due deliveries and e-mails, every minute
            minute_hooks.append(services.sweep)
        home_panels.register(todo.home_panel, key="workflow/_todo.html", order=0)
