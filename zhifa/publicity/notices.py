"""Publicity and the workflow app: the heads hear of a publication waiting for release; external platforms may
subscribe to releases, withdrawals, take-downs and corrections, and get what the portal shows, nothing more."""

from zhifa.core.roles import Role
from zhifa.workflow.models import Category
from zhifa.workflow.people import with_role
from zhifa.workflow.rules import Event, Notice, PushKind

# What the portal shows of a publication (public_detail.html): the same, and only that, goes to a subscriber.
PUBLIC_FIELDS = ("agency", "category", "decision_number", "decision_date", "conclusion", "basis", "fine_amount", "text", "status",
                 "published_on", "take_down_on", "withdrawn_on", "withdrawal_reason")


def public_payload(event: Event) -> dict:
    data = event.data
    out = {k: data.get(k) for k in PUBLIC_FIELDS}
    out["token"] = data.get("token")
    if data.get("status") != "withdrawn":
        out["party_name"] = data.get("party_name")
        out["party_code"] = "" if data.get("party_is_person") else data.get("party_code")
    else:  # withdrawn: the portal no longer names the party, and neither does the push
        out["text"] = ""
    return out


def prepared(event: Event) -> list[Notice]:
    number = event.data.get("decision_number", "")
    return [Notice(with_role(Role.HEAD, event.agency_id), Category.APPROVAL, f"公示信息待审核发布：{number}",
                   "请核对隐去的个人信息后发布。", f"/publicity/{event.object_id}/")]


PUSH = {
    "publicity.publication.released": "公示执法决定",
    "publicity.publication.withdrawn": "撤回公示",
    "publicity.publication.taken_down": "公示期满撤下",
    "publicity.publication.corrected": "更正公示信息",
}


def register():
    from zhifa.workflow.rules import notification_rules, push_kinds

    notification_rules.register(prepared, key="publicity.publication.prepared")
    for kind, label in PUSH.items():
        push_kinds.register(PushKind(label, public_payload), key=kind)
