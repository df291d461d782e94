"""Sections of the case page contributed by apps above cases (documents, evidence, review).

Each registers (order, template, context(request, case) -> dict) in its AppConfig.ready, so the
case page shows the whole file without cases importing them.
"""

_panels: list[tuple[int, str, callable]] = []


def register_panel(order: int, template: str, context) -> None:
    if not any(t == template for _, t, _ in _panels):
        _panels.append((order, template, context))
        _panels.sort(key=lambda p: p[0])


def panels(request, case) -> list[dict]:
    return [{"template": template, **context(request, case)} for _, template, context in _panels]
