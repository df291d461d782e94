"""What the dispatcher makes of a ledger event: notices to people, and pushes to subscribed platforms.

Both are registries that the apps owning the events fill in their AppConfig.ready() (docs/architecture.md):
review says who hears of a submitted review, publicity which of its events may be pushed and in what shape.
"""

import dataclasses
import json
from collections.abc import Callable

from zhifa.core.registry import Registry


@dataclasses.dataclass
class Event:
    """A ledger event as the rules see it: the row's columns and its parsed entry."""

    seq: int
    kind: str
    agency_id: int | None
    object_type: str
    object_id: str
    actor_id: int | None
    entry: dict

    @property
    def data(self) -> dict:
        return self.entry.get("data") or {}

    @property
    def label(self) -> str:
        return (self.entry.get("object") or {}).get("label", "")

    @classmethod
    def from_row(cls, row) -> "Event":
        return cls(row.seq, row.kind, row.agency_id, row.object_type, row.object_id, row.actor_id, json.loads(row.entry))


@dataclasses.dataclass
class Notice:
    recipients: list  # person ids
    category: str
    title: str
    body: str = ""
    link: str = ""
    key: str = ""  # default: "ledger:<seq>"


@dataclasses.dataclass(frozen=True)
class PushKind:
    label: str
    # The event's content as the receiving platform gets it (default: the ledger entry's data).
    payload: Callable[[Event], dict] | None = None


def has_own_payload(kind: str) -> bool:
    entry = push_kinds.get(kind)
    return bool(entry and entry.payload)


def push_data(event: "Event") -> dict:
    """What a receiver (a webhook, the live stream) is given of an event: its kind's payload, or the entry's data."""
    entry = push_kinds.get(event.kind)
    return entry.payload(event) if entry and entry.payload else event.data


notification_rules = Registry(
    "workflow.notification_rules",
    "ledger kind -> rule(event) -> list[Notice]: who is told of the event, and what (filled by the owning app).",
)
push_kinds = Registry(
    "workflow.push_kinds",
    "ledger kind -> PushKind: the events an administrator may subscribe external platforms to (执法决定实时推送).",
)


@dataclasses.dataclass(frozen=True)
class ApprovalKind:
    label: str
    # Called inside the head's decision, after the approval is recorded as approved: does what was approved (e.g.
    # issues the document, signed by the head). A ValidationError it raises undoes the decision and is shown.
    on_approved: Callable | None = None


approval_kinds = Registry("workflow.approval_kinds", "kind -> ApprovalKind: what may be sent to the head, and what approval does.")
# Sections of each person's 待办 on the home page: key -> source(user) -> list[TodoGroup] (filled by the apps).
todo_sources = Registry("workflow.todo_sources", "key -> source(user) -> list[TodoGroup]: the work waiting for this person.")


@dataclasses.dataclass
class TodoGroup:
    title: str
    count: int
    items: list  # of (text, due date or None, link)
    link: str = ""  # the full list
    urgent: int = 0  # how many are overdue or due today
