"""Replaying the ledger: what each domain row should hold now, compared with what it does hold.

The ledger is the record of truth; domain tables are its current state. A row edited, inserted or
deleted behind the services' back differs from the replay, and `zhifa ledger verify` names it.

Event data conventions (all services follow them):
  created / set kinds   data is the object's full snapshot (extra keys are ignored)
  updated kinds         data["changes"] = {field: [old, new]}
  removed kinds         the object no longer exists
"""

import json
from dataclasses import dataclass, field

from .models import LedgerEvent


@dataclass
class Spec:
    object_type: str  # e.g. "org.person"
    label: str  # Chinese name of the object, e.g. "人员"
    created: set = field(default_factory=set)
    updated: set = field(default_factory=set)
    removed: set = field(default_factory=set)


SPECS: list[Spec] = []


def replayed(spec: Spec) -> Spec:
    """Declare a spec when its module is imported, so that `zhifa ledger verify` replays it during its one pass
    over the events (each entry is read and decoded once, not once more per object type)."""
    if spec not in SPECS:
        SPECS.append(spec)
    return spec


def _apply(spec: Spec, state: dict, object_id: str, kind: str, data) -> None:
    if not isinstance(data, dict):
        data = {}
    if kind in spec.created:
        state[object_id] = dict(data)
    elif kind in spec.updated and state.get(object_id) is not None:
        for name, (_old, new) in (data.get("changes") or {}).items():
            state[object_id][name] = new
    elif kind in spec.removed:
        state[object_id] = None


class Replay:
    """The declared specs replayed together: the verifier feeds it every event it has decoded, in order."""

    def __init__(self, specs=None):
        self.specs = list(SPECS if specs is None else specs)
        self.states = [{} for _ in self.specs]
        self.by_type: dict[str, list[int]] = {}
        for i, spec in enumerate(self.specs):
            self.by_type.setdefault(spec.object_type, []).append(i)

    def feed(self, object_type: str, object_id: str, kind: str, entry: dict) -> None:
        for i in self.by_type.get(object_type, ()):
            _apply(self.specs[i], self.states[i], object_id, kind, entry.get("data", {}))

    def take(self, spec: Spec) -> dict | None:
        """The state replayed for `spec` (handed out once), or None when the spec was not declared."""
        for i, declared in enumerate(self.specs):
            if declared == spec and self.states[i] is not None:
                state, self.states[i] = self.states[i], None
                return state
        return None


def replay(spec: Spec) -> dict[str, dict | None]:
    """One spec replayed on its own, reading its events from the database."""
    state: dict[str, dict | None] = {}
    rows = (
        LedgerEvent.objects.filter(object_type=spec.object_type)
        .order_by("seq")
        .values_list("object_id", "kind", "entry")
        .iterator(chunk_size=5000)
    )
    for object_id, kind, entry in rows:
        _apply(spec, state, object_id, kind, json.loads(entry).get("data", {}))
    return state


def compare(report, spec: Spec, current, field_label) -> None:
    """current: iterable of (object_id, display name, snapshot); field_label(name) -> Chinese.
    The recorded states come from the verifier's single pass (report.replay) when it replayed this spec."""
    prepared = getattr(report, "replay", None)
    expected = prepared.take(spec) if prepared is not None else None
    if expected is None:
        expected = replay(spec)
    for object_id, name, snapshot in current:
        recorded = expected.pop(str(object_id), None)
        if recorded is None:
            report.problem("state", f"{spec.label}“{name}”在账本中没有记录：它不是经由系统写入的，或其记录已被删除。")
            continue
        for key, value in snapshot.items():
            if recorded.get(key) != value:
                report.problem(
                    "state",
                    f"{spec.label}“{name}”的“{field_label(key)}”与账本记载不符："
                    f"账本为 {_short(recorded.get(key))}，数据库中为 {_short(value)}。",
                )
    for object_id, recorded in expected.items():
        if recorded is not None:
            name = next((recorded[k] for k in ("number", "name", "full_name", "username", "date") if recorded.get(k)), "")
            report.problem("state", f"账本记载的{spec.label}“{name}”（ID {object_id}）在数据库中已被删除。")


def _short(value, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_labels(model, extra: dict | None = None):
    """field name -> its Chinese verbose_name, for compare()'s messages."""

    def label(name):
        if extra and name in extra:
            return extra[name]
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:
            return name

    return label
