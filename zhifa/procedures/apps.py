from django.apps import AppConfig


def _procedure_names() -> dict:
    from .selectors import current_definitions

    return {d.code: d.name for d in current_definitions()}


class ProceduresConfig(AppConfig):
    name = "zhifa.procedures"
    label = "procedures"
    verbose_name = "执法程序"

    def ready(self):
        from zhifa.ledger.verification import register_check
        from zhifa.powers.specs import procedure_name_source

        from .checks import check_procedures

        procedure_name_source.register(_procedure_names, key="names")
        register_check(check_procedures)
