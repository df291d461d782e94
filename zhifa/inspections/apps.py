from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"

    def ready(self):
        from zhifa.ledger.verification import register_check
        from zhifa.workflow.rules import todo_sources

        from .checks import check_inspections
        from .todo import my_tasks

        register_check(check_inspections)
        from zhifa.core.tasks import minute_hooks

        from .tasks import tree_head_draws

        if tree_head_draws not in minute_hooks:
            minute_hooks.append(tree_head_draws)
        from zhifa.workflow.rules import notification_rules

        from . import notices

        notification_rules.register(notices.drawn, key="inspections.draw.made")
        notification_rules.register(notices.recused, key="inspections.task.recused")
        todo_sources.register(my_tasks, key="inspections.tasks", order=35)
