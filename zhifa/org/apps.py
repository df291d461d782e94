from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhifa.org"
    label = "org"
    verbose_name = "机构与人员"

    def ready(self):
        from zhifa.ledger.verification import register_check

        from .checks import check_org

        register_check(check_org)
