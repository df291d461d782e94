import pytest
from rest_framework.test import APIClient

from zhifa.org.models import Agency, Credential, Person
from zhifa.org.validators import make_uscc

pytestmark = pytest.mark.django_db


def client_for(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_login_required():
    r = client_for().get("/api/v1/agencies/")
    assert r.status_code in (401, 403)
    assert "身份认证" in r.json()["detail"] or "认证" in r.json()["detail"]


def test_no_cross_agency_reads(world):
    c = client_for(world.officer_a)
    ids = {a["id"] for a in c.get("/api/v1/agencies/").json()["results"]}
    assert ids == {world.city_a.pk}
    for url in (
        f"/api/v1/agencies/{world.other_city.pk}/",
        f"/api/v1/agencies/{world.other_city.pk}/staffing/",
        f"/api/v1/people/{world.officer_other.pk}/",
        f"/api/v1/credentials/{world.cred_other.pk}/",
    ):
        r = c.get(url)
        assert r.status_code == 404, url
        assert "未找到" in r.json()["detail"]
    people = {p["id"] for p in c.get("/api/v1/people/?limit=500").json()["results"]}
    assert world.officer_other.pk not in people and world.officer_a.pk in people


def test_supervisor_reads_subordinate_agency(world):
    c = client_for(world.city_supervisor)
    assert c.get(f"/api/v1/people/{world.officer_county.pk}/").status_code == 200
    assert c.get(f"/api/v1/people/{world.officer_other.pk}/").status_code == 404


def test_id_number_never_in_api_output(world):
    data = client_for(world.admin).get(f"/api/v1/people/{world.officer_a.pk}/").json()
    assert "id_number" not in data and data["full_name"] == "张伟"


def test_admin_creates_agency_and_bad_input_changes_nothing(world):
    c = client_for(world.admin)
    body = {
        "name": "嘉兴市生态环境局", "short_name": "嘉环", "uscc": make_uscc("1133040000009901"), "level": "city",
        "region_code": "330400", "region_name": "浙江省嘉兴市", "sector": "生态环境",
    }
    bad = c.post("/api/v1/agencies/", {**body, "uscc": "123", "level": "galaxy"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["detail"] == "提交的数据有误，未作任何修改。"
    assert "18位" in str(bad.json()["errors"]["uscc"]) and "level" in bad.json()["errors"]
    assert not Agency.objects.filter(name="嘉兴市生态环境局").exists()
    ok = c.post("/api/v1/agencies/", body, format="json")
    assert ok.status_code == 201, ok.json()
    dup = c.post("/api/v1/agencies/", body, format="json")
    assert dup.status_code == 400 and "已存在" in str(dup.json()["errors"])


def test_non_admin_cannot_write(world):
    r = client_for(world.head_a).patch(f"/api/v1/agencies/{world.city_a.pk}/", {"phone": "1"}, format="json")
    assert r.status_code == 403 and "系统管理员" in r.json()["detail"]


def test_create_person_with_roles_and_scoped_agency(world):
    c = client_for(world.admin)
    r = c.post(
        "/api/v1/people/",
        {"username": "newbie", "full_name": "孙丽", "agency": world.city_a.pk, "roles": ["officer"], "password": "Xk#82mq!zz"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["roles"] == ["officer"]
    assert Person.objects.get(username="newbie").check_password("Xk#82mq!zz")
    r = c.post("/api/v1/people/", {"username": "x2", "full_name": "x", "roles": ["emperor"]}, format="json")
    assert r.status_code == 400 and not Person.objects.filter(username="x2").exists()


def test_credential_issue_and_status(world):
    c = client_for(world.admin)
    r = c.post(
        "/api/v1/credentials/",
        {"person": world.officer_county.pk, "number": "33042411009", "issuing_authority": "浙江省人民政府",
         "scope": "安全生产监督管理", "area": "海盐县", "valid_from": "2025-01-01", "valid_until": "2024-01-01"},
        format="json",
    )
    assert r.status_code == 400 and "不能早于" in str(r.json()["errors"])
    r = c.post(f"/api/v1/credentials/{world.cred_a.pk}/status/", {"status": "suspended"}, format="json")
    assert r.status_code == 400 and "原因" in str(r.json()["errors"])
    r = c.post(f"/api/v1/credentials/{world.cred_a.pk}/status/", {"status": "suspended", "reason": "审查"}, format="json")
    assert r.status_code == 200 and r.json()["effective_status"] == "suspended"
    assert Credential.objects.get(pk=world.cred_a.pk).status == "suspended"


def test_public_officer_endpoint_has_no_private_data(world):
    r = client_for().get(f"/api/v1/public/officers/{world.officer_a.public_token}/")
    assert r.status_code == 200
    data = r.json()
    assert data["full_name"] == "张伟" and data["holds_valid_credential"] is True
    text = str(data)
    for secret in ("13800000001", "330402199003071237", "officer_a", "password"):
        assert secret not in text
    assert client_for().get("/api/v1/public/officers/nope/").status_code == 404
    listed = client_for().get("/api/v1/public/officers/?q=张伟").json()
    assert [p["full_name"] for p in listed] == ["张伟"]


def test_staffing_endpoint(world):
    data = client_for(world.head_a).get(f"/api/v1/agencies/{world.city_a.pk}/staffing/").json()
    assert data["officers"] == 2 and data["reviewers"] == 1 and data["ok"] is True


def test_openapi_schema_is_served_offline(client):
    r = client.get("/api/schema/?format=json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["info"]["title"] == "执法平台 API"
    for path in ("/api/v1/agencies/", "/api/v1/workdays/deadline/", "/api/v1/public/officers/{token}/"):
        assert path in schema["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn.jsdelivr" not in docs.content
