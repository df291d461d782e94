"""The inspections part of `zhifa ledger verify`: libraries, rules, plans and tasks replayed from the ledger, and
every draw re-computed from its frozen pools as a member of the public would (zhifa/inspections/drawing.py)."""

import json

from zhifa.ledger import services as ledger
from zhifa.ledger.models import LedgerEvent
from zhifa.ledger.replay import Spec, compare, field_labels, replay, replayed

from . import drawing
from .models import Draw, Inspector, Plan, Rule, Task, TaskStatus, YearlyCap
from .records import public_record
from .services import CAP_FIELDS, INSPECTOR_FIELDS, RULE_FIELDS, TASK_FIELDS, _plan_state

INSPECTORS = replayed(Spec("inspections.inspector", "执法检查人员名录", created={"inspections.inspector.saved"}))
RULES = replayed(Spec("inspections.rule", "抽查比例与频次", created={"inspections.rule.saved"}))
CAPS = replayed(Spec("inspections.yearlycap", "年度抽查次数上限", created={"inspections.cap.saved"}))
PLANS = replayed(Spec("inspections.plan", "抽查计划", created={
    "inspections.plan.created", "inspections.draw.committed", "inspections.draw.made", "inspections.plan.finished"}))
TASKS = replayed(Spec("inspections.task", "检查任务", created={"inspections.task.started", "inspections.task.result"}))


def check_inspections(report, check_files: bool) -> None:
    compare(report, INSPECTORS, ((e.pk, str(e.person), ledger.snapshot(e, INSPECTOR_FIELDS))
                                 for e in Inspector.objects.select_related("person").order_by("pk")), field_labels(Inspector))
    compare(report, RULES, ((r.pk, str(r), ledger.snapshot(r, RULE_FIELDS)) for r in Rule.objects.select_related("item").order_by("pk")),
            field_labels(Rule))
    compare(report, CAPS, ((c.pk, f"{c.year} 年", ledger.snapshot(c, CAP_FIELDS)) for c in YearlyCap.objects.order_by("pk")),
            field_labels(YearlyCap))
    compare(report, PLANS, ((p.pk, p.number, _plan_state(p)) for p in Plan.objects.prefetch_related("partners").order_by("pk")),
            field_labels(Plan, {"partners": "联合抽查部门"}))
    _check_tasks(report)
    for draw in Draw.objects.select_related("plan", "plan__agency", "plan__item").order_by("plan_id"):
        _check_draw(report, draw)


def _check_tasks(report) -> None:
    """A task is made by its draw (checked below) and is on the ledger from its first step on: one with no
    event must still be as drawn."""
    prepared = getattr(report, "replay", None)
    expected = prepared.take(TASKS) if prepared is not None else None
    if expected is None:
        expected = replay(TASKS)
    labels = field_labels(Task)
    for task in Task.objects.select_related("plan").order_by("pk").iterator(chunk_size=5000):
        name = f"{task.plan.number} 第 {task.position} 号"
        recorded = expected.pop(str(task.pk), None)
        state = ledger.snapshot(task, TASK_FIELDS)
        if recorded is None:
            if task.status != TaskStatus.ASSIGNED or task.case_id or task.outcome:
                report.problem("state", f"检查任务“{name}”已开始或已有结果，但账本中没有记录。")
            continue
        for key, value in state.items():
            if recorded.get(key) != value:
                report.problem("state", f"检查任务“{name}”的“{labels(key)}”与账本记载不符：账本为 {recorded.get(key)!r}，数据库中为 {value!r}。")
    for object_id in expected:
        report.problem("state", f"账本记载的检查任务（ID {object_id}）在数据库中已被删除。")


def _data(kind: str, object_type: str, object_ids) -> list[dict]:
    """The data of the events of `kind` about the given objects, in ledger order."""
    entries = LedgerEvent.objects.filter(kind=kind, object_type=object_type, object_id__in=[str(i) for i in object_ids])
    return [json.loads(entry)["data"] for entry in entries.order_by("seq").values_list("entry", flat=True)]


def _check_draw(report, draw: Draw) -> None:
    number = draw.plan.number
    committed = _data("inspections.draw.committed", "inspections.plan", [draw.plan_id])
    if not committed:
        report.problem("state", f"抽查计划“{number}”的名单固化在账本中没有记录。")
        return
    for field, label in (("targets_sm3", "检查对象名单"), ("inspectors_sm3", "执法检查人员名单"), ("parameters_sm3", "抽取参数")):
        if committed[-1].get(field) != getattr(draw, field):
            report.problem("state", f"抽查计划“{number}”的{label}摘要与账本中的承诺不符。")
    record = public_record(draw)
    if draw.seed:
        made = _data("inspections.draw.made", "inspections.plan", [draw.plan_id])
        if not made:
            report.problem("state", f"抽查计划“{number}”的摇号在账本中没有记录。")
            return
        if made[-1].get("seed") != draw.seed:
            report.problem("state", f"抽查计划“{number}”的随机种子与账本记载不符。")
        if made[-1].get("result_sm3") != drawing.sm3(drawing.canonical(draw.initial)).hex():
            report.problem("state", f"抽查计划“{number}”的摇号结果与账本记载不符。")
        if made[-1].get("skipped") != draw.skipped:
            report.problem("state", f"抽查计划“{number}”因年度上限跳过的检查对象与账本记载不符。")
        recused = _data("inspections.task.recused", "inspections.task", draw.plan.tasks.values_list("pk", flat=True))
        on_ledger = [(str(d["target"]), str(d["inspector"]), str(d["replacement"])) for d in recused]
        if [(r["target"], r["inspector"], r["replacement"]) for r in record["recusals"]] != on_ledger:
            report.problem("state", f"抽查计划“{number}”的回避记录与账本记载不符。")
    for problem in drawing.verify(record):
        if draw.seed or "尚未摇号" not in problem:
            report.problem("state", f"抽查计划“{number}”：{problem}")
