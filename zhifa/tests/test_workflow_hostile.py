"""Hostile input on the workflow pages and endpoints: ids beyond any integer column, page numbers, NUL bytes and
control characters get an answer, never a server error, and change nothing."""

import pytest

from zhifa.workflow.models import Approval, Notification, Preference, Subscription

BIG = "9" * 25


@pytest.mark.parametrize("method, url, data", [
    ("get", f"/approvals/{BIG}/", None), ("post", f"/approvals/{BIG}/cancel/", {}), ("get", f"/webhooks/{BIG}/", None),
    ("get", f"/webhooks/deliveries/{BIG}/", None), ("post", f"/notifications/{BIG}/open/", {}),
    ("get", "/approvals/?page=" + BIG, None), ("get", "/notifications/?page=" + BIG, None), ("get", "/jobs/?page=-1&job=\x00", None),
    ("get", f"/api/v1/approvals/{BIG}/decide/", None), ("post", f"/api/v1/approvals/{BIG}/decide/", {"approve": True}),
    ("post", f"/api/v1/notifications/{BIG}/read/", {}), ("get", f"/api/v1/webhooks/subscriptions/{BIG}/", None),
    ("get", "/api/v1/notifications/?limit=" + BIG, None), ("get", "/events/stream/?once=1&after=" + BIG, None),
    ("post", f"/cases/{BIG}/recusal/", {"person": BIG, "reason": "x"}), ("post", f"/documents/{BIG}/request-issue/", {}),
    ("post", "/webhooks/", {"name": "a\x00b", "url": "https://a.b/\x01", "algorithm": "hmac-sm3", "kinds": ["ledger.verified"]}),
    ("post", "/notifications/settings/", {"email_categories": ["\x00" * 5000]}),
])
def test_hostile_input_is_answered_and_changes_nothing(client, world, method, url, data):
    client.force_login(world.admin)
    r = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert r.status_code < 500, (url, r.status_code)
    assert not (Approval.objects.exists() or Subscription.objects.exists() or Preference.objects.exists()
                or Notification.objects.filter(read_at__isnull=False).exists())
