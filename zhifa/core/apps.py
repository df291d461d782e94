from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from zhifa.ledger.verification import register_check

        from . import security  # noqa: F401  (the sign-in time kept in the session)
        from .checks import check_calendar

        register_check(check_calendar)
        # Every app's tasks.py registers its scheduled jobs and tasks; the web process lists them, the worker runs them.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
