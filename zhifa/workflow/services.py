"""Notifications, notification preferences, webhook subscriptions and their deliveries.

Every event worth telling someone of is already on the ledger, in the transaction that made it. The dispatcher
reads the ledger past its cursor and turns each event into notices (`rules.notification_rules`) and deliveries
(one per matching subscription) in one transaction with the cursor's advance: nothing between the ledger and a
delivery can be lost, and an event is never dispatched twice (unique keys on both tables). Deliveries and
e-mails are then sent by the task queue; a sweep every minute sends whatever a lost task or a dead worker left.
"""

import datetime as dt
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.core import jobs
from zhifa.core.errors import require
from zhifa.core.roles import Role, is_admin
from zhifa.ledger import services as ledger
from zhifa.ledger import tree
from zhifa.ledger.models import LedgerEvent

from .models import DEFAULT_EMAIL_CATEGORIES, Algorithm, Attempt, Category, Cursor, Delivery, Notification, Preference, Subscription
from .rules import Event, Notice, PushKind, has_own_payload, notification_rules, push_data, push_kinds

log = logging.getLogger("zhifa.workflow")

MAX_ATTEMPTS = 10  # about 17 hours of retries (1, 2, 4 … minutes, then hourly)
DISPATCH_BATCH = 500


def send_timeout() -> float:
    """Seconds one POST may take (ZHIFA_WEBHOOK_TIMEOUT)."""
    return settings.ZHIFA_WEBHOOK_TIMEOUT


def claim_seconds() -> float:
    """A worker that has not finished a send within this is taken to have died, and another sends it."""
    return 2 * settings.ZHIFA_WEBHOOK_TIMEOUT + 5


# --- notifications ---------------------------------------------------------------------------------------------


def email_categories(person) -> list[str]:
    pref = Preference.objects.filter(person=person).first()
    return list(pref.email_categories) if pref else [str(c) for c in DEFAULT_EMAIL_CATEGORIES]


def notify(recipients, *, category: str, title: str, body: str = "", link: str = "", key: str) -> int:
    """Tell each of `recipients` (people or ids) of something; a key already given to a person is skipped.
    Returns how many notices were created."""
    from zhifa.org.models import Person

    if category not in Category.values:
        raise ValueError(f"unknown notification category {category!r}")
    ids = {getattr(r, "pk", r) for r in recipients if r is not None}
    if not ids:
        return 0
    people = Person.objects.filter(pk__in=ids, is_active=True).values_list("pk", "email")
    prefs = dict(Preference.objects.filter(person_id__in=ids).values_list("person_id", "email_categories"))
    default = [str(c) for c in DEFAULT_EMAIL_CATEGORIES]
    rows = [
        Notification(
            recipient_id=pk, category=category, title=title[:200], body=body, link=link[:300], key=key[:200],
            email_due=bool(email) and category in prefs.get(pk, default),
        )
        for pk, email in people
    ]
    existing = set(Notification.objects.filter(key=key[:200], recipient_id__in=ids).values_list("recipient_id", flat=True))
    rows = [r for r in rows if r.recipient_id not in existing]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(r.email_due for r in rows):
        from . import tasks

        transaction.on_commit(lambda: tasks.send_emails.enqueue())
    return len(rows)


def mark_read(actor, notification: Notification) -> Notification:
    require(notification.recipient_id == actor.pk, "只能标记自己的通知。")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def save_preferences(actor, *, email_categories) -> Preference:
    unknown = [c for c in email_categories if c not in Category.values]
    if unknown:
        raise ValidationError({"email_categories": f"没有这些通知类别：{'、'.join(map(str, unknown))}"})
    pref, _ = Preference.objects.get_or_create(person=actor)
    pref.email_categories = sorted(set(email_categories), key=Category.values.index)
    pref.save(update_fields=["email_categories"])
    return pref


