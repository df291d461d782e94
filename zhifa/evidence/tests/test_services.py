import hashlib
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa.evidence import services
from zhifa.evidence.models import AccessAction, AccessChannel, Evidence
from zhifa.ledger.models import LedgerEvent

from . import factories as ef


def test_recording_hashes_stores_by_content_and_numbers_like_documents(world, evidence_dir):
    data = os.urandom(300_000)
    e = ef.evidence(world.officer_a, data)
    year = timezone.localdate().year
    assert e.number == f"{world.city_a.short_name}证〔{year}〕1号"
    assert e.sm3 == hashlib.new("sm3", data).hexdigest() and e.sha256 == hashlib.sha256(data).hexdigest()
    assert e.size == len(data) and e.agency == world.city_a
    path = evidence_dir / e.storage_key
    assert path.read_bytes() == data and e.storage_key.endswith(e.sm3)
    assert oct(path.stat().st_mode & 0o777) == "0o440"
    event = LedgerEvent.objects.get(kind="evidence.recorded", object_id=str(e.pk))
    assert e.sm3 in event.entry and e.number in event.entry


def test_audio_video_records_have_their_own_series(world):
    ef.evidence(world.officer_a, b"photo")
    video = ef.evidence(world.officer_a, b"video bytes", name="执法记录仪.mp4", media_type="video/mp4")
    second = ef.evidence(world.officer_a, b"photo 2")
    assert "音像〔" in video.number and video.number.endswith("〕1号")
    assert second.number.endswith("证〔%d〕2号" % timezone.localdate().year)


def test_same_bytes_are_stored_once(world, evidence_dir):
    a = ef.evidence(world.officer_a, b"same")
    b = ef.evidence(world.officer_a, b"same", case_number="测应急立〔2026〕19号")
    assert a.storage_key == b.storage_key
    assert len([p for p in evidence_dir.rglob("*") if p.is_file()]) == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"case_number": ""}, "case_number"),
        ({"proves": "  "}, "proves"),
        ({"place": ""}, "place"),
        ({"kind": "bogus"}, "kind"),
        ({"captured_at": timezone.now() + timezone.timedelta(days=1)}, "captured_at"),
        ({"captured_at": None}, "captured_at"),
    ],
)
def test_bad_metadata_changes_nothing(world, evidence_dir, overrides, field):
    before = LedgerEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        ef.evidence(world.officer_a, **overrides)
    assert field in exc.value.message_dict
    assert not Evidence.objects.exists() and LedgerEvent.objects.count() == before
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))


def test_collector_must_hold_a_valid_credential_of_the_agency(world):
    with pytest.raises(ValidationError, match="有效的行政执法证件"):
        ef.evidence(world.head_a, collector=world.head_a)
    with pytest.raises(ValidationError, match="本执法主体"):
        ef.evidence(world.officer_a, collector=world.officer_other)


def test_empty_file_is_refused(world):
    with pytest.raises(ValidationError, match="为空"):
        ef.evidence(world.officer_a, b"")


def test_only_enforcement_people_record(world):
    for person in (world.reviewer_a, world.city_supervisor, world.admin):
        with pytest.raises(PermissionDenied):
            ef.evidence(person, collector=world.officer_a)


def test_access_is_logged_and_scoped(world):
    e = ef.evidence(world.officer_a)
    access = services.record_access(world.city_supervisor, e, action=AccessAction.DOWNLOAD, channel=AccessChannel.WEB, reason="评查")
    assert LedgerEvent.objects.filter(kind="evidence.accessed", object_id=str(access.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.record_access(world.officer_other, e, action=AccessAction.VIEW, channel=AccessChannel.WEB)
