"""Who hears of a legal review (workflow.rules.notification_rules): the reviewers when a case is submitted, the
officer who submitted it when the opinion is given, the agency's heads when it goes to 集体讨论."""

from zhifa.core.roles import Role
from zhifa.workflow.models import Category
from zhifa.workflow.people import with_role
from zhifa.workflow.rules import Event, Notice


def _case(event: Event):
    from zhifa.cases.models import Case

    return Case.objects.filter(pk=event.data.get("case")).only("pk", "number", "title").first()


def submitted(event: Event) -> list[Notice]:
    case = _case(event)
    if case is None:
        return []
    return [Notice(with_role(Role.REVIEWER, event.agency_id), Category.REVIEW, f"待法制审核：{case.number}",
                   f"{case.title}（第 {event.data.get('round')} 次送审），请于 {event.data.get('due_date')} 前完成审核。", f"/review/{event.object_id}/")]


def decided(event: Event) -> list[Notice]:
    case = _case(event)
    if case is None or not event.data.get("submitted_by"):
        return []
    from zhifa.review.models import ReviewStatus

    outcome = dict(ReviewStatus.choices).get(event.data.get("status"), event.data.get("status"))
    return [Notice([event.data["submitted_by"]], Category.REVIEW, f"法制审核意见：{case.number} {outcome}", event.data.get("opinion") or "", f"/cases/{case.pk}/")]


def escalated(event: Event) -> list[Notice]:
    case = _case(event)
    if case is None:
        return []
    return [Notice(with_role(Role.HEAD, event.agency_id), Category.APPROVAL, f"待集体讨论：{case.number}", case.title, f"/review/{event.object_id}/")]