def send_due_emails(limit: int = 200) -> int:
    """Send the e-mails of notices that wait for one; a failed send stays due for the next sweep (at most 5 tries)."""
    sent = 0
    for n in Notification.objects.filter(email_due=True).select_related("recipient").order_by("id")[:limit]:
        # Claim: only the worker whose UPDATE changes the row sends it.
        if not Notification.objects.filter(pk=n.pk, email_due=True).update(email_due=False, email_attempts=n.email_attempts + 1):
            continue
        base = settings.ZHIFA_PUBLIC_BASE_URL.rstrip("/")
        text = f"{n.body}\n\n{base}{n.link}" if n.link else n.body
        try:
            send_mail(f"【行政执法平台】{n.title}", text or n.title, None, [n.recipient.email], fail_silently=False)
        except Exception as exc:  # the mail server refused or is down: try again at the next sweep
            log.warning("通知邮件发送失败 %s: %s", n.pk, exc)
            Notification.objects.filter(pk=n.pk).update(email_due=n.email_attempts + 1 < 5, email_error=str(exc)[:300])
            continue
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now(), email_error="")
        sent += 1
    return sent


# --- subscriptions ---------------------------------------------------------------------------------------------


def _require_admin(actor):
    if not is_admin(actor):
        raise PermissionDenied("只有系统管理员可以管理推送订阅。")


def _clean_subscription(*, name, url, algorithm, kinds):
    errors = {}
    if not name or not name.strip():
        errors["name"] = "请填写接收方名称。"
    if not url.lower().startswith(("http://", "https://")):
        errors["url"] = "推送地址须以 http:// 或 https:// 开头。"
    if algorithm not in Algorithm.values:
        errors["algorithm"] = "签名算法应为 hmac-sm3 或 hmac-sha256。"
    unknown = [k for k in kinds if k not in push_kinds]
    if unknown:
        errors["kinds"] = f"这些事件不能推送：{'、'.join(map(str, unknown))}"
    elif not kinds:
        errors["kinds"] = "请至少选择一类推送的事件。"
    if errors:
        raise ValidationError(errors)


