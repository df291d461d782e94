import datetime
import mimetypes
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.core.commands import acting_user, service_errors
from zhifa.evidence import selectors, services
from zhifa.evidence.models import AccessAction, AccessChannel, EvidenceKind, Stage
from zhifa.evidence.storage import EvidenceFileMissing, SpooledUpload, open_blob


def _datetime(text: str) -> datetime.datetime:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise CommandError(f"采集时间格式应为 YYYY-MM-DD HH:MM：{text}")


class Command(BaseCommand):
    help = "证据：add 登记文件（流式计算 SM3/SHA-256）；list 列出；get 取回文件（记录调阅）；access-log 调阅记录。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", help="执行操作的人员用户名（sweep 以外必填）")
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add")
        p.add_argument("file")
        p.add_argument("--case", required=True, help="案件编号")
        p.add_argument("--title", required=True)
        p.add_argument("--kind", required=True, choices=EvidenceKind.values)
        p.add_argument("--stage", required=True, choices=Stage.values)
        p.add_argument("--proves", required=True, help="证明对象")
        p.add_argument("--captured-at", required=True, help="采集时间 YYYY-MM-DD HH:MM")
        p.add_argument("--place", required=True, help="采集地点")
        p.add_argument("--collector", help="采集人用户名，默认为本人")
        p.add_argument("--media-type", default="")
        p.add_argument("--note", default="")
        p = sub.add_parser("list")
        p.add_argument("--case", help="案件编号")
        p = sub.add_parser("get")
        p.add_argument("number", help="证据编号")
        p.add_argument("output")
        p.add_argument("--reason", default="")
        p = sub.add_parser("access-log")
        p.add_argument("--number", help="证据编号")
        p = sub.add_parser("sweep", help="列出（--remove 删除）崩溃遗留的未完成上传和没有登记记录的存储文件")
        p.add_argument("--remove", action="store_true", help="删除超过 --min-age 秒的遗留文件")
        p.add_argument("--min-age", type=int, default=3600, help="只删除早于此秒数的文件（默认 3600，避开正在进行的上传）")

    def handle(self, *args, action, actor, **opts):
        if action == "sweep":
            return self._sweep(**opts)
        if not actor:
            raise CommandError("请用 --as 指定执行操作的人员用户名。")
        user = acting_user(actor)
        with service_errors():
            getattr(self, "_" + action.replace("-", "_"))(user, **opts)

    def _add(self, user, *, file, case, title, kind, stage, proves, captured_at, place, collector, media_type, note, **_):
        if not os.path.isfile(file):
            raise CommandError(f"文件不存在：{file}")
        when = _datetime(captured_at)
        case_row = services.case_of_own_agency(user, case)
        with open(file, "rb") as fh:
            upload = SpooledUpload.from_stream(
                fh, name=os.path.basename(file), media_type=media_type or mimetypes.guess_type(file)[0] or ""
            )
        evidence = services.record_evidence(
            user, upload=upload, case_number=case, case=case_row, title=title, kind=kind, stage=stage, proves=proves,
            captured_at=when, place=place, collector=acting_user(collector) if collector else user, note=note,
        )
        self.stdout.write(self.style.SUCCESS(f"已登记 {evidence.number}：{evidence.size} 字节，SM3 {evidence.sm3}"))

    def _sweep(self, *, remove, min_age, **_):
        from zhifa.evidence.models import Evidence
        from zhifa.evidence.storage import sweep

        found = sweep(set(Evidence.objects.values_list("storage_key", flat=True)), remove_files=remove, min_age=min_age)
        for key in found["incoming"]:
            self.stdout.write(f"未完成上传：{key}")
        for key in found["unrecorded"]:
            self.stdout.write(f"没有登记记录：{key}")
        if remove:
            self.stdout.write(self.style.SUCCESS(f"已删除 {len(found['removed'])} 个遗留文件。"))
        elif found["incoming"] or found["unrecorded"]:
            self.stdout.write("加 --remove 删除（只删除早于 --min-age 秒的文件）。")
        else:
            self.stdout.write(self.style.SUCCESS("没有遗留文件。"))

    def _list(self, user, *, case, **_):
        qs = selectors.visible_evidence(user)
        if case:
            qs = qs.filter(case_number=case)
        for e in qs:
            self.stdout.write(f"{e.number}\t{e.case_number}\t{e.title}\t{e.size}\t{e.sm3}")

    def _get(self, user, *, number, output, reason, **_):
        evidence = selectors.visible_evidence(user).filter(number=number).first()
        if evidence is None:
            raise CommandError(f"未找到该证据，或您无权调阅：{number}")
        services.record_access(user, evidence, action=AccessAction.DOWNLOAD, channel=AccessChannel.CLI, reason=reason)
        try:
            src = open_blob(evidence.storage_key)
        except EvidenceFileMissing:
            raise CommandError("该证据的文件缺失或无法读取（调阅已记录），请运行 zhifa ledger verify。")
        with src, open(output, "wb") as out:
            while chunk := src.read(1024 * 1024):
                out.write(chunk)
        self.stdout.write(self.style.SUCCESS(f"已取回 {number} 到 {output}（调阅已记录）。"))

    def _access_log(self, user, *, number, **_):
        if not selectors.may_see_access_log(user):
            raise CommandError("调阅记录仅对监督人员、机关负责人和系统管理员开放。")
        qs = selectors.visible_accesses(user)
        if number:
            qs = qs.filter(evidence__number=number)
        for a in qs:
            self.stdout.write(
                f"{timezone.localtime(a.at):%Y-%m-%d %H:%M:%S}\t{a.person.full_name}\t{a.evidence.number}\t"
                f"{a.get_action_display()}\t{a.get_channel_display()}\t{a.reason}"
            )
