import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.evidence.models import Evidence, EvidenceAccess
from zhifa.ledger.models import LedgerEvent

from . import factories as ef


def form_data(case_number, world, data=b"recording bytes " * 1000, name="执法记录仪_询问.mp4"):
    return {
        "file": SimpleUploadedFile(name, data, content_type="video/mp4"),
        "case_number": case_number,
        "title": "执法记录仪录像（询问）",
        "kind": "audiovisual",
        "stage": "investigation",
        "proves": "当事人承认未按规定储存危险化学品",
        "captured_at": "2026-11-20T10:30",
        "place": "嘉兴市南湖区 某公司会议室",
        "collector": world.officer_a.pk,
    }


def test_officer_uploads_through_the_page(case_number, client, world):
    client.force_login(world.officer_a)
    assert "登记证据" in client.get(reverse("evidence-create")).content.decode()
    data = b"recording bytes " * 100_000
    response = client.post(reverse("evidence-create"), form_data(case_number, world, data))
    e = Evidence.objects.get()
    assert response.status_code == 302 and response.url == reverse("evidence-detail", args=[e.pk])
    assert e.sm3 == hashlib.new("sm3", data).hexdigest() and "音像" in e.number and e.media_type == "video/mp4"


def test_bad_upload_shows_chinese_errors_and_stores_nothing(case_number, client, world, evidence_dir):
    client.force_login(world.officer_a)
    bad = form_data(case_number, world)
    bad["captured_at"] = "昨天"
    bad["proves"] = ""
    response = client.post(reverse("evidence-create"), bad)
    assert response.status_code == 400 and "未作任何修改" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))


def test_viewing_and_downloading_are_logged_and_shown_to_supervisors(client, world):
    e = ef.evidence(world.officer_a, b"photo-bytes")
    client.force_login(world.officer_a)
    page = client.get(reverse("evidence-detail", args=[e.pk])).content.decode()
    assert e.sm3 in page and "调阅记录" not in page  # officers don't see who looked
    response = client.get(reverse("evidence-download", args=[e.pk]), {"reason": "制作案卷"})
    assert b"".join(response.streaming_content) == b"photo-bytes"
    assert response["X-Content-SM3"] == e.sm3 and "filename*=UTF-8''" in response["Content-Disposition"]
    assert list(EvidenceAccess.objects.order_by("id").values_list("action", "reason")) == [("view", ""), ("download", "制作案卷")]
    assert LedgerEvent.objects.filter(kind="evidence.accessed").count() == 2

    client.force_login(world.city_supervisor)
    log = client.get(reverse("evidence-access-log")).content.decode()
    assert "制作案卷" in log and "张伟" in log and e.number in log
    client.force_login(world.officer_a)
    assert client.get(reverse("evidence-access-log")).status_code == 403


def test_evidence_is_scoped_to_agencies(client, world):
    e = ef.evidence(world.officer_a)
    client.force_login(world.officer_other)
    assert client.get(reverse("evidence-detail", args=[e.pk])).status_code == 404
    assert client.get(reverse("evidence-download", args=[e.pk])).status_code == 404
    assert e.number not in client.get(reverse("evidence-list")).content.decode()
    assert not EvidenceAccess.objects.exists()
    client.force_login(world.province_supervisor)
    assert client.get(reverse("evidence-detail", args=[e.pk])).status_code == 200


def test_ledger_pages_show_head_and_verified_inclusion(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("ledger-overview")).content.decode()
    assert "根哈希" in page and "org.agency.created" in page
    detail = client.get(reverse("ledger-event", args=[0])).content.decode()
    assert "已按 RFC 9162 验证" in detail
    client.force_login(world.officer_other)
    assert client.get(reverse("ledger-event", args=[0])).status_code == 404


def test_missing_file_is_a_clear_410_and_the_attempt_is_logged(client, world, evidence_dir):
    e = ef.evidence(world.officer_a, b"will vanish")
    (evidence_dir / e.storage_key).unlink()
    client.force_login(world.officer_a)
    response = client.get(reverse("evidence-download", args=[e.pk]))
    assert response.status_code == 410 and "zhifa ledger verify" in response.content.decode()
    assert EvidenceAccess.objects.filter(action="download").count() == 1
    assert client.get(f"/api/v1/evidence/{e.pk}/content/").status_code == 410


def test_oversized_upload_is_refused_before_reading(case_number, client, world, settings):
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 1000
    client.force_login(world.officer_a)
    response = client.post(reverse("evidence-create"), form_data(case_number, world, b"x" * 2_000_000))
    assert response.status_code == 413 and "超过上限" in response.content.decode()
    api = client.post("/api/v1/evidence/", form_data(case_number, world, b"x" * 2_000_000))
    assert api.status_code == 413 and "超过上限" in api.json()["detail"]
    assert not Evidence.objects.exists()