def _agency_ids(agencies) -> list[int]:
    from zhifa.org.models import Agency

    ids = []
    for a in agencies or ():
        pk = getattr(a, "pk", a)
        if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < 2**53:
            raise ValidationError({"agencies": f"执法主体编号无效：{pk}"})
        ids.append(pk)
    known = set(Agency.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if missing := [pk for pk in ids if pk not in known]:
        raise ValidationError({"agencies": f"没有这些执法主体：{'、'.join(map(str, missing))}"})
    return sorted(set(ids))


def _subscription_data(sub: Subscription) -> dict:
    return {
        "name": sub.name, "url": sub.url, "algorithm": sub.algorithm, "kinds": list(sub.kinds),
        "agencies": sorted(sub.agencies.values_list("pk", flat=True)), "active": sub.active,
    }


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def create_subscription(actor, *, name: str, url: str, kinds, algorithm: str = Algorithm.HMAC_SM3, agencies=(), active: bool = True,
                        secret: str = "") -> Subscription:
    """Subscribe an external platform. The signing secret is generated unless given (at least 16 characters)."""
    _require_admin(actor)
    kinds = list(dict.fromkeys(kinds))
    _clean_subscription(name=name, url=url, algorithm=algorithm, kinds=kinds)
    agencies = _agency_ids(agencies)
    if secret and len(secret) < 16:
        raise ValidationError({"secret": "签名密钥至少 16 个字符。"})
    if Subscription.objects.filter(name=name.strip()).exists():
        raise ValidationError({"name": "已有同名的推送订阅。"})
    sub = Subscription(
        name=name.strip(), url=url, kinds=kinds, algorithm=algorithm, active=active, created_by=actor,
        secret=secret or new_secret(), from_seq=tree.size(),
    )
    sub.full_clean(exclude=["secret", "created_by"])
    sub.save()
    sub.agencies.set(agencies)
    ledger.append("workflow.subscription.created", actor=actor, obj=sub, data=_subscription_data(sub))
    return sub


@transaction.atomic
def update_subscription(actor, sub: Subscription, **fields) -> Subscription:
    _require_admin(actor)
    before = _subscription_data(sub)
    agencies = fields.pop("agencies", None)
    if agencies is not None:
        agencies = _agency_ids(agencies)
    for name in ("name", "url", "algorithm", "kinds", "active"):
        if name in fields:
            setattr(sub, name, list(dict.fromkeys(fields[name])) if name == "kinds" else fields[name])
    _clean_subscription(name=sub.name, url=sub.url, algorithm=sub.algorithm, kinds=sub.kinds)
    if Subscription.objects.filter(name=sub.name.strip()).exclude(pk=sub.pk).exists():
        raise ValidationError({"name": "已有同名的推送订阅。"})
    sub.full_clean(exclude=["secret", "created_by"])
    sub.save()
    if agencies is not None:
        sub.agencies.set(agencies)
    after = _subscription_data(sub)
    if after != before:
        ledger.append("workflow.subscription.updated", actor=actor, obj=sub, data={"changes": ledger.changes(before, after)})
    return sub


@transaction.atomic
def rotate_secret(actor, sub: Subscription) -> str:
    """A new signing secret, shown once to the administrator to hand to the receiving platform."""
    _require_admin(actor)
    sub.secret = new_secret()
    sub.save(update_fields=["secret"])
    ledger.append("workflow.subscription.secret_rotated", actor=actor, obj=sub, data={"name": sub.name})
    return sub.secret


# --- dispatch: ledger events -> notices and deliveries -------------------------------------------------------------


def _matches(sub: Subscription, agencies: set, event: Event) -> bool:
    return event.seq >= sub.from_seq and event.kind in sub.kinds and (not agencies or event.agency_id in agencies)


def payload(event: Event, leaf_hash: str) -> dict:
    from zhifa.ledger import events as kinds

    body = {
        "event": {
            "seq": event.seq, "kind": event.kind, "label": kinds.label(event.kind), "time": event.entry.get("time"),
            "agency": event.agency_id, "object": event.entry.get("object"),
        },
        "data": push_data(event),
        # With GET /api/v1/ledger/events/{seq}/proof a receiver can check that the event is in the signed ledger.
        "leaf_hash": leaf_hash,
    }
    if not has_own_payload(event.kind):
        # The entry exactly as the ledger hashed it, when its data is what is pushed anyway (a kind with a payload
        # of its own pushes less than its entry holds, e.g. a publication's public fields only).
        body["ledger_entry"] = json.dumps(event.entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return body


def dispatch(limit: int = DISPATCH_BATCH) -> dict:
    """Turn the next ledger events into notices and deliveries. Returns counts; call again while `events` > 0."""
    with transaction.atomic():
        cursor, _ = Cursor.objects.get_or_create(name="ledger")
        cursor = Cursor.objects.select_for_update().get(pk=cursor.pk)
        rows = list(LedgerEvent.objects.filter(seq__gt=cursor.seq).order_by("seq")[:limit])
        if not rows:
            return {"events": 0, "deliveries": 0, "notices": 0}
        subs = [(s, set(s.agencies.values_list("pk", flat=True))) for s in Subscription.objects.filter(active=True)]
        deliveries, notices = [], 0
        now = timezone.now()
        for row in rows:
            wanted = [s for s, agencies in subs if row.kind in s.kinds]
            rule = notification_rules.get(row.kind)
            if not wanted and rule is None:
                continue
            event = Event.from_row(row)
            matching = [s for s, agencies in subs if _matches(s, agencies, event)]
            if matching:
                body = json.dumps(payload(event, row.leaf_hash), ensure_ascii=False, separators=(",", ":"))
                deliveries += [
                    Delivery(subscription=s, event_seq=event.seq, kind=event.kind, agency_id=event.agency_id, body=body, next_attempt_at=now)
                    for s in matching
                ]
            if rule is not None:
                try:
                    found = rule(event) or []
                except Exception:  # a faulty rule must not stop every later event from being dispatched
                    log.exception("通知规则出错：%s #%s", event.kind, event.seq)
                    found = []
                for n in found:
                    notices += notify(n.recipients, category=n.category, title=n.title, body=n.body, link=n.link, key=n.key or f"ledger:{event.seq}")
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        cursor.seq = rows[-1].seq
        cursor.save(update_fields=["seq"])
    if deliveries:
        from . import tasks

        for d in Delivery.objects.filter(subscription_id__in={d.subscription_id for d in deliveries}, event_seq__in={d.event_seq for d in deliveries},
                                         status=Delivery.Status.PENDING).values_list("pk", flat=True):
            tasks.deliver.enqueue(d)
    return {"events": len(rows), "deliveries": len(deliveries), "notices": notices}


def dispatch_all() -> dict:
    total = {"events": 0, "deliveries": 0, "notices": 0}
    while True:
        got = dispatch()
        for k in total:
            total[k] += got[k]
        if got["events"] < DISPATCH_BATCH:
            return total


# --- sending deliveries --------------------------------------------------------------------------------------------


def signature(algorithm: str, secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value: HMAC over "<timestamp>.<body>" with the subscription's secret (docs/webhooks.md)."""
    digest = {"hmac-sm3": "sm3", "hmac-sha256": "sha256"}[algorithm]
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, digest).hexdigest()
    return f"t={timestamp},{algorithm}={mac}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a receiver answers where it is; following it could leak the body
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with _opener.open(request, timeout=send_timeout()) as response:
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"对方应答 {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"无法连接：{reason}"[:300]


def send(delivery_id: int, *, replay_by=None) -> Delivery | None:
    """POST one delivery. Returns it, or None when it is not due (delivered, given up, or waiting for its retry
    time) or another worker is sending it."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=delivery_id, status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING], next_attempt_at__lte=now,
    ).update(claimed_until=now + dt.timedelta(seconds=claim_seconds()))
    if not claimed:
        return None
    d = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    sub = d.subscription
    body = d.body.encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "zhifa-webhook/1",
        "X-Zhifa-Delivery": str(d.uuid),
        "X-Zhifa-Event": d.kind,
        "X-Zhifa-Seq": str(d.event_seq),
        "X-Zhifa-Signature": signature(sub.algorithm, sub.secret, timestamp, body),
    }
    started = time.monotonic()
    status, error = _post(sub.url, body, headers)
    ok = not error  # _post names every failure: no answer, or an answer outside 2xx (urllib raises HTTPError for it)
    attempts = d.attempts + 1
    Attempt.objects.create(delivery=d, response_status=status, error=error, milliseconds=int((time.monotonic() - started) * 1000), replay_by=replay_by)
    if ok:
        fields = {"status": Delivery.Status.DELIVERED, "delivered_at": timezone.now(), "next_attempt_at": None}
    elif attempts >= MAX_ATTEMPTS:
        fields = {"status": Delivery.Status.FAILED, "next_attempt_at": None}
    else:
        fields = {"status": Delivery.Status.RETRYING, "next_attempt_at": timezone.now() + dt.timedelta(seconds=jobs.retry_delay(attempts))}
    Delivery.objects.filter(pk=d.pk).update(attempts=attempts, response_status=status, error=error, claimed_until=None, **fields)
    d.refresh_from_db()
    return d


def send_due(limit: int = 200) -> int:
    """Send every delivery whose time has come (the minute sweep); returns how many were tried."""
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING], next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if send(pk) is not None)


@transaction.atomic
def replay(actor, delivery: Delivery) -> Delivery:
    """Send a delivery again from the log (after the receiver was fixed, or when it lost what it got)."""
    _require_admin(actor)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING, next_attempt_at=timezone.now(), claimed_until=None)
    ledger.append(
        "workflow.delivery.replayed", actor=actor, obj=delivery.subscription,
        data={"subscription": delivery.subscription.name, "event_seq": delivery.event_seq, "delivery": str(delivery.uuid)},
    )
    from . import tasks

    pk = delivery.pk
    transaction.on_commit(lambda: tasks.deliver.enqueue(pk))
    delivery.refresh_from_db()
    return delivery


def sweep() -> dict:
    """The minute's work: dispatch what the ledger gained, send due deliveries and e-mails."""
    got = dispatch_all()
    got["sent"] = send_due()
    got["emails"] = send_due_emails()
    return got


# --- rules of this app ---------------------------------------------------------------------------------------------


def _verification_rule(event: Event) -> list[Notice]:
    """A nightly verification that found problems goes to administrators and to every supervisor."""
    from .people import administrators, with_role_anywhere

    if event.data.get("ok", True):
        return []
    people = sorted(set(administrators()) | set(with_role_anywhere(Role.SUPERVISOR)))
    count = event.data.get("problem_count", len(event.data.get("problems", [])))
    first = "；".join(event.data.get("problems", [])[:3])
    return [Notice(people, Category.LEDGER, f"账本核验发现 {count} 个问题", f"事件 {event.data.get('tree_size')} 条。{first}", "/ledger/")]


notification_rules.register(_verification_rule, key="ledger.verified")
push_kinds.register(PushKind("账本核验结果（告警）"), key="ledger.verified")
