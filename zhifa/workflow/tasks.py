"""Workflow tasks: sending a delivery, sending e-mails, dispatching the ledger, and the minute sweep."""

import datetime as dt
import threading
import time

from django_tasks import task


@task()
def deliver(delivery_id: int) -> str | None:
    from . import services

    d = services.send(delivery_id)
    return d.status if d else None


@task()
def send_emails() -> int:
    from . import services

    return services.send_due_emails()


@task()
def dispatch() -> dict:
    from . import services

    return services.dispatch_all()


# After a commit that appended to the ledger, a dispatch one second later; commits within that second share it.
_nudged = 0.0
_lock = threading.Lock()
NUDGE_SECONDS = 1.0


def nudge(events: int) -> None:
    global _nudged
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:  # no worker: tasks run where they are enqueued, and a delayed one would never run
        dispatch.enqueue()
        return
    with _lock:
        now = time.monotonic()
        if now - _nudged < NUDGE_SECONDS:
            return
        _nudged = now
    from django.utils import timezone

    dispatch.using(run_after=timezone.now() + dt.timedelta(seconds=NUDGE_SECONDS)).enqueue()
