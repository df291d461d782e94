from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from zhifa.core.commands import acting_user, service_errors


class Command(BaseCommand):
    help = (
        "执法决定实时推送：list 列出订阅；add 新增订阅（打印只显示一次的签名密钥）；kinds 可推送的事件；"
        "deliveries 推送记录（--status 筛选）；replay 编号 重新发送；sweep 立即分发账本新事件并发送到期的推送与邮件（worker 每分钟自动执行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin", help="以该系统管理员的身份执行，默认 admin")
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list")
        sub.add_parser("kinds")
        p = sub.add_parser("add")
        p.add_argument("name")
        p.add_argument("url")
        p.add_argument("--kind", action="append", required=True, help="推送的事件类型，可多次指定（见 kinds）")
        p.add_argument("--algorithm", default="hmac-sm3", choices=["hmac-sm3", "hmac-sha256"])
        p.add_argument("--agency", action="append", type=int, default=[], help="只推送该执法主体（ID）的事件，可多次指定")
        p = sub.add_parser("deliveries")
        p.add_argument("--status", choices=["pending", "delivered", "retrying", "failed"])
        p.add_argument("--limit", type=int, default=50)
        p = sub.add_parser("replay")
        p.add_argument("id", type=int)
        sub.add_parser("sweep")

    def handle(self, *args, action, actor, **opts):
        from zhifa.workflow import selectors, services
        from zhifa.workflow.rules import push_kinds

        if action == "kinds":
            for key in sorted(push_kinds.keys()):
                self.stdout.write(f"{key}\t{push_kinds.get(key).label}")
            return
        if action == "sweep":
            got = services.sweep()
            self.stdout.write(self.style.SUCCESS(
                f"分发账本事件 {got['events']} 条，生成推送 {got['deliveries']} 条、通知 {got['notices']} 条；发送推送 {got['sent']} 条、邮件 {got['emails']} 封。"
            ))
            return
        user = acting_user(actor)
        with service_errors():
            if action == "list":
                for s in selectors.subscriptions(user):
                    self.stdout.write(f"{s.pk}\t{s.name}\t{s.url}\t{s.algorithm}\t{'启用' if s.active else '停用'}\t{','.join(s.kinds)}")
            elif action == "add":
                s = services.create_subscription(user, name=opts["name"], url=opts["url"], kinds=opts["kind"], algorithm=opts["algorithm"], agencies=opts["agency"])
                self.stdout.write(self.style.SUCCESS(f"已新增推送订阅 {s.pk}：{s.name}"))
                self.stdout.write(f"签名密钥（只显示这一次，请交给接收方）：{s.secret}")
            elif action == "deliveries":
                if not 1 <= opts["limit"] <= 1000:
                    raise CommandError("--limit 应在 1 至 1000 之间。")
                rows = selectors.deliveries(user)
                if opts["status"]:
                    rows = rows.filter(status=opts["status"])
                for d in rows[: opts["limit"]]:
                    self.stdout.write(f"{d.pk}\t{d.subscription.name}\t#{d.event_seq} {d.kind}\t{d.get_status_display()}\t尝试 {d.attempts}\t{d.error}")
            elif action == "replay":
                try:
                    d = selectors.get_delivery(user, opts["id"])
                except Http404 as exc:
                    raise CommandError(str(exc))
                d = services.replay(user, d)
                self.stdout.write(self.style.SUCCESS(f"推送 {d.pk} 已重新排入发送队列。"))
