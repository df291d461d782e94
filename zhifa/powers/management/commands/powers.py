from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from zhifa.core.commands import acting_user
from zhifa.org.models import Agency
from zhifa.powers import selectors, services
from zhifa.powers.models import ListKind


class Command(BaseCommand):
    help = "事前公开清单：import 从 xlsx 导入权责清单/随机抽查事项清单/服务指南（全部成功或全部不变）；list 列出。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin")
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import")
        p.add_argument("file")
        p.add_argument("--agency", required=True, help="执法主体名称、机关代字或 ID")
        p.add_argument("--list", dest="list_kind", choices=ListKind.values, default="powers")
        p.add_argument("--note", default="批量导入")
        p = sub.add_parser("list")
        p.add_argument("--agency", required=True)
        p.add_argument("--list", dest="list_kind", choices=ListKind.values, default="powers")

    def handle(self, *args, action, actor, **opts):
        raw = opts["agency"]
        agency = Agency.objects.filter(Q(name=raw) | Q(short_name=raw) | (Q(pk=int(raw)) if raw.isdigit() else Q(pk=None))).first()
        if agency is None:
            raise CommandError(f"未找到执法主体：{raw}")
        if action == "list":
            for item in selectors.public_items(agency, opts["list_kind"]):
                self.stdout.write(f"{item.code}\t{item.name}\t第{item.version}版")
            return
        try:
            with open(opts["file"], "rb") as fh:
                counts = services.import_list(acting_user(actor), agency, list_kind=opts["list_kind"], fileobj=fh, note=opts["note"])
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}")
        except ValidationError as exc:
            raise CommandError("导入未完成，未作任何修改：" + "；".join(exc.messages))
        except PermissionDenied as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(
            f"导入完成：新增 {counts['added']}，修改 {counts['changed']}，未变 {counts['unchanged']}，取消 {counts['withdrawn']}。"
        ))
