from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhifa.org"
    label = "org"
    verbose_name = "机构与人员"

    def ready(self):
        from zhifa.core.views import home_panels
        from zhifa.ledger.verification import register_check

        from . import middleware  # noqa: F401  (the password-expiry check at sign-in)
        from .checks import check_org
        from .views import home_panel

        register_check(check_org)
        home_panels.register(home_panel, key="org/_home.html", order=10)
