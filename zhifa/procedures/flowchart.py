"""The public flowchart (流程图), drawn as SVG from the same definition the case engine executes."""

from html import escape

from .definitions import Procedure

BOX_W, BOX_H = 176, 46
COL_W, ROW_H = 212, 92
MARGIN = 24
BACK_LANE = 26  # room on the right for arrows that go back to an earlier stage


def layout(procedure: Procedure) -> tuple[dict[str, tuple[int, int]], list[dict], list[dict]]:
    """(position per stage as (layer, column), forward transitions, backward transitions).

    A depth-first walk marks the transitions that close a cycle (退回补充调查) as backward; the
    rest form a DAG, layered by longest path so that every forward arrow points down.
    """
    transitions = procedure.data["transitions"]
    backward_ids, state = set(), {}

    def visit(code):
        state[code] = "open"
        for i, t in enumerate(transitions):
            if t["from"] != code:
                continue
            if state.get(t["to"]) == "open":
                backward_ids.add(i)
            elif t["to"] not in state:
                visit(t["to"])
        state[code] = "done"

    visit(procedure.start)
    for stage in procedure.stages:
        if stage["code"] not in state:
            visit(stage["code"])
    forward = [t for i, t in enumerate(transitions) if i not in backward_ids]
    backward = [t for i, t in enumerate(transitions) if i in backward_ids]
    layer = {stage["code"]: 0 for stage in procedure.stages}
    for _ in range(len(layer)):  # longest path; the forward edges have no cycle
        for t in forward:
            layer[t["to"]] = max(layer[t["to"]], layer[t["from"]] + 1)
    columns: dict[int, int] = {}
    position = {}
    for stage in procedure.stages:
        code = stage["code"]
        position[code] = (layer[code], columns.get(layer[code], 0))
        columns[layer[code]] = columns.get(layer[code], 0) + 1
    return position, forward, backward


def render_svg(procedure: Procedure, current: str | None = None, visited=()) -> str:
    """current: a case's stage, drawn filled; visited: stages it has passed through."""
    position, forward, backward = layout(procedure)
    skips = [t for t in forward if position[t["to"]][0] - position[t["from"]][0] > 1]
    widest = max(col for _, col in position.values()) + 1
    rows = max(layer for layer, _ in position.values()) + 1
    left = MARGIN + BACK_LANE * (len(skips) + 1)
    width = max(left + widest * COL_W + BACK_LANE * (len(backward) + 1) + MARGIN, 640)  # room for the legend
    height = MARGIN * 2 + rows * ROW_H + 20

    def box(code):
        layer, col = position[code]
        offset = (widest - _row_width(position, layer)) * COL_W / 2
        return left + offset + col * COL_W + (COL_W - BOX_W) / 2, MARGIN + 30 + layer * ROW_H

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-label="{escape(procedure.name)}流程图" font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif">',
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
        "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>",
        f'<text x="{MARGIN}" y="{MARGIN}" font-size="16" font-weight="bold" fill="#222">{escape(procedure.name)}</text>',
    ]

    def arrow(d, t, color="#555", dash=""):
        dash = dash or ("5 3" if t.get("guards") else "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<path d="{d}" fill="none" stroke="{color}" stroke-width="1.4"{dash_attr} marker-end="url(#arrow)">'
            f'<title>{escape(t["name"])}</title></path>'
        )

    span = lambda t: position[t["to"]][0] - position[t["from"]][0]  # noqa: E731
    lanes = {id(t): i for i, t in enumerate(sorted(skips, key=span), start=1)}  # short spans run innermost
    for t in forward:
        x1, y1 = box(t["from"])
        x2, y2 = box(t["to"])
        if id(t) in lanes:  # around the stages it passes, on the left
            x = left - lanes[id(t)] * BACK_LANE
            arrow(f"M{x1:.0f},{y1 + BOX_H / 2 - 6:.0f} H{x:.0f} V{y2 + BOX_H / 2 + 6:.0f} H{x2:.0f}", t)
        else:
            sx, sy, ex, ey = x1 + BOX_W / 2, y1 + BOX_H, x2 + BOX_W / 2, y2
            arrow(f"M{sx:.0f},{sy:.0f} C{sx:.0f},{sy + 30:.0f} {ex:.0f},{ey - 30:.0f} {ex:.0f},{ey:.0f}", t)
    for lane, t in enumerate(backward, start=1):
        x1, y1 = box(t["from"])
        x2, y2 = box(t["to"])
        right = left + widest * COL_W + lane * BACK_LANE
        arrow(f"M{x1 + BOX_W:.0f},{y1 + BOX_H / 2:.0f} H{right:.0f} V{y2 + BOX_H / 2:.0f} H{x2 + BOX_W:.0f}", t, "#999", "3 3")
    for stage in procedure.stages:
        x, y = box(stage["code"])
        stroke = "#b3261e" if stage["code"] == procedure.start or stage.get("final") else "#37474f"
        width_attr = 2.4 if stage.get("final") else 1.4
        fill, ink = "#fff", "#222"
        if stage["code"] == current:
            fill, ink = "#b3261e", "#fff"
        elif stage["code"] in visited:
            fill = "#f1e6e5"
        parts.append(
            f'<g><title>{escape(stage.get("description", ""))}</title>'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="{width_attr}"/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + 28:.0f}" font-size="15" text-anchor="middle" fill="{ink}">{escape(stage["name"])}</text>'
        )
        if stage.get("recordings") == "required":
            parts.append(
                f'<text x="{x + BOX_W - 6:.0f}" y="{y + 13:.0f}" font-size="10" text-anchor="end" fill="#b3261e">全程音像</text>'
            )
        parts.append("</g>")
    parts.append(
        f'<text x="{MARGIN}" y="{height - 10:.0f}" font-size="11" fill="#666">'
        "实线：一般流转；虚线：附条件流转（悬停查看条件）；左侧折线：跨环节流转；灰色虚线：退回补充。</text></svg>"
    )
    return "\n".join(parts)


def _row_width(position, layer) -> int:
    return sum(1 for lay, _ in position.values() if lay == layer)
