from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from zhifa.ledger.verification import register_check

        from .checks import check_calendar

        register_check(check_calendar)
