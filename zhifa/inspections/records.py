"""The public record of a draw (format zhifa-draw/1): everything a third party needs to re-compute it with
zhifa/inspections/drawing.py, and nothing that is not public (natural persons are masked in the pools)."""

from django.utils import timezone

from . import drawing
from .models import Draw, SeedSource, TaskInspector
from .services import pool_lines


def recusals(draw: Draw) -> list[dict]:
    """The recusals of a draw in the order they happened (each replacement row is made at its recusal)."""
    rows = (TaskInspector.objects.filter(task__plan_id=draw.plan_id, replaced_by__isnull=False)
            .select_related("task", "replaced_by").order_by("replaced_by_id"))
    return [
        {"target": str(m.task.target_id), "inspector": str(m.person_id), "replacement": str(m.replaced_by.person_id),
         "reason": m.recusal_reason, "at": timezone.localtime(m.recused_at).isoformat(timespec="seconds")}
        for m in rows
    ]


def final_teams(draw: Draw) -> list[dict]:
    """Each drawn target's team as it stands (recusals applied), in draw order; each agency's people sorted."""
    teams: dict[str, dict[str, list[str]]] = {}
    for target, agency, person in (TaskInspector.objects.filter(task__plan_id=draw.plan_id, is_active=True)
                                   .values_list("task__target_id", "agency_id", "person_id")):
        teams.setdefault(str(target), {}).setdefault(str(agency), []).append(str(person))
    return [
        {"target": row["target"], "stratum": row["stratum"],
         "inspectors": {a["key"]: sorted(teams.get(row["target"], {}).get(a["key"], [])) for a in draw.parameters["agencies"]}}
        for row in draw.initial or []
    ]


def public_record(draw: Draw) -> dict:
    plan = draw.plan
    record = {
        "format": drawing.FORMAT,
        "plan": {
            "id": plan.pk, "number": plan.number, "title": plan.title, "agency": plan.agency.name, "year": plan.year, "round": plan.round,
            "item": {"code": plan.item.code, "name": plan.item.name},
            "partners": [a.name for a in plan.partners.order_by("pk")],
        },
        "parameters": draw.parameters,
        "pools": {"targets": pool_lines(draw.targets), "inspectors": pool_lines(draw.inspectors)},
        "commitment": {
            "targets_sm3": draw.targets_sm3, "inspectors_sm3": draw.inspectors_sm3, "parameters_sm3": draw.parameters_sm3,
            "ledger_seq": draw.commitment_seq, "committed_at": timezone.localtime(draw.committed_at).isoformat(timespec="seconds"),
            "seed_source": plan.seed_source, "seed_description": plan.seed_description or SeedSource(plan.seed_source).label,
        },
        "seed": {},
        "result": {},
        "recusals": [],
    }
    if draw.seed:
        record["seed"] = {
            "source": plan.seed_source, "source_label": plan.seed_description or SeedSource(plan.seed_source).label,
            "value": draw.seed, "tree_head": draw.seed_head,
            "entered_at": timezone.localtime(draw.seed_entered_at).isoformat(timespec="seconds") if draw.seed_entered_at else None,
        }
        record["result"] = {"initial": draw.initial, "skipped": draw.skipped, "final": final_teams(draw)}
        record["recusals"] = recusals(draw)
    return record


def record_for(plan) -> dict | None:
    """The public record of a plan's draw, or None before its pools are frozen."""
    draw = Draw.objects.filter(plan=plan).select_related("plan", "plan__agency", "plan__item").first()
    return public_record(draw) if draw is not None else None
