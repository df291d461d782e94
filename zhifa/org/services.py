"""Every write to agencies, departments, people, roles and credentials.

Each function checks who is acting, validates with the model's own rules (Chinese
messages), and changes state and appends its ledger event in one transaction.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import validation
from zhifa.core.errors import require
from zhifa.core.roles import Role
from zhifa.core.text import require_plain
from zhifa.ledger import services as ledger

from .models import Agency, ApiToken, Credential, CredentialStatus, Department, Person, PersonRole
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
DEPARTMENT_FIELDS = ["agency", "name", "function"]
CREDENTIAL_RECORD = ["person", *CREDENTIAL_FIELDS, "status", "status_reason"]


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    """Personal numbers go into the permanent ledger masked (个人信息保护法: minimum necessary)."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def person_record(person: Person, roles=None) -> dict:
    """What the ledger keeps of a person; `roles` when the caller already read them."""
    record = ledger.snapshot(person, ["username", *PERSON_FIELDS])
    record["id_number"] = _mask(record["id_number"] or "", 6, 4)
    record["phone"] = _mask(record["phone"] or "", 3, 4)
    record["roles"] = sorted(person.role_assignments.values_list("role", flat=True) if roles is None else roles)
    record["is_superuser"], record["is_staff"] = person.is_superuser, person.is_staff  # powers beyond the roles
    return record


def token_fingerprint(key: str) -> str:
    """The SM3 hash of an API token: all that is stored of it, in the database and in the ledger."""
    from zhifa.ledger.rfc9162 import sm3

    return sm3(key.encode()).hex()


TOKEN_FIELDS = ["person", "label", "digest", "expires_at", "revoked_at"]
TOKEN_PREFIX = "zf_"
MAX_ACTIVE_TOKENS = 10


def _may_manage_tokens(actor, person: Person) -> bool:
    return actor is None or actor.pk == person.pk or can_manage(actor)


