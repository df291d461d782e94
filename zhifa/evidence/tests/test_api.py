import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from zhifa.evidence.models import Evidence, EvidenceAccess

from . import factories as ef


def token_client(person):
    api = APIClient()
    from zhifa.org.services import issue_api_token

    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(None, person)[1]}")
    return api


def test_upload_download_and_access_log_over_the_api(case_number, world):
    api = token_client(world.officer_a)
    data = b"\x00\x01body-camera" * 50_000
    response = api.post(
        "/api/v1/evidence/",
        {
            "file": SimpleUploadedFile("录像.mp4", data, content_type="video/mp4"),
            "case_number": case_number, "title": "执法记录仪录像", "kind": "audiovisual",
            "stage": "investigation", "proves": "现场检查过程", "captured_at": "2026-11-20T10:30:00+08:00",
            "place": "3 号仓库", "collector": world.officer_a.pk,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sm3"] == hashlib.new("sm3", data).hexdigest() and body["sha256"] == hashlib.sha256(data).hexdigest()
    content = api.get(f"/api/v1/evidence/{body['id']}/content/", {"reason": "移送"})
    assert b"".join(content.streaming_content) == data
    assert api.get(f"/api/v1/evidence/{body['id']}/").json()["number"] == body["number"]
    assert api.get("/api/v1/evidence/access-log/").status_code == 403

    supervisor = token_client(world.city_supervisor)
    log = supervisor.get("/api/v1/evidence/access-log/", {"evidence": body["id"]}).json()["results"]
    assert [(a["action"], a["channel"], a["reason"]) for a in log] == [("view", "api", ""), ("download", "api", "移送")]
    assert supervisor.get("/api/v1/evidence/access-log/", {"evidence": "x"}).status_code == 400


def test_bad_upload_is_400_in_chinese_and_changes_nothing(case_number, world):
    api = token_client(world.officer_a)
    response = api.post("/api/v1/evidence/", {"file": SimpleUploadedFile("a.jpg", b"x"), "kind": "x"}, format="multipart")
    assert response.status_code == 400 and "未作任何修改" in response.json()["detail"]
    response = api.post(
        "/api/v1/evidence/",
        {"file": SimpleUploadedFile("a.jpg", b"x"), "case_number": case_number, "title": "t", "kind": "physical", "stage": "filing",
         "proves": "p", "captured_at": "2026-11-20T10:30:00+08:00", "place": "p", "collector": world.officer_other.pk},
        format="multipart",
    )
    assert response.status_code == 400 and "collector" in response.json()["errors"]
    # Any text, or another agency's real case number, is refused: evidence belongs to one of the officer's own cases.
    for number, who in (("随便写的", world.officer_a), (case_number, world.officer_other)):
        response = token_client(who).post(
            "/api/v1/evidence/",
            {"file": SimpleUploadedFile("a.jpg", b"x"), "case_number": number, "title": "t", "kind": "physical", "stage": "filing",
             "proves": "p", "captured_at": "2026-11-20T10:30:00+08:00", "place": "p", "collector": who.pk},
            format="multipart",
        )
        assert response.status_code == 400 and "本执法主体的案件" in str(response.json()["errors"]["case_number"])
    assert not Evidence.objects.exists()


def test_list_is_scoped(world):
    e = ef.evidence(world.officer_a)
    assert token_client(world.officer_other).get("/api/v1/evidence/").json()["results"] == []
    assert token_client(world.officer_other).get(f"/api/v1/evidence/{e.pk}/content/").status_code == 404
    assert [r["number"] for r in token_client(world.head_a).get("/api/v1/evidence/").json()["results"]] == [e.number]
    assert not EvidenceAccess.objects.filter(person=world.officer_other).exists()
