from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "zhifa.evidence"
    label = "evidence"
    verbose_name = "证据与音像记录"

    def ready(self):
        from zhifa.ledger.export import register_exporter
        from zhifa.ledger.verification import register_check

        from .checks import check_evidence
        from .exports import export_evidence

        register_check(check_evidence)
        register_exporter(export_evidence)

        from zhifa.cases.gates import register_provider

        from .selectors import recordings_in_stage

        register_provider("recordings", recordings_in_stage)

        from zhifa.cases.panels import register_panel

        from .views import case_panel

        register_panel(20, "evidence/_case_panel.html", case_panel)
