"""Approvals routed to the agency's head: sent by the officer, approved or returned by the head as themselves.

Nobody types another person's approval: the head's decision is recorded with the head as actor on the ledger,
and what was approved is done by the subject app's handler in the same transaction (a decision document is
issued with the head as signer, the approval printed on it)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core.roles import Role, is_head_of
from zhifa.ledger import services as ledger

from .models import Approval, Category
from .people import with_role
from .rules import Event, Notice, approval_kinds, notification_rules

FIELDS = "kind subject_type subject_id agency title params requested_by status decided_by opinion".split()


def _record(kind: str, actor, approval: Approval, **extra):
    ledger.append(kind, actor=actor, obj=approval, data={**ledger.snapshot(approval, FIELDS), **extra})


def pending_for(kind: str, subject) -> Approval | None:
    return Approval.objects.filter(kind=kind, subject_type=subject._meta.label_lower, subject_id=subject.pk, status=Approval.Status.PENDING).first()


def latest_for(kind: str, subject) -> Approval | None:
    return Approval.objects.filter(kind=kind, subject_type=subject._meta.label_lower, subject_id=subject.pk).order_by("-id").first()


@transaction.atomic
def request(actor, *, kind: str, subject, agency_id: int, title: str, link: str = "", note: str = "", params: dict | None = None) -> Approval:
    """Send `subject` to the heads of `agency_id`. The caller (the subject's app) has checked that `actor` may."""
    if kind not in approval_kinds:
        raise ValueError(f"unknown approval kind {kind!r}")
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": "送审说明不能超过 2000 字。"})
    if pending_for(kind, subject) is not None:
        raise ValidationError("该事项已送机关负责人审批，尚未审批。")
    if not with_role(Role.HEAD, agency_id):
        raise ValidationError("本机关没有在岗的机关负责人，无法送审批；请联系系统管理员。")
    approval = Approval.objects.create(
        kind=kind, subject_type=subject._meta.label_lower, subject_id=subject.pk, agency_id=agency_id, title=title[:200],
        link=link[:300], note=note, params=params or {}, requested_by=actor,
    )
    _record("workflow.approval.requested", actor, approval, note=note)
    return approval


@transaction.atomic
def decide(actor, approval: Approval, *, approve: bool, opinion: str = "") -> Approval:
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if not is_head_of(actor, approval.agency_id):
        raise PermissionDenied("只有本机关的机关负责人可以审批。")
    if approval.status != Approval.Status.PENDING:
        raise ValidationError(f"该事项{approval.get_status_display()}，不能再审批。")
    opinion = (opinion or "").strip()
    if len(opinion) > 2000:
        raise ValidationError({"opinion": "审批意见不能超过 2000 字。"})
    if not approve and not opinion:
        raise ValidationError({"opinion": "退回时请写明退回的理由和修改意见。"})
    if approve and approval.requested_by_id == actor.pk:
        raise ValidationError("不能审批自己送审的事项：机关负责人本人办理的，可直接签发。")
    approval.status = Approval.Status.APPROVED if approve else Approval.Status.RETURNED
    approval.opinion = opinion or "同意。"
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.save()
    _record("workflow.approval.decided", actor, approval)
    handler = approval_kinds.get(approval.kind)
    if approve and handler and handler.on_approved:
        handler.on_approved(actor, approval)
    return approval


@transaction.atomic
def cancel(actor, approval: Approval) -> Approval:
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if approval.requested_by_id != actor.pk:
        raise PermissionDenied("只能撤回自己送审的事项。")
    if approval.status != Approval.Status.PENDING:
        raise ValidationError("该事项已审批，不能撤回。")
    approval.status = Approval.Status.CANCELLED
    approval.save(update_fields=["status"])
    _record("workflow.approval.cancelled", actor, approval)
    return approval


# --- who is told ------------------------------------------------------------------------------------------------


def _requested(event: Event) -> list[Notice]:
    d = event.data
    return [Notice(with_role(Role.HEAD, d.get("agency")), Category.APPROVAL, f"待审批：{d.get('title')}", d.get("note") or "",
                   f"/approvals/{event.object_id}/")]


def _decided(event: Event) -> list[Notice]:
    d = event.data
    word = "已批准" if d.get("status") == Approval.Status.APPROVED else "被退回"
    return [Notice([d.get("requested_by")], Category.APPROVAL, f"{word}：{d.get('title')}", d.get("opinion") or "", f"/approvals/{event.object_id}/")]


notification_rules.register(_requested, key="workflow.approval.requested")
notification_rules.register(_decided, key="workflow.approval.decided")
