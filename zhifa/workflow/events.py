"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

SUBSCRIPTION = "name url algorithm kinds agencies active"

declare("workflow.subscription.created", "新增推送订阅", SUBSCRIPTION)
declare("workflow.subscription.updated", "修改推送订阅", "changes")
declare("workflow.subscription.secret_rotated", "更换推送签名密钥", "name")
declare("workflow.delivery.replayed", "手动重发推送", "subscription event_seq delivery")
