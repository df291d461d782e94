from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "zhifa.evidence"
    label = "evidence"
    verbose_name = "证据与音像记录"

    def ready(self):
        from zhifa.cases.gates import providers
        from zhifa.cases.panels import case_panels
        from zhifa.ledger.export import register_exporter
        from zhifa.ledger.verification import register_check

        from .checks import check_evidence
        from .exports import export_evidence
        from .selectors import recordings_in_stage
        from .views import case_panel

        register_check(check_evidence)
        register_exporter(export_evidence)
        providers.register(recordings_in_stage, key="recordings")
        case_panels.register(case_panel, key="evidence/_case_panel.html", order=20)
