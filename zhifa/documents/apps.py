from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    label = "documents"
    verbose_name = "执法文书"

    def ready(self):
        from zhifa.cases.gates import register_provider
        from zhifa.ledger.verification import register_check

        from .checks import check_documents
        from .selectors import issued_types, served_on, unsigned_types

        register_provider("documents", issued_types)
        register_provider("served", served_on)
        register_provider("unsigned", unsigned_types)
        register_check(check_documents)

        from zhifa.cases.panels import register_panel

        from .views import case_panel

        register_panel(10, "documents/_case_panel.html", case_panel)
