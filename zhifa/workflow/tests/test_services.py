"""Notifications and signed webhooks, against a real HTTP receiver on a local port."""

import datetime as dt
import hmac
import http.server
import json
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.ledger import services as ledger
from zhifa.workflow import services
from zhifa.workflow.models import Attempt, Category, Delivery, Notification
from zhifa.workflow.rules import Notice, notification_rules


class Receiver:
    """A webhook receiver: records each request; answers the status codes queued in `answers` (then 200); with
    `hang_first`, holds its answer to the first request for 30 s (a sender killed meanwhile)."""

    def __init__(self):
        self.requests = []
        self.answers = []
        self.hang_first = False
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.requests.append((dict(self.headers), body))
                if owner.hang_first and len(owner.requests) == 1:
                    time.sleep(30)
                code = owner.answers.pop(0) if owner.answers else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True  # a held answer does not hold up close()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def verified(headers: dict, body: bytes, secret: str) -> bool:
    """What a receiving platform does (docs/webhooks.md): recompute the HMAC over "<t>.<body>"."""
    parts = dict(p.split("=", 1) for p in headers["X-Zhifa-Signature"].split(","))
    algorithm = next(k for k in parts if k != "t")
    digest = {"hmac-sm3": "sm3", "hmac-sha256": "sha256"}[algorithm]
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, digest).hexdigest()
    return hmac.compare_digest(expected, parts[algorithm])


def verification_event(ok=False):
    from types import SimpleNamespace

    report = SimpleNamespace(ok=ok, tree_size=3, tree_heads=1, files=0, seconds=0.1, problems=[SimpleNamespace(message="第 2 条事件被改动")])
    return ledger.record_verification(report, checked_files=False)


@pytest.mark.parametrize("algorithm", ["hmac-sm3", "hmac-sha256"])
def test_an_event_reaches_a_subscriber_signed_and_once(world, receiver, algorithm):
    sub = services.create_subscription(world.admin, name="省级监督平台", url=receiver.url, kinds=["ledger.verified"], algorithm=algorithm)
    event = verification_event()
    assert services.dispatch_all()["deliveries"] == 1
    assert services.dispatch_all()["deliveries"] == 0  # the cursor moved: nothing twice
    delivery = Delivery.objects.get(subscription=sub)
    assert services.send(delivery.pk).status == Delivery.Status.DELIVERED
    assert services.send(delivery.pk) is None  # delivered: not sent again
    [(headers, body)] = receiver.requests
    assert verified(headers, body, sub.secret)
    assert not verified(headers, body.replace(b"3", b"4", 1), sub.secret)
    assert headers["X-Zhifa-Delivery"] == str(delivery.uuid) and headers["X-Zhifa-Seq"] == str(event.seq)
    sent = json.loads(body)
    assert sent["event"]["kind"] == "ledger.verified" and sent["data"]["ok"] is False
    assert json.loads(sent["ledger_entry"]) == json.loads(event.entry)  # the entry as the ledger hashed it


def test_a_subscription_gets_only_its_kinds_agencies_and_what_follows_it(world, receiver):
    verification_event()  # before the subscription: not pushed
    sub = services.create_subscription(world.admin, name="甲", url=receiver.url, kinds=["ledger.verified"], agencies=[world.city_a.pk])
    verification_event()  # no agency: not among city_a's
    services.dispatch_all()
    assert not Delivery.objects.filter(subscription=sub).exists()
    everyone = services.create_subscription(world.admin, name="乙", url=receiver.url, kinds=["ledger.verified"])
    verification_event()
    services.dispatch_all()
    assert Delivery.objects.filter(subscription=everyone).count() == 1


