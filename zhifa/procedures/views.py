"""Public pages (公示, no login): the procedures the agencies execute, with their flowcharts."""

from django.http import HttpResponse
from django.shortcuts import render

from zhifa.procedures.document_types import document_name

from . import selectors
from .definitions import CATEGORIES, GUARDS, RECORDING_LEVELS
from .flowchart import render_svg


def procedure_list(request):
    return render(
        request, "procedures/public_list.html", {"definitions": selectors.current_definitions(), "categories": CATEGORIES}
    )


def procedure_detail(request, code):
    version = selectors.current(code)
    procedure = version.procedure
    stages = [
        {
            **stage,
            "document_names": [document_name(d) for d in stage.get("documents", [])],
            "any_document_names": [document_name(d) for d in stage.get("documents_any", [])],
            "recording_text": RECORDING_LEVELS.get(stage.get("recordings", ""), ""),
            "exits": [
                {**t, "to_name": procedure.stage_name(t["to"]), "guard_texts": [GUARDS[g] for g in t.get("guards", [])]}
                for t in procedure.transitions_from(stage["code"])
            ],
        }
        for stage in procedure.stages
    ]
    deadlines = [
        {**d, "start_name": procedure.stage_name(d["start"]), "end_name": procedure.stage_name(d["end"])}
        for d in procedure.deadlines
    ]
    return render(
        request,
        "procedures/public_detail.html",
        {"version": version, "procedure": procedure, "stages": stages, "deadlines": deadlines, "svg": render_svg(procedure),
         "versions": selectors.versions(code)},
    )


def procedure_flowchart(request, code):
    response = HttpResponse(render_svg(selectors.current(code).procedure), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
