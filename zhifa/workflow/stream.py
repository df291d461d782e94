"""实时推送 inside zhifa: a server-sent-events stream of the events that may be pushed (decisions issued,
publications, withdrawals, alerts …) for the agencies the signed-in person may see — a supervisor's region, an
officer's or head's own agency. The browser's EventSource reconnects by itself with Last-Event-ID (the ledger seq),
so a stream is held for at most STREAM_SECONDS and nothing is missed between two connections."""

import json
import time

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse

from zhifa.ledger import events as kinds
from zhifa.ledger import tree
from zhifa.ledger.models import LedgerEvent
from zhifa.org.selectors import sees_all_agencies, visible_agencies

from .rules import Event, push_data, push_kinds

STREAM_SECONDS = 25  # a gunicorn thread is held this long at most; the browser reconnects at once
POLL_SECONDS = 1.0
BATCH = 100


def _message(row: LedgerEvent, agencies: dict) -> str:
    event = Event.from_row(row)
    body = {"seq": row.seq, "kind": row.kind, "label": kinds.label(row.kind), "time": event.entry.get("time"),
            "agency": agencies.get(row.agency_id, ""), "object": (event.entry.get("object") or {}).get("label", ""), "data": push_data(event)}
    return f"id: {row.seq}\nevent: zhifa\ndata: {json.dumps(body, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _start(request) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after", "")
    if raw.isascii() and raw.isdigit() and len(raw) < 19:
        return int(raw)
    return tree.size() - 1  # a new connection starts from now


@login_required
def event_stream(request):
    user = request.user
    every = sees_all_agencies(user)
    agencies = dict(visible_agencies(user).values_list("pk", "short_name"))
    wanted = list(push_kinds.keys())
    after = _start(request)
    once = request.GET.get("once") == "1"  # answer what is there and close (tests, and clients that poll)

    def rows(since):
        q = LedgerEvent.objects.filter(seq__gt=since, kind__in=wanted).order_by("seq")
        if not every:
            q = q.filter(agency_id__in=list(agencies))
        return list(q[:BATCH])

    def stream():
        nonlocal after
        yield "retry: 2000\n\n"
        ends = time.monotonic() + STREAM_SECONDS
        beat = time.monotonic()
        while True:
            found = rows(after)
            for row in found:
                after = row.seq
                yield _message(row, agencies)
            if once or time.monotonic() >= ends:
                return
            if time.monotonic() - beat > 10:
                beat = time.monotonic()
                yield ": keepalive\n\n"
            if len(found) < BATCH:
                time.sleep(POLL_SECONDS)

    response = StreamingHttpResponse(stream(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
