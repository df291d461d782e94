from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "zhifa.procedures"
    label = "procedures"
    verbose_name = "执法程序"

    def ready(self):
        from zhifa.powers.specs import register_procedure_names

        from .selectors import current_definitions

        register_procedure_names(lambda: {d.code: d.name for d in current_definitions()})

        from zhifa.ledger.verification import register_check

        from .checks import check_procedures

        register_check(check_procedures)
