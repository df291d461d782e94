import datetime
import io

from django.utils import timezone

from zhifa.evidence import services
from zhifa.evidence.models import EvidenceKind, Stage
from zhifa.evidence.storage import SpooledUpload


def upload(data: bytes = b"\x89PNG demo photo bytes", name: str = "现场照片.jpg", media_type: str = "image/jpeg"):
    return SpooledUpload.from_stream(io.BytesIO(data), name=name, media_type=media_type)


def fields(collector, **overrides):
    data = dict(
        case_number="测应急立〔2026〕18号",
        title="仓库东侧现场照片",
        kind=EvidenceKind.AUDIOVISUAL,
        stage=Stage.ON_SITE,
        proves="消防通道堆放货物、未保持畅通",
        captured_at=timezone.now() - datetime.timedelta(hours=2),
        place="嘉兴市南湖区凌公塘路 1288 号 3 号仓库",
        collector=collector,
    )
    data.update(overrides)
    return data


def evidence(actor, data: bytes = b"\x89PNG demo photo bytes", **overrides):
    name = overrides.pop("name", "现场照片.jpg")
    media_type = overrides.pop("media_type", "image/jpeg")
    collector = overrides.pop("collector", actor)
    return services.record_evidence(actor, upload=upload(data, name, media_type), **fields(collector, **overrides))
