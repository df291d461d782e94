"""Sections of the case page contributed by apps above cases (documents, evidence, review).

Each registers (order, template, context(request, case) -> dict) in its AppConfig.ready, so the
case page shows the whole file without cases importing them.
"""

from zhifa.core.registry import Registry

case_panels = Registry("cases.panels", "template -> context(request, case) -> dict, kept in order (documents 10, evidence 20 …).")


def panels(request, case) -> list[dict]:
    return [{"template": template, **case_panels.get(template)(request, case)} for template in case_panels.keys()]
