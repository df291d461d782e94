"""Published procedures are public (公示): no scoping."""

from django.db.models import Max
from django.http import Http404

from .models import ProcedureDefinition


def current_definitions() -> list[ProcedureDefinition]:
    latest = ProcedureDefinition.objects.values("code").annotate(v=Max("version"))
    wanted = {(row["code"], row["v"]) for row in latest}
    return [d for d in ProcedureDefinition.objects.order_by("category", "code") if (d.code, d.version) in wanted]


def current(code: str) -> ProcedureDefinition:
    found = ProcedureDefinition.objects.filter(code=code).order_by("-version").first()
    if found is None:
        raise Http404("未找到该执法程序，或尚未发布。")
    return found


def versions(code: str):
    """Every published version of a procedure, newest first (the public page lists them)."""
    return ProcedureDefinition.objects.filter(code=code).order_by("-version")
