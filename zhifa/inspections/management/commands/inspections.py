import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.commands import acting_user, service_errors
from zhifa.inspections import drawing, selectors, services
from zhifa.inspections.models import PlanStatus, SeedSource
from zhifa.inspections.records import record_for
from zhifa.org.selectors import get_agency


class Command(BaseCommand):
    help = ("双随机、一公开：import 导入检查对象（Excel）；plans 列出抽查计划；commit 固化名单；seed 录入开奖号码并摇号；"
            "draw 以账本签名树头摇号；record 导出摇号记录；verify 重新计算摇号记录（计划编号或 JSON 文件）；"
            "pending 为等待账本树头的计划摇号。")

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin")
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import")
        p.add_argument("agency", type=int, help="执法主体 ID")
        p.add_argument("file")
        sub.add_parser("plans")
        for name in ("commit", "draw", "record"):
            p = sub.add_parser(name)
            p.add_argument("plan", type=int)
            if name == "record":
                p.add_argument("--out", default="-")
        p = sub.add_parser("seed")
        p.add_argument("plan", type=int)
        p.add_argument("value")
        p = sub.add_parser("verify")
        p.add_argument("what", help="计划 ID，或摇号记录 JSON 文件")
        sub.add_parser("pending")

    def handle(self, *args, action, actor, **opts):
        user = acting_user(actor)
        getattr(self, f"do_{action}")(user, **opts)

    def _plan(self, user, pk):
        try:
            return selectors.get_plan(user, pk)
        except Exception:
            raise CommandError(f"没有编号为 {pk} 的抽查计划，或您无权查看。")

    def do_import(self, user, agency, file, **_):
        target = get_agency(user, agency) if str(agency).isdigit() else None
        try:
            fileobj = open(file, "rb")
        except OSError as exc:
            raise CommandError(f"无法打开文件：{exc.strerror}")
        with fileobj, service_errors():
            counts = services.import_targets(user, target, fileobj)
        self.stdout.write(self.style.SUCCESS(f"导入完成：新增 {counts['added']} 个，更新 {counts['updated']} 个，在库 {counts['total']} 个。"))

    def do_plans(self, user, **_):
        for plan in selectors.visible_plans(user).order_by("-year", "-pk")[:200]:
            self.stdout.write(f"{plan.pk}\t{plan.number}\t{plan.get_status_display()}\t{plan.title}")

    def do_commit(self, user, plan, **_):
        with service_errors():
            draw = services.commit_plan(user, self._plan(user, plan))
        self.stdout.write(self.style.SUCCESS(
            f"名单已固化：检查对象 {draw.target_count} 个（SM3 {draw.targets_sm3}），执法检查人员 {draw.inspector_count} 人（SM3 {draw.inspectors_sm3}）。"))

    def do_seed(self, user, plan, value, **_):
        with service_errors():
            draw = services.enter_seed(user, self._plan(user, plan), value)
        self.stdout.write(self.style.SUCCESS(f"已摇号：抽中 {len(draw.initial)} 个检查对象。"))

    def do_draw(self, user, plan, **_):
        with service_errors():
            draw = services.draw_from_tree_head(user, self._plan(user, plan))
        if draw is None:
            raise CommandError("名单固化后的第一个签名树头尚未生成，请稍后再试。")
        self.stdout.write(self.style.SUCCESS(f"已摇号：抽中 {len(draw.initial)} 个检查对象。"))

    def do_pending(self, user, **_):
        """For the scheduler: every plan seeded by the ledger whose head now exists is drawn."""
        done = 0
        for plan in selectors.visible_plans(user).filter(status=PlanStatus.COMMITTED, seed_source=SeedSource.TREE_HEAD):
            with service_errors():
                if services.draw_from_tree_head(user, plan) is not None:
                    done += 1
        self.stdout.write(f"已摇号 {done} 个计划。")

    def do_record(self, user, plan, out, **_):
        record = record_for(self._plan(user, plan))
        if record is None:
            raise CommandError("该计划的名单尚未固化。")
        text = json.dumps(record, ensure_ascii=False, indent=1)
        if out == "-":
            self.stdout.write(text)
        else:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"已导出到 {out}"))

    def do_verify(self, user, what, **_):
        if what.isdigit():
            record = record_for(self._plan(user, int(what)))
            if record is None:
                raise CommandError("该计划的名单尚未固化。")
        else:
            try:
                record = json.loads(Path(what).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"无法读取摇号记录：{exc}")
        try:
            problems = drawing.verify(record)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CommandError(f"摇号记录内容不完整或格式不正确：{exc!r}")
        if problems:
            for p in problems:
                self.stdout.write(self.style.ERROR(p))
            raise CommandError(f"校验未通过：{len(problems)} 处问题。", returncode=1)
        self.stdout.write(self.style.SUCCESS("校验通过：摇号结果可由公开记录重新计算得出。"))
