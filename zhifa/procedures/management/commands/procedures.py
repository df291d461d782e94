import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhifa.core.commands import acting_user
from zhifa.procedures import definitions, selectors, services
from zhifa.procedures.flowchart import render_svg


class Command(BaseCommand):
    help = "执法程序：publish 发布（--bundled 为随系统提供的程序，或指定 JSON 文件）；list 列出；check 校验 JSON；svg 输出流程图。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin", help="发布人（系统管理员）用户名")
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("publish")
        p.add_argument("files", nargs="*")
        p.add_argument("--bundled", action="store_true")
        sub.add_parser("list")
        p = sub.add_parser("check")
        p.add_argument("file")
        p = sub.add_parser("svg")
        p.add_argument("code")

    def handle(self, *args, action, actor, **opts):
        if action == "list":
            for d in selectors.current_definitions():
                self.stdout.write(f"{d.code}\t第{d.version}版\t{d.name}\t{d.digest[:16]}")
        elif action == "check":
            errors = definitions.validate(_load(opts["file"]))
            if errors:
                raise CommandError("程序定义有误：" + "；".join(errors))
            self.stdout.write(self.style.SUCCESS("程序定义有效。"))
        elif action == "svg":
            from django.http import Http404

            try:
                self.stdout.write(render_svg(selectors.current(opts["code"]).procedure))
            except Http404 as exc:
                raise CommandError(str(exc))
        else:
            user = acting_user(actor)
            items = definitions.bundled() if opts["bundled"] else [_load(f) for f in opts["files"]]
            if not items:
                raise CommandError("请指定 JSON 文件或 --bundled。")
            try:
                for item in items:
                    version, created = services.publish_definition(user, item)
                    state = "已发布" if created else "内容未变化，保持"
                    self.stdout.write(self.style.SUCCESS(f"{state}：{version}"))
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages))
            except PermissionDenied as exc:
                raise CommandError(str(exc))


def _load(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise CommandError(f"无法读取程序定义文件：{exc}")
