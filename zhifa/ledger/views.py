import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import events as events_module
from . import rfc9162, selectors, services, tree
from .filters import EventFilter
from .models import SigningKey

PER_PAGE = 50


@login_required
def ledger_overview(request):
    head = services.latest_head()
    found = EventFilter(request.GET, queryset=selectors.visible_events(request.user).order_by("-seq"))
    events = found.qs if found.is_valid() else found.queryset
    kind = request.GET.get("kind", "").strip()[:60]
    # Keyset pages by sequence number (newest first): the index answers any page of a million events at once,
    # where a page number needs an exact count and an OFFSET that grow with the ledger.
    before = request.GET.get("before", "")
    if before.isascii() and before.isdigit() and len(before) <= 18:
        events = events.filter(seq__lt=int(before))
    rows = list(events[: PER_PAGE + 1])
    older = rows[PER_PAGE - 1].seq if len(rows) > PER_PAGE else None
    return render(
        request,
        "ledger/overview.html",
        {
            "head": head,
            "keys": SigningKey.objects.order_by("-id"),
            "witnesses": selectors.witnesses(),
            "page": rows[:PER_PAGE],
            "older": older,
            "paged": bool(before),
            "kind": kind,
            "kinds": events_module.all_kinds(),
            "verification": selectors.last_verification(),
            "show_problems": request.user.visible_agency_ids() is None,
        },
    )


@login_required
def event_detail(request, seq):
    event = selectors.get_event(request.user, seq)
    head = services.latest_head()
    proof, verified = None, False
    if head is not None and event.seq < head.tree_size:
        proof = tree.inclusion_proof(event.seq, head.tree_size)
        verified = rfc9162.verify_inclusion(
            event.seq,
            head.tree_size,
            rfc9162.leaf_hash(event.entry.encode()),
            [bytes.fromhex(h) for h in proof["inclusion_path"]],
            bytes.fromhex(head.root_hash),
        )
    return render(
        request,
        "ledger/event_detail.html",
        {
            "event": event,
            "entry": json.dumps(json.loads(event.entry), ensure_ascii=False, indent=2),
            "head": head,
            "proof": proof,
            "verified": verified,
        },
    )
