"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

SUBSCRIPTION = "name url algorithm kinds agencies active"

declare("workflow.subscription.created", "新增推送订阅", SUBSCRIPTION)
declare("workflow.subscription.updated", "修改推送订阅", "changes")
declare("workflow.subscription.secret_rotated", "更换推送签名密钥", "name")
declare("workflow.delivery.replayed", "手动重发推送", "subscription event_seq delivery")

APPROVAL = "kind subject_type subject_id agency title params requested_by status decided_by opinion"
declare("workflow.approval.requested", "送机关负责人审批", APPROVAL + " note")
declare("workflow.approval.decided", "机关负责人审批", APPROVAL)
declare("workflow.approval.cancelled", "撤回审批申请", APPROVAL)
declare("workflow.alert.raised", "预警", "code key title body link recipients")