@transaction.atomic
def issue_api_token(actor, person: Person, label: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for `person`: returns the stored record and the token itself, which is shown once and kept
    nowhere (the database and the ledger keep its SM3 hash). It expires after `days` (ZHIFA_API_TOKEN_DAYS)."""
    require(_may_manage_tokens(actor, person), "只能为本人或所管理执法主体的人员签发接口令牌。")
    if not person.is_active:
        raise ValidationError("该人员已停用，不能签发接口令牌。")
    label = (label or "").strip()
    require_plain(label=label)
    if len(label) > 60:
        raise ValidationError({"label": "用途不能超过 60 个字。"})
    limit = settings.ZHIFA_API_TOKEN_MAX_DAYS
    days = settings.ZHIFA_API_TOKEN_DAYS if days is None else days
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= limit:
        raise ValidationError({"days": f"有效期须为 1–{limit} 天。"})
    now = timezone.now()
    active = ApiToken.objects.select_for_update().filter(person=person, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"每人最多 {MAX_ACTIVE_TOKENS} 个有效令牌，请先吊销不用的令牌。")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person, label=label, digest=token_fingerprint(key), prefix=key[:10], created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    ledger.append("org.api_token.issued", actor=actor, obj=token, agency_id=person.agency_id,
                  data={**ledger.snapshot(token, TOKEN_FIELDS), "username": person.username})
    return token, key


@transaction.atomic
def revoke_api_token(actor, token: ApiToken) -> bool:
    """Revoke `token` (kept, marked revoked); False when it was already revoked."""
    token = ApiToken.objects.select_for_update().select_related("person").get(pk=token.pk)
    require(_may_manage_tokens(actor, token.person), "只能吊销本人或所管理执法主体人员的接口令牌。")
    if token.revoked_at is not None:
        return False
    before = ledger.snapshot(token, TOKEN_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    ledger.append("org.api_token.revoked", actor=actor, obj=token, agency_id=token.person.agency_id,
                  data={"changes": ledger.changes(before, ledger.snapshot(token, TOKEN_FIELDS))})
    return True


def revoke_all_api_tokens(actor, person: Person) -> int:
    """Revoke every token of `person` that is still valid (a person leaving, a lost phone); returns how many."""
    tokens = ApiToken.objects.filter(person=person, revoked_at__isnull=True, expires_at__gt=timezone.now())
    return sum(revoke_api_token(actor, token) for token in tokens)


def api_tokens(actor, person: Person):
    """The tokens of `person`, newest first, for the person or those who manage them."""
    require(_may_manage_tokens(actor, person), "只能查看本人或所管理执法主体人员的接口令牌。")
    return ApiToken.objects.filter(person=person)


def _assign(obj, data: dict, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    for key, value in data.items():
        setattr(obj, key, value.strip() if isinstance(value, str) else value)


def _save_agency(actor, agency: Agency, data: dict) -> Agency:
    before = ledger.snapshot(agency, AGENCY_FIELDS) if agency.pk else None
    _assign(agency, data, AGENCY_FIELDS)
    agency.uscc = (agency.uscc or "").strip().upper()
    if agency.parent_id and agency.parent_id == agency.pk:
        raise ValidationError({"parent": "上级业务主管部门不能是本机关。"})
    require_plain(name=agency.name, short_name=agency.short_name)
    validation.save(agency)
    after = ledger.snapshot(agency, AGENCY_FIELDS)
    if before is None:
        ledger.append("org.agency.created", actor=actor, obj=agency, data=after)
    else:
        ledger.append("org.agency.updated", actor=actor, obj=agency, data={"changes": ledger.changes(before, after)})
    return agency


@transaction.atomic
def create_agency(actor, **data) -> Agency:
    require(can_manage(actor), "只有系统管理员可以新增执法主体。")
    return _save_agency(actor, Agency(), data)


@transaction.atomic
def update_agency(actor, agency: Agency, **data) -> Agency:
    require(can_manage(actor), "只有系统管理员可以修改执法主体。")
    return _save_agency(actor, agency, data)


@transaction.atomic
def create_department(actor, *, agency: Agency, name: str, function: str) -> Department:
    require(can_manage(actor), "只有系统管理员可以新增内设机构。")
    department = Department(agency=agency, name=(name or "").strip(), function=function)
    require_plain(name=department.name)
    validation.save(department)
    ledger.append("org.department.created", actor=actor, obj=department, data=ledger.snapshot(department, DEPARTMENT_FIELDS))
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
        validate_password(password, person)
        person.set_password(password)
    else:
        person.set_unusable_password()
    require_plain(full_name=person.full_name, username=person.username, position=getattr(person, "position", ""))
    validation.save(person)
    _set_roles(person, roles)
    ledger.append("org.person.created", actor=actor, obj=person, data=person_record(person))
    return person


@transaction.atomic
def update_person(actor, person: Person, *, roles=None, **data) -> Person:
    require(can_manage(actor), "只有系统管理员可以修改人员信息。")
    before = person_record(person)
    _assign(person, data, PERSON_FIELDS)
    _check_person(person)
    require_plain(full_name=person.full_name, username=person.username, position=getattr(person, "position", ""))
    validation.save(person, changed=list(data))
    if roles is not None:
        _set_roles(person, roles)
    after = person_record(person, None if roles is not None else before["roles"])
    ledger.append("org.person.updated", actor=actor, obj=person, data={"changes": ledger.changes(before, after)})
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
    validation.save(credential)
    ledger.append(
        "org.credential.issued",
        actor=actor,
        obj=credential,
        agency_id=person.agency_id,
        data=ledger.snapshot(credential, CREDENTIAL_RECORD),
    )
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
    before = ledger.snapshot(credential, ["status", "status_reason"])
    credential.status = status
    credential.status_reason = reason
    validation.save(credential, changed=["status", "status_reason"])
    ledger.append(
        "org.credential.status_changed",
        actor=actor,
        obj=credential,
        agency_id=credential.person.agency_id,
        data={"number": credential.number, "changes": ledger.changes(before, ledger.snapshot(credential, ["status", "status_reason"]))},
    )
    return credential


@transaction.atomic
def bootstrap_administrator(*, username: str, password: str, full_name: str, agency: Agency | None = None) -> Person:
    """The first administrator of a fresh installation, who then creates everyone else."""
    if Person.objects.filter(role_assignments__role=Role.ADMIN).exists():
        raise ValidationError("系统已有管理员，请由现有管理员创建账号。")
    admin = Person(username=username, full_name=full_name, agency=agency, is_staff=True, is_superuser=True)
    validate_password(password, admin)
    admin.set_password(password)
    validation.save(admin)
    PersonRole.objects.create(person=admin, role=Role.ADMIN)
    ledger.append("org.person.created", actor=None, obj=admin, data={**person_record(admin), "bootstrap": True})
    return admin


@transaction.atomic
def bootstrap_agency(**data) -> Agency:
    """The first agency, created before any administrator exists (installation only)."""
    if Agency.objects.exists():
        raise ValidationError("系统已有执法主体，请由管理员新增。")
    return _save_agency(None, Agency(), data)


def locked_accounts() -> list[dict]:
    """Accounts locked after too many wrong passwords, now: username, failures, last attempt and address."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
    return [
        {"username": a.username, "failures": a.failures_since_start, "last_attempt": a.attempt_time, "ip_address": a.ip_address,
         "unlocks_at": a.attempt_time + settings.AXES_COOLOFF_TIME}
        for a in rows.order_by("-attempt_time")
    ]


@transaction.atomic
def unlock_login(actor, username: str) -> int:
    """An administrator lifts the lock on an account before it runs out; recorded on the ledger. Returns how
    many failed attempts were cleared (0: the account was not locked, and nothing is recorded)."""
    from axes.models import AccessAttempt

    require(actor is None or can_manage(actor), "只有系统管理员可以解除登录锁定。")
    username = (username or "").strip()
    require_plain(username=username)
    attempts = AccessAttempt.objects.filter(username=username)
    failures = sum(a.failures_since_start for a in attempts)
    if not failures:
        return 0
    attempts.delete()
    person = Person.objects.filter(username=username).first()
    ledger.append("org.person.login_unlocked", actor=actor, obj=person,
                  data={"username": username, "failures": failures})
    return failures


LOGIN_OUTCOMES = {"success": "登录成功", "failure": "密码错误", "locked": "密码错误，账号被锁定"}


def login_log(limit: int = 100, username: str = "") -> list[dict]:
    """The newest sign-ins, wrong passwords and lockouts, newest first (kept ZHIFA_LOGIN_LOG_DAYS days)."""
    from axes.models import AccessFailureLog, AccessLog

    successes, failures = AccessLog.objects.order_by("-attempt_time"), AccessFailureLog.objects.order_by("-attempt_time")
    if username:
        successes, failures = successes.filter(username=username), failures.filter(username=username)
    rows = [{"time": a.attempt_time, "outcome": "success", "username": a.username, "ip_address": a.ip_address} for a in successes[:limit]]
    rows += [{"time": f.attempt_time, "outcome": "locked" if f.locked_out else "failure", "username": f.username, "ip_address": f.ip_address}
             for f in failures[:limit]]
    return sorted(rows, key=lambda row: row["time"], reverse=True)[:limit]


@transaction.atomic
def change_password(person: Person, *, old_password: str, new_password: str) -> Person:
    """A person changes their own password: the old one must be right, the new one must pass every rule
    (length, three kinds of character, not one of the last five). Recorded on the ledger without the password."""
    from zhifa.core.ratelimit import password_attempts

    attempts = password_attempts()
    if attempts.exceeded(str(person.pk)):
        raise ValidationError({"old_password": "原密码连续输错，请半小时后再试。"})
    if not person.check_password(old_password or ""):
        attempts.hit(str(person.pk))
        raise ValidationError({"old_password": "原密码不正确。"})
    try:
        validate_password(new_password or "", person)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages})
    person.set_password(new_password)
    person.save(update_fields=["password"])
    ledger.append("org.person.password_changed", actor=person, obj=person, data={"username": person.username})
    return person