def test_failed_deliveries_are_retried_with_backoff_then_given_up(world, receiver, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTEMPTS", 3)
    services.create_subscription(world.admin, name="监督平台", url=receiver.url, kinds=["ledger.verified"])
    verification_event()
    services.dispatch_all()
    d = Delivery.objects.get()
    receiver.answers = [500, 503, 500]
    d = services.send(d.pk)
    assert d.status == Delivery.Status.RETRYING and d.response_status == 500 and d.error == "对方应答 500"
    assert dt.timedelta(seconds=50) < d.next_attempt_at - timezone.now() <= dt.timedelta(minutes=1)
    assert services.send_due() == 0  # not yet due
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
    assert services.send_due() == 1
    d.refresh_from_db()
    assert d.attempts == 2 and d.next_attempt_at - timezone.now() > dt.timedelta(minutes=1, seconds=50)
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
    services.send_due()
    d.refresh_from_db()
    assert d.status == Delivery.Status.FAILED and d.attempts == 3 and d.next_attempt_at is None
    assert Attempt.objects.filter(delivery=d).count() == 3
    # Replay from the log, by an administrator only, recorded on the ledger.
    with pytest.raises(PermissionDenied):
        services.replay(world.officer_a, d)
    services.replay(world.admin, d)
    services.send_due()
    d.refresh_from_db()
    assert d.status == Delivery.Status.DELIVERED and len(receiver.requests) == 4
    assert ledger.LedgerEvent.objects.filter(kind="workflow.delivery.replayed").count() == 1


def test_an_unreachable_receiver_is_a_logged_failure_not_an_error(world):
    services.create_subscription(world.admin, name="离线平台", url="http://127.0.0.1:9/hook", kinds=["ledger.verified"])
    verification_event()
    services.dispatch_all()
    d = services.send(Delivery.objects.get().pk)
    assert d.status == Delivery.Status.RETRYING and d.response_status is None and d.error.startswith("无法连接")


def test_a_redirect_is_not_followed(world, receiver):
    receiver.answers = [302]
    services.create_subscription(world.admin, name="跳转", url=receiver.url, kinds=["ledger.verified"])
    verification_event()
    services.dispatch_all()
    d = services.send(Delivery.objects.get().pk)
    assert d.status == Delivery.Status.RETRYING and d.response_status == 302 and len(receiver.requests) == 1


def test_a_delivery_claimed_by_a_live_worker_is_left_alone_and_taken_over_after_it_dies(world, receiver):
    services.create_subscription(world.admin, name="平台", url=receiver.url, kinds=["ledger.verified"])
    verification_event()
    services.dispatch_all()
    d = Delivery.objects.get()
    Delivery.objects.filter(pk=d.pk).update(claimed_until=timezone.now() + dt.timedelta(seconds=30))
    assert services.send(d.pk) is None and services.send_due() == 0
    Delivery.objects.filter(pk=d.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))  # its worker died
    assert services.send_due() == 1 and len(receiver.requests) == 1


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"kinds": ["cases.case.opened"]}, "kinds"),
        ({"kinds": []}, "kinds"),
        ({"algorithm": "md5"}, "algorithm"),
        ({"name": "  "}, "name"),
        ({"secret": "short"}, "secret"),
    ],
)
def test_bad_subscriptions_are_refused_in_chinese_and_nothing_is_saved(world, fields, field):
    args = {"name": "平台", "url": "https://example.gov.cn/hook", "kinds": ["ledger.verified"], **fields}
    with pytest.raises(ValidationError) as exc:
        services.create_subscription(world.admin, **args)
    assert field in exc.value.message_dict
    assert all("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message_dict[field][0][:2])
    assert not services.Subscription.objects.exists()


def test_only_administrators_manage_subscriptions(world):
    for person in (world.officer_a, world.head_a, world.city_supervisor):
        with pytest.raises(PermissionDenied):
            services.create_subscription(person, name="平台", url="https://example.gov.cn/hook", kinds=["ledger.verified"])


def test_a_failed_verification_tells_supervisors_and_administrators_by_notice_and_mail(world, settings):
    world.city_supervisor.email = "chen@example.gov.cn"
    world.city_supervisor.save()
    verification_event(ok=False)
    verification_event(ok=True)  # a clean run tells nobody
    services.dispatch_all()
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {world.admin.username, "sup_city", "sup_prov"}
    assert Notification.objects.filter(recipient=world.city_supervisor, email_due=True).count() == 1
    assert not Notification.objects.filter(recipient=world.province_supervisor, email_due=True).exists()  # no address
    assert services.send_due_emails() == 1
    assert mail.outbox[0].to == ["chen@example.gov.cn"] and "账本核验发现 1 个问题" in mail.outbox[0].subject
    assert services.send_due_emails() == 0


def test_a_notice_reaches_a_person_once_whatever_reruns(world):
    for _ in range(3):
        services.notify([world.officer_a, world.officer_a.pk], category=Category.DEADLINE, title="期限将届满", key="deadline:1:2026-12-01")
    assert Notification.objects.filter(recipient=world.officer_a).count() == 1


def test_preferences_choose_which_categories_come_by_mail(world):
    world.officer_a.email = "zhang@example.gov.cn"
    world.officer_a.save()
    services.save_preferences(world.officer_a, email_categories=["publicity"])
    services.notify([world.officer_a], category=Category.DEADLINE, title="期限", key="a")
    services.notify([world.officer_a], category=Category.PUBLICITY, title="公示", key="b")
    assert list(Notification.objects.filter(email_due=True).values_list("title", flat=True)) == ["公示"]
    with pytest.raises(ValidationError):
        services.save_preferences(world.officer_a, email_categories=["nonsense"])


def test_a_failing_rule_does_not_stop_the_dispatcher(world):
    def broken(event):
        raise RuntimeError("boom")

    notification_rules.register(broken, key="workflow.subscription.created")
    try:
        services.create_subscription(world.admin, name="平台", url="https://example.gov.cn/hook", kinds=["ledger.verified"])
        verification_event()
        assert services.dispatch_all()["notices"] == 3
    finally:
        notification_rules._entries.pop("workflow.subscription.created")


@pytest.mark.django_db(transaction=True)
def test_a_commit_that_appended_nudges_the_dispatcher_once_a_second(monkeypatch):
    from huey.contrib.djhuey import HUEY

    from zhifa.workflow import tasks

    monkeypatch.setattr(HUEY, "immediate", False)  # as with a worker; the fake below stands for the queue
    calls = []
    fake = type("Fake", (), {"using": lambda self, **kw: type("T", (), {"enqueue": lambda t: calls.append(kw)})()})()
    monkeypatch.setattr(tasks, "dispatch", fake)
    monkeypatch.setattr(tasks, "_nudged", 0.0)
    verification_event()
    verification_event()  # within the second: the dispatch already asked for covers it
    assert len(calls) == 1 and calls[0]["run_after"] > timezone.now()
    monkeypatch.setattr(tasks, "_nudged", 0.0)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            verification_event()
            raise RuntimeError("rolled back")
    assert len(calls) == 1  # nothing committed, nothing to dispatch


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_a_commit_dispatches_at_once(world):
    verification_event(ok=False)
    assert Notification.objects.filter(recipient=world.admin).exists()


def test_rules_return_notices():
    assert Notice([1], Category.SYSTEM, "x").key == ""


class SmtpReceiver:
    """A local SMTP server (RFC 5321's minimal commands) that keeps what it is sent; `refuse` answers 554 to DATA."""

    def __init__(self):
        import socketserver

        self.messages, self.refuse = [], False
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                say = lambda line: self.wfile.write(line.encode() + b"\r\n")  # noqa: E731
                say("220 zhifa-test ESMTP")
                rcpt, data = [], None
                while line := self.rfile.readline():
                    if data is not None:
                        if line in (b".\r\n", b".\n"):
                            owner.messages.append((rcpt, b"".join(data)))
                            data = None
                            say("250 OK")
                        else:
                            data.append(line)
                        continue
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        say("250 zhifa-test")
                    elif verb == b"RCPT":
                        rcpt.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                        say("250 OK")
                    elif verb == b"DATA":
                        if owner.refuse:
                            say("554 refused")
                        else:
                            data = []
                            say("354 go ahead")
                    elif verb == b"QUIT":
                        say("221 bye")
                        return
                    else:  # MAIL, RSET, NOOP
                        say("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_mail_goes_through_a_real_smtp_server_and_a_refusal_is_retried(world, settings):
    import email

    smtp = SmtpReceiver()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp.port, False
        settings.ZHIFA_PUBLIC_BASE_URL = "https://zhifa.example.gov.cn"
        world.officer_a.email = "zhang@example.gov.cn"
        world.officer_a.save()
        services.notify([world.officer_a], category=Category.DEADLINE, title="立〔2026〕7号 作出处罚决定期限将届满", link="/cases/7/", key="m1")
        smtp.refuse = True
        assert services.send_due_emails() == 0
        n = Notification.objects.get(key="m1")
        assert n.email_due and n.email_attempts == 1 and "554" in n.email_error  # kept for the next sweep
        smtp.refuse = False
        assert services.send_due_emails() == 1
        [(to, raw)] = smtp.messages
        message = email.message_from_bytes(raw)
        assert to == ["zhang@example.gov.cn"]
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        assert subject == "【行政执法平台】立〔2026〕7号 作出处罚决定期限将届满"
        assert "https://zhifa.example.gov.cn/cases/7/" in message.get_payload(decode=True).decode()
        assert services.send_due_emails() == 0
    finally:
        smtp.close()


@pytest.mark.django_db(transaction=True)
def test_an_existing_ledger_is_dispatched_from_its_end_after_the_upgrade(world, monkeypatch):
    from importlib import import_module

    from django.apps import apps

    from zhifa.workflow.models import Cursor

    with monkeypatch.context() as m:
        m.setattr(ledger, "committed_listeners", [])
        verification_event(ok=False)  # history: written before the workflow app existed
    Cursor.objects.all().delete()
    import_module("zhifa.workflow.migrations.0005_dispatch_from_now").start_from_now(apps, None)
    assert services.dispatch_all()["events"] == 0 and not Notification.objects.exists()
    verification_event(ok=False)
    assert Notification.objects.exists()  # what happens after the upgrade is told


@pytest.mark.parametrize("agencies", [[999999], [10**30], ["x"], [True]])
def test_a_subscription_to_unknown_agencies_is_refused(world, agencies):
    with pytest.raises(ValidationError) as exc:
        services.create_subscription(world.admin, name="平台", url="https://a.example.gov.cn/h", kinds=["ledger.verified"], agencies=agencies)
    assert "agencies" in exc.value.message_dict and not services.Subscription.objects.exists()
