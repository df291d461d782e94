import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.core.roles import Role
from zhifa.org import services
from zhifa.org.models import Agency, Credential, CredentialStatus, Person
from zhifa.org.selectors import staffing_report
from zhifa.org.tests import factories as f

pytestmark = pytest.mark.django_db


def test_create_agency_rejects_bad_uscc_and_writes_nothing(world):
    before = Agency.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_agency(
            world.admin, name="嘉兴市生态环境局", short_name="嘉环", uscc="11330400MB1234567X", level="city",
            region_code="330400", region_name="浙江省嘉兴市", sector="生态环境",
        )
    assert "统一社会信用代码" in str(exc.value.message_dict["uscc"])
    assert Agency.objects.count() == before


def test_only_administrators_write(world):
    with pytest.raises(PermissionDenied, match="系统管理员"):
        services.create_agency(world.officer_a, name="x")
    with pytest.raises(PermissionDenied):
        services.issue_credential(world.head_a, person=world.officer_a, number="1")
    with pytest.raises(PermissionDenied):
        services.change_credential_status(world.city_supervisor, world.cred_a, status="revoked", reason="x")


def test_unknown_fields_are_refused(world):
    with pytest.raises(ValidationError, match="不可修改"):
        services.update_agency(world.admin, world.city_a, pk=999)


def test_person_roles_are_replaced_not_appended(world):
    p = world.officer_a
    services.update_person(world.admin, p, roles=[Role.REVIEWER, Role.HEAD])
    p.refresh_from_db()
    assert Person.objects.get(pk=p.pk).role_codes == {Role.REVIEWER, Role.HEAD}
    with pytest.raises(ValidationError, match="未知角色"):
        services.update_person(world.admin, p, roles=["boss"])


def test_person_department_must_belong_to_agency(world):
    dept = services.create_department(world.admin, agency=world.other_city, name="执法支队", function="enforcement")
    with pytest.raises(ValidationError, match="内设机构不属于"):
        f.person(world.city_a, Role.OFFICER, department=dept)


def test_weak_password_is_refused_in_chinese(world):
    with pytest.raises(ValidationError) as exc:
        f.person(world.city_a, Role.OFFICER, username="weak", password="123")
    assert "密码" in " ".join(exc.value.messages)
    assert not Person.objects.filter(username="weak").exists()


def test_credential_rules(world):
    with pytest.raises(ValidationError, match="不能早于"):
        f.credential(world.officer_a, valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2025, 1, 1))
    aux = f.person(world.city_a, username="aux", is_auxiliary=True)
    with pytest.raises(ValidationError, match="辅助人员"):
        f.credential(aux)
    with pytest.raises(ValidationError):
        f.credential(world.officer_county, number=world.cred_a.number)  # numbers are unique
    assert Credential.objects.filter(person=world.officer_county).count() == 0


def test_credential_status_changes(world):
    c = world.cred_a
    with pytest.raises(ValidationError, match="原因"):
        services.change_credential_status(world.admin, c, status=CredentialStatus.SUSPENDED, reason=" ")
    services.change_credential_status(world.admin, c, status=CredentialStatus.SUSPENDED, reason="暂扣审查")
    assert c.effective_status()[1] == "暂扣"
    services.change_credential_status(world.admin, c, status=CredentialStatus.VALID, reason="")
    services.change_credential_status(world.admin, c, status=CredentialStatus.REVOKED, reason="调离执法岗位")
    with pytest.raises(ValidationError, match="不能恢复"):
        services.change_credential_status(world.admin, c, status=CredentialStatus.VALID, reason="")


def test_effective_status_from_dates(world):
    c = world.cred_a
    assert c.effective_status(dt.date(2029, 1, 1)) == ("expired", "已过期")
    assert c.effective_status(dt.date(2023, 1, 1)) == ("not_yet_valid", "尚未生效")
    assert c.effective_status(dt.date(2026, 6, 1)) == ("valid", "有效")


def test_staffing_check_warns_below_five_percent(world):
    agency = f.agency("海盐县综合行政执法局", region="330424", level="county")
    for i in range(21):
        f.person(agency, Role.OFFICER, username=f"zf{i}")
    f.person(agency, Role.REVIEWER, username="rv1")
    report = staffing_report(agency)
    assert report["officers"] == 21 and report["reviewers"] == 1
    assert not report["ok"] and report["required_reviewers"] == 2
    assert "低于执法人员" in report["message"]
    f.person(agency, Role.REVIEWER, username="rv2", has_legal_qualification=True)
    report = staffing_report(agency)
    assert report["ok"] and report["qualified_reviewers"] == 1


def test_exactly_five_percent_is_enough(world):
    agency = f.agency(region="330424", level="county")
    for i in range(20):
        f.person(agency, Role.OFFICER, username=f"o{i}")
    f.person(agency, Role.REVIEWER, username="r0")
    assert staffing_report(agency)["ok"]


def test_bootstrap_administrator_only_once(world):
    with pytest.raises(ValidationError, match="已有管理员"):
        services.bootstrap_administrator(username="root2", password=f.PASSWORD, full_name="x")
