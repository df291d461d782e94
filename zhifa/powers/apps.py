from django.apps import AppConfig


class PowersConfig(AppConfig):
    name = "zhifa.powers"
    label = "powers"
    verbose_name = "权责清单与事前公开"

    def ready(self):
        from zhifa.ledger.verification import register_check

        from .checks import check_powers

        register_check(check_powers)
