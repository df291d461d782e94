"""Extension points: a lower app declares a Registry, apps above fill it in their AppConfig.ready().

This is how an app offers something to the apps above it without importing them (docs/architecture.md):
cases asks "which documents has this case issued?" through a registry that documents fills, and the case
page shows panels that documents, evidence and review register. Registering the same key again replaces
the entry, so a ready() that runs twice (tests, autoreload) leaves one entry.
"""

from collections.abc import Callable, Iterator
from typing import Any


class Registry:
    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc
        self._entries: dict[Any, tuple[float, Any]] = {}

    def register(self, value: Any, *, key: Any = None, order: float = 0) -> Any:
        """Add `value` under `key` (default: the value itself); entries are kept in `order`, then insertion."""
        self._entries[value if key is None else key] = (order, value)
        return value

    def __call__(self, value: Callable) -> Callable:
        """Use as a decorator: @registry."""
        return self.register(value)

    def get(self, key: Any, default: Any = None) -> Any:
        entry = self._entries.get(key)
        return default if entry is None else entry[1]

    def __contains__(self, key: Any) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[Any]:
        return iter(self.values())

    def __len__(self) -> int:
        return len(self._entries)

    def values(self) -> list[Any]:
        return [value for _, value in sorted(self._entries.values(), key=lambda e: e[0])]

    def keys(self) -> list[Any]:
        return [key for key, _ in sorted(self._entries.items(), key=lambda e: e[1][0])]

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self)}>"
