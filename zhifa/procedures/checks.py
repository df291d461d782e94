"""The procedures part of `zhifa ledger verify`: each published version's content against its digest and event."""

from zhifa.ledger import rfc9162
from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import ProcedureDefinition

DEFINITIONS = replayed(Spec("procedures.proceduredefinition", "执法程序", created={"procedures.definition.published"}))


def check_procedures(report, check_files: bool) -> None:
    rows = []
    for d in ProcedureDefinition.objects.order_by("pk"):
        actual = rfc9162.sm3(ledger.canonical_json(d.definition).encode()).hex()
        if actual != d.digest:
            report.problem("state", f"执法程序“{d}”的定义内容被改动：与发布时的 SM3 摘要不符。")
        rows.append((d.pk, str(d), {"code": d.code, "version": d.version, "name": d.name, "digest": d.digest}))
    compare(
        report,
        DEFINITIONS,
        rows,
        field_labels(ProcedureDefinition),
    )
