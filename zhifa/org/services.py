"""Every write to agencies, departments, people, roles and credentials.

Each function checks who is acting, validates with the model's own rules (Chinese
messages), and changes state in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.core.errors import require
from zhifa.core.roles import Role

from .models import Agency, Credential, CredentialStatus, Department, Person, PersonRole
from .selectors import can_manage

AGENCY_FIELDS = (
    "name short_name uscc level region_code region_name kind sector is_supervisory parent "
    "address phone office_hours is_active"
).split()
PERSON_FIELDS = (
    "full_name agency department gender position phone id_number is_auxiliary "
    "has_legal_qualification legal_qualification_number is_active"
).split()
CREDENTIAL_FIELDS = "kind number issuing_authority scope area valid_from valid_until".split()


def _assign(obj, data: dict, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    for key, value in data.items():
        setattr(obj, key, value.strip() if isinstance(value, str) else value)


def _save_agency(agency: Agency, data: dict) -> Agency:
    _assign(agency, data, AGENCY_FIELDS)
    agency.uscc = (agency.uscc or "").strip().upper()
    if agency.parent_id and agency.parent_id == agency.pk:
        raise ValidationError({"parent": "上级业务主管部门不能是本机关。"})
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def create_agency(actor, **data) -> Agency:
    require(can_manage(actor), "只有系统管理员可以新增执法主体。")
    return _save_agency(Agency(), data)


@transaction.atomic
def update_agency(actor, agency: Agency, **data) -> Agency:
    require(can_manage(actor), "只有系统管理员可以修改执法主体。")
    return _save_agency(agency, data)


@transaction.atomic
def create_department(actor, *, agency: Agency, name: str, function: str) -> Department:
    require(can_manage(actor), "只有系统管理员可以新增内设机构。")
    department = Department(agency=agency, name=(name or "").strip(), function=function)
    department.full_clean()
    department.save()
    return department


def _check_person(person: Person) -> None:
    if person.department_id and person.department.agency_id != person.agency_id:
        raise ValidationError({"department": "内设机构不属于所选执法主体。"})
    person.id_number = (person.id_number or "").strip().upper()


def _set_roles(person: Person, roles) -> None:
    roles = set(roles or [])
    bad = roles - set(Role.values)
    if bad:
        raise ValidationError({"roles": f"未知角色：{'、'.join(sorted(bad))}"})
    if roles and person.agency_id is None:
        raise ValidationError({"agency": "分配角色的人员必须属于某一执法主体。"})
    person.role_assignments.exclude(role__in=roles).delete()
    for role in roles - set(person.role_assignments.values_list("role", flat=True)):
        PersonRole.objects.create(person=person, role=role)
    person.__dict__.pop("_role_codes", None)


@transaction.atomic
def create_person(actor, *, username: str, password: str | None = None, roles=(), **data) -> Person:
    require(can_manage(actor), "只有系统管理员可以新增人员。")
    person = Person(username=(username or "").strip())
    _assign(person, data, PERSON_FIELDS)
    _check_person(person)
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, person)
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean()
    person.save()
    _set_roles(person, roles)
    return person


@transaction.atomic
def update_person(actor, person: Person, *, roles=None, **data) -> Person:
    require(can_manage(actor), "只有系统管理员可以修改人员信息。")
    _assign(person, data, PERSON_FIELDS)
    _check_person(person)
    person.full_clean()
    person.save()
    if roles is not None:
        _set_roles(person, roles)
    return person


@transaction.atomic
def issue_credential(actor, *, person: Person, **data) -> Credential:
    require(can_manage(actor), "只有系统管理员可以登记执法证件。")
    credential = Credential(person=person)
    _assign(credential, data, CREDENTIAL_FIELDS)
    if person.is_auxiliary:
        # 执法辅助人员 may not hold an enforcement credential or act alone (DOMAIN.md R8.6).
        raise ValidationError({"person": "执法辅助人员不得持有行政执法证件。"})
    if credential.valid_from and credential.valid_until and credential.valid_until < credential.valid_from:
        raise ValidationError({"valid_until": "有效期至不能早于有效期起。"})
    credential.full_clean()
    credential.save()
    return credential


@transaction.atomic
def change_credential_status(actor, credential: Credential, *, status: str, reason: str) -> Credential:
    require(can_manage(actor), "只有系统管理员可以变更证件状态。")
    if status not in CredentialStatus.values:
        raise ValidationError({"status": "证件状态无效。"})
    reason = (reason or "").strip()
    if status != CredentialStatus.VALID and not reason:
        raise ValidationError({"reason": "暂扣、注销或挂失证件必须填写原因。"})
    if credential.status == CredentialStatus.REVOKED and status != CredentialStatus.REVOKED:
        raise ValidationError({"status": "已注销的证件不能恢复，请重新核发。"})
    credential.status = status
    credential.status_reason = reason
    credential.full_clean()
    credential.save()
    return credential


@transaction.atomic
def bootstrap_administrator(*, username: str, password: str, full_name: str, agency: Agency | None = None) -> Person:
    """The first administrator of a fresh installation, who then creates everyone else."""
    if Person.objects.filter(role_assignments__role=Role.ADMIN).exists():
        raise ValidationError("系统已有管理员，请由现有管理员创建账号。")
    admin = Person(username=username, full_name=full_name, agency=agency, is_staff=True, is_superuser=True)
    admin.set_password(password)
    admin.full_clean()
    admin.save()
    PersonRole.objects.create(person=admin, role=Role.ADMIN)
    return admin


def bootstrap_agency(**data) -> Agency:
    """The first agency, created before any administrator exists (installation only)."""
    if Agency.objects.exists():
        raise ValidationError("系统已有执法主体，请由管理员新增。")
    return _save_agency(Agency(), data)
