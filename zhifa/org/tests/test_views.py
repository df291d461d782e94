import pytest

from zhifa.org.models import Agency, Credential, Person
from zhifa.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_pages_require_login(client):
    r = client.get("/org/agencies/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_no_cross_agency_reads_through_pages(world, as_user):
    c = as_user(world.officer_a)
    for url in (
        f"/org/agencies/{world.other_city.pk}/",
        f"/org/people/{world.officer_other.pk}/",
        f"/org/credentials/{world.cred_other.pk}/",
        f"/org/credentials/{world.cred_other.pk}/qr.svg",
    ):
        r = c.get(url)
        assert r.status_code == 404, url
        assert "未找到" in r.content.decode()
    listing = c.get("/org/people/").content.decode()
    assert "张伟" in listing and "周杰" not in listing
    assert "湖州市应急管理局" not in c.get("/org/agencies/").content.decode()
    assert "33050011001" not in c.get("/org/credentials/?q=3305").content.decode()


def test_supervisor_pages_cover_subordinates(world, as_user):
    c = as_user(world.city_supervisor)
    page = c.get("/org/agencies/").content.decode()
    assert "海盐县应急管理局" in page and "湖州市应急管理局" not in page
    assert c.get(f"/org/people/{world.officer_county.pk}/").status_code == 200


def test_home_page_per_role(world, as_user):
    officer = as_user(world.officer_a).get("/").content.decode()
    assert "我的执法证件" in officer and "33040011001" in officer and "监督范围" not in officer
    sup = as_user(world.city_supervisor).get("/").content.decode()
    assert "监督范围" in sup and "我的执法证件" not in sup
    head = as_user(world.head_a).get("/").content.decode()
    assert "第一责任人" in head
    admin = as_user(world.admin).get("/").content.decode()
    assert "系统管理" in admin


def test_home_page_lists_credentials_running_out(world, as_user):
    import datetime as dt

    from django.utils import timezone

    from zhifa.org.tests import factories as f

    soon = timezone.localdate() + dt.timedelta(days=10)
    later = f.credential(world.officer_a, number="330400990002", valid_until=soon + dt.timedelta(days=5))
    credential = f.credential(world.officer_county, number="330400990001", valid_until=soon)
    page = as_user(world.admin).get("/").content.decode()
    assert later.valid_until > credential.valid_until and page.index("330400990001") < page.index("330400990002")  # soonest first
    row = f'<tr><td><a href="/org/credentials/{credential.pk}/">330400990001</a></td><td>{world.officer_county.full_name}</td>'
    assert "即将到期或已过期的执法证件" in page and row in page
    assert f"<td>{world.officer_county.agency.short_name}</td><td>{soon:%Y-%m-%d}</td></tr>" in page
    assert "330400990001" not in as_user(world.officer_a).get("/").content.decode()  # officers do not get the list


def test_login_with_wrong_password_shows_chinese_error(world, client):
    r = client.post("/login/", {"username": "officer_a", "password": "wrong"})
    assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()
    r = client.post("/login/", {"username": "officer_a", "password": PASSWORD})
    assert r.status_code == 302


def test_agency_form_bad_input_changes_nothing(world, as_user):
    c = as_user(world.admin)
    r = c.post("/org/agencies/new/", {"name": "嘉兴市生态环境局", "uscc": "bad", "level": "nowhere", "region_code": "x"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "未作任何修改" in body and "统一社会信用代码应为18位" in body and "行政区划代码应为6位数字" in body
    assert not Agency.objects.filter(name="嘉兴市生态环境局").exists()


def test_agency_form_forbidden_for_officer(world, as_user):
    r = as_user(world.officer_a).post(f"/org/agencies/{world.city_a.pk}/edit/", {"name": "改名"})
    assert r.status_code == 403 and "系统管理员" in r.content.decode()
    assert Agency.objects.get(pk=world.city_a.pk).name == "嘉兴市应急管理局"


def test_person_form_creates_person(world, as_user):
    c = as_user(world.admin)
    r = c.post("/org/people/new/", {"username": "sunli", "full_name": "孙丽", "agency": world.city_a.pk, "roles": ["officer"], "password": "Xk#82mq!zz", "is_active": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Person.objects.get(username="sunli").role_codes == {"officer"}
    r = c.post("/org/people/new/", {"username": "bad user!", "full_name": "", "id_number": "123"})
    assert r.status_code == 200 and "未作任何修改" in r.content.decode()


def test_credential_pages(world, as_user):
    c = as_user(world.admin)
    r = c.post("/org/credentials/new/", {"person": world.officer_county.pk, "number": "33042411001", "issuing_authority": "浙江省人民政府", "scope": "安全生产", "area": "海盐县", "valid_from": "2026-01-01", "valid_until": "2025-01-01", "kind": "enforcement"})
    assert r.status_code == 200 and "不能早于" in r.content.decode()
    assert not Credential.objects.filter(number="33042411001").exists()
    r = c.post(f"/org/credentials/{world.cred_a.pk}/status/", {"status": "revoked", "reason": ""})
    assert r.status_code == 302
    assert Credential.objects.get(pk=world.cred_a.pk).status == "valid"
    detail = c.get(f"/org/credentials/{world.cred_a.pk}/").content.decode()
    assert world.officer_a.public_token in detail
    qr = c.get(f"/org/credentials/{world.cred_a.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_public_officer_page_without_login(world, client):
    r = client.get(f"/gs/officers/{world.officer_a.public_token}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "张伟" in body and "33040011001" in body and "嘉兴市应急管理局" in body and "持有有效执法证件" in body
    assert "照片" in body
    for secret in ("13800000001", "330402199003071237", "officer_a"):
        assert secret not in body
    assert client.get("/gs/officers/doesnotexist/").status_code == 404
    assert client.get(f"/gs/officers/{world.officer_a.public_token}/qr.svg").status_code == 200


def test_public_page_flags_invalid_credential(world, client):
    from zhifa.org import services

    services.change_credential_status(world.admin, world.cred_a, status="suspended", reason="审查")
    body = client.get(f"/gs/officers/{world.officer_a.public_token}/").content.decode()
    assert "没有有效执法证件" in body and "暂扣" in body


def test_public_officer_list(world, client):
    body = client.get("/gs/officers/?q=张伟").content.decode()
    assert "张伟" in body and "周杰" not in body


def test_qr_uses_configured_public_base_url(world, client, settings):
    settings.ZHIFA_PUBLIC_BASE_URL = "https://zhifa.example.gov.cn/"
    client.force_login(world.admin)
    body = client.get(f"/org/credentials/{world.cred_a.pk}/").content.decode()
    assert f"https://zhifa.example.gov.cn/gs/officers/{world.officer_a.public_token}/" in body
