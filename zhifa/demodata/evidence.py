"""Demo evidence: a 嘉兴市应急管理局 inspection with a site photo, a body-camera recording and a
ledger export from the company, recorded by 张伟 and later looked at by his 局长 and by 嘉兴市司法局."""

import datetime
import io
import math
import struct
import wave
import zlib

from django.utils import timezone

from zhifa.evidence import services
from zhifa.evidence.models import AccessAction, AccessChannel, Evidence, EvidenceKind, Stage
from zhifa.evidence.storage import SpooledUpload
from zhifa.org.models import Person

CASE = "嘉应急立〔2026〕18号"


def _png(width=96, height=64) -> bytes:
    """A small RGB image (a warehouse-shelf pattern), encoded by hand: PNG needs only zlib."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            shelf = (y // 16) % 2
            rows += bytes((120 + 60 * shelf, 110 + (x * 2) % 90, 90 + (y * 3) % 80))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b"")


def _wav(seconds=2.0, rate=8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate) * (0.5 + 0.5 * math.sin(i / 900))))
            for i in range(int(seconds * rate))
        )
        w.writeframes(frames)
    return out.getvalue()


CSV = (
    "日期,检查项目,检查结果,检查人\n"
    "2026-10-08,危险化学品仓库通风设施,正常,周国平\n"
    "2026-10-15,消防通道,堆放货物未清理,周国平\n"
    "2026-10-22,特种作业人员持证上岗,2人证书过期,周国平\n"
).encode("utf-8-sig")


def seed_evidence(case=None) -> int:
    """Three pieces of evidence for `case` (or, without one, filed under a 案源 number before 立案)."""
    if Evidence.objects.exists():
        return 0
    officer = Person.objects.filter(username="zhangwei").first()
    if officer is None:
        return 0
    base = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0) - datetime.timedelta(days=6 if case is None else 7)
    items = [
        ("仓库东侧现场照片.png", "image/png", _png(), "危险化学品仓库东侧现场照片", EvidenceKind.AUDIOVISUAL, Stage.ON_SITE,
         "仓库东侧消防通道堆放货物、未保持畅通", 0, "嘉兴市南湖区凌公塘路 1288 号 嘉禾化工仓储有限公司 3 号仓库"),
        ("执法记录仪录音_询问.wav", "audio/wav", _wav(), "执法记录仪录音（询问仓库负责人）", EvidenceKind.AUDIOVISUAL, Stage.INVESTIGATION,
         "仓库负责人承认特种作业人员证书过期仍上岗作业", 1, "嘉禾化工仓储有限公司 办公楼二楼会议室"),
        ("安全检查台账.csv", "text/csv", CSV, "企业自查安全检查台账（电子数据）", EvidenceKind.ELECTRONIC, Stage.INVESTIGATION,
         "企业自查已发现消防通道堵塞问题但未整改", 1, "嘉禾化工仓储有限公司 安全管理部"),
    ]
    recorded = []
    for name, media_type, data, title, kind, stage, proves, day, place in items:
        upload = SpooledUpload.from_stream(io.BytesIO(data), name=name, media_type=media_type)
        recorded.append(
            services.record_evidence(
                officer, upload=upload, case_number=case.number if case else CASE, case=case, title=title, kind=kind, stage=stage, proves=proves,
                captured_at=base + datetime.timedelta(days=day, minutes=25 * len(recorded)), place=place, collector=officer,
            )
        )
    head = Person.objects.filter(username="wangqiang").first()
    supervisor = Person.objects.filter(username="chenjing").first()
    if head:
        services.record_access(head, recorded[1], action=AccessAction.VIEW, channel=AccessChannel.WEB, ip="10.33.4.21")
    if supervisor:
        services.record_access(
            supervisor, recorded[0], action=AccessAction.DOWNLOAD, channel=AccessChannel.WEB,
            reason="案卷评查抽查", ip="10.33.1.8",
        )
    return len(recorded)
