"""Who hears of a 双随机 round (workflow.rules.notification_rules): every inspector drawn, when the draw is made;
the replacement, when an inspector recuses."""

from zhifa.workflow.models import Category
from zhifa.workflow.rules import Event, Notice


def drawn(event: Event) -> list[Notice]:
    from .models import TaskInspector

    plan_id = event.data.get("plan") or event.object_id
    people = sorted(set(TaskInspector.objects.filter(task__plan_id=plan_id, is_active=True).values_list("person_id", flat=True)))
    if not people:
        return []
    number, title = event.data.get("number", ""), event.data.get("title", "")
    return [Notice(people, Category.INSPECTION, f"您已被抽中参加双随机抽查：{number}",
                   f"{title}。检查期间 {event.data.get('starts_on')} 至 {event.data.get('ends_on')}，请查看分派给您的检查任务。",
                   f"/inspections/tasks/?mine=1&plan={plan_id}")]


def recused(event: Event) -> list[Notice]:
    replacement = event.data.get("replacement")
    if not replacement:
        return []
    return [Notice([replacement], Category.INSPECTION, "您已被抽取替换回避的执法检查人员",
                   "原检查人员因回避退出检查组，按公开的抽取规则由您替换。", f"/inspections/tasks/{event.data.get('task')}/")]
