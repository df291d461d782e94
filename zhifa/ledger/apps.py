from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "zhifa.ledger"
    label = "ledger"
    verbose_name = "执法记录账本"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .guard import install_sqlite_function

        connection_created.connect(install_sqlite_function, dispatch_uid="zhifa-ledger-guard")

        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("events")  # every app's events.py declares its ledger event kinds
