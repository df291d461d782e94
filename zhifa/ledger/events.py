"""The declared kinds of ledger event: each with its Chinese label and the data fields it must carry.

Every app declares its own kinds in `<app>/events.py` with `declare(...)`; the ledger imports those modules
when Django starts (LedgerConfig.ready autodiscovers them, as the admin does), so the ledger imports no app.
`services.append` refuses a kind that is not declared and data that lacks a declared field: an event whose
meaning is not written down is not recorded. The list of kinds in docs/ledger.md is generated from here
(`zhifa ledger kinds --markdown`) and a test keeps it current.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class EventKind:
    name: str  # "<app>.<object>.<verb>", e.g. "cases.case.opened"
    label: str  # shown to people instead of the name
    fields: tuple[str, ...] = ()  # keys the event's data must have (it may have more: state snapshots)
    description: str = ""
    testing: bool = False  # declared by a test or a bench; never listed, never emitted by the code

    @property
    def app(self) -> str:
        return self.name.split(".", 1)[0]


class UndeclaredEvent(ValueError):
    """A programming error: a service appended an undeclared kind, or left out a declared field."""


_declared: dict[str, EventKind] = {}


def declare(
    name: str, label: str, fields: tuple[str, ...] | list[str] | str = (), description: str = "", *, testing: bool = False
) -> EventKind:
    if isinstance(fields, str):
        fields = fields.split()
    kind = EventKind(name, label, tuple(fields), description, testing)
    existing = _declared.get(name)
    if existing is not None and existing != kind:
        raise UndeclaredEvent(f"账本事件类型 {name} 被重复声明且内容不同。")
    _declared[name] = kind
    return kind


def get(name: str) -> EventKind | None:
    return _declared.get(name)


def all_kinds(*, testing: bool = False) -> list[EventKind]:
    """The declared kinds, by name; those declared by tests and benches only with testing=True."""
    return sorted((k for k in _declared.values() if testing or not k.testing), key=lambda k: k.name)


def label(name: str) -> str:
    kind = _declared.get(name)
    return kind.label if kind else "其他事件"


def check(name: str, data: dict) -> EventKind:
    kind = _declared.get(name)
    if kind is None:
        raise UndeclaredEvent(f"未声明的账本事件类型：{name}（请在该应用的 events.py 中声明）。")
    missing = [f for f in kind.fields if f not in data]
    if missing:
        raise UndeclaredEvent(f"账本事件 {name} 缺少声明的数据字段：{'、'.join(missing)}。")
    return kind


def markdown() -> str:
    """The table of kinds for docs/ledger.md."""
    lines = ["| 事件类型 | 含义 | 必有的数据字段 |", "|---|---|---|"]
    for kind in all_kinds():
        fields = "、".join(f"`{f}`" for f in kind.fields) or "—"
        lines.append(f"| `{kind.name}` | {kind.label} | {fields} |")
    return "\n".join(lines) + "\n"


# The ledger's own kinds.
declare("ledger.verified", "账本全量校验", "ok tree_size tree_heads problems")
declare("ledger.key_changed", "更换账本签名密钥", "old_key_id new_key_id new_public_key_pem timestamp_ms signature")
declare("ledger.witness_added", "登记见证方", "name url key_id")
declare("ledger.witness_removed", "停用见证方", "name")
