"""The second factor (两步验证, 等保 2.0 level 3: 双因素鉴别): a TOTP authenticator app (django-otp's TOTPDevice,
RFC 6238, with its replay guard and exponential back-off) and ten one-time recovery codes kept as salted SM3 hashes.

Who must use it is decided by role (ZHIFA_TWO_FACTOR_ROLES: heads, reviewers, supervisors and administrators by
default); anyone else who has enrolled uses it too. Whether a session still owes the second factor is decided once,
at sign-in, and kept in the session, so that a page costs no query for it (docs/security.md).
"""

import hashlib
import hmac
import secrets
from base64 import b32encode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhifa.core.errors import require
from zhifa.core.roles import Role
from zhifa.ledger import services as ledger

from .models import Person, RecoveryCode
from .selectors import can_manage

SESSION_KEY = "zhifa_2fa"  # "pending" | "verified" | "optional"
PENDING, VERIFIED, OPTIONAL = "pending", "verified", "optional"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper and typed on a phone


def required_by_role(person: Person) -> bool:
    roles = set(settings.ZHIFA_TWO_FACTOR_ROLES)
    if person.is_superuser and Role.ADMIN in roles:
        return True
    return any(person.has_role(role) for role in roles)


def device(person: Person, confirmed: bool | None = True, lock: bool = False) -> TOTPDevice | None:
    """The person's authenticator (confirmed, or the one being enrolled); `lock` inside a transaction that verifies."""
    devices = TOTPDevice.objects.select_for_update() if lock else TOTPDevice.objects
    devices = devices.filter(user=person)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("pk").first()


def enrolled(person: Person) -> bool:
    return device(person) is not None


def owed_at_sign_in(person: Person) -> str:
    """What a new session of `person` owes: PENDING when they must or chose to use the second factor."""
    return PENDING if required_by_role(person) or enrolled(person) else OPTIONAL


def status(person: Person) -> dict:
    return {
        "required": required_by_role(person),
        "enrolled": enrolled(person),
        "recovery_codes_left": RecoveryCode.objects.filter(person=person, used_at__isnull=True).count(),
    }


def pending_device(person: Person) -> TOTPDevice:
    """The unconfirmed device an enrolment shows as a QR code (one per person, made on first visit)."""
    found = device(person, confirmed=False)
    if found is None:
        found = TOTPDevice.objects.create(user=person, name="手机验证器", confirmed=False)
    return found


def secret_text(found: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app that cannot scan."""
    text = b32encode(found.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _clean_code(code) -> str:
    code = str(code or "").strip().lower().replace(" ", "").replace("-", "")
    if not code or len(code) > 20 or not code.isascii() or not code.isalnum():
        raise ValidationError({"code": "请输入验证器显示的 6 位数字，或一个恢复码。"})
    return code


def _hash(salt: str, code: str) -> str:
    return hashlib.new("sm3", f"{salt}:{code}".encode()).hexdigest()


def _new_recovery_codes(person: Person) -> list[str]:
    RecoveryCode.objects.filter(person=person).delete()
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(RecoveryCode(person=person, salt=salt, digest=_hash(salt, code)))
    RecoveryCode.objects.bulk_create(rows)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def _use_recovery_code(person: Person, code: str) -> bool:
    for row in RecoveryCode.objects.select_for_update().filter(person=person, used_at__isnull=True):
        if hmac.compare_digest(row.digest, _hash(row.salt, code)):
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return True
    return False


def confirm_enrolment(person: Person, code) -> list[str]:
    """Confirm the pending device with a code from the app; returns the recovery codes, shown once."""
    code = _clean_code(code)
    with transaction.atomic():  # a wrong code's failure count is committed before the error is raised
        found = device(person, confirmed=False, lock=True)
        if found is None:
            raise ValidationError("没有待确认的验证器，请刷新页面重新扫码。")
        refusal = _throttled(found)
        if refusal is None and not (code.isdigit() and found.verify_token(code)):
            refusal = {"code": "验证码不正确：请确认手机时间准确，并输入验证器当前显示的 6 位数字。"}
        if refusal is None:
            TOTPDevice.objects.filter(user=person).exclude(pk=found.pk).delete()
            found.confirmed = True
            found.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(person)
            ledger.append("org.person.two_factor_enrolled", actor=person, obj=person, data={"username": person.username})
            return codes
    raise ValidationError(refusal)


def _throttled(found: TOTPDevice) -> str | None:
    allowed, info = found.verify_is_allowed()
    if allowed:
        return None
    locked_until = (info or {}).get("locked_until")
    wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 60
    return f"验证码连续错误，请 {wait} 秒后再试。"


def verify(person: Person, code) -> str:
    """Check a code from the app or a recovery code. Returns "totp" or "recovery"; a wrong code raises, and
    each failure doubles the wait before the next try (django-otp's throttle, shared by both kinds of code)."""
    code = _clean_code(code)
    with transaction.atomic():  # a wrong code's failure count is committed before the error is raised
        found = device(person, lock=True)
        if found is None:
            raise ValidationError("尚未启用两步验证。")
        refusal = _throttled(found)
        if refusal is None and code.isdigit() and len(code) == found.digits:
            if found.verify_token(code):
                return "totp"
            refusal = {"code": "验证码不正确或已使用过，请输入验证器当前显示的 6 位数字。"}
        elif refusal is None:
            if _use_recovery_code(person, code):
                found.throttle_reset()
                left = RecoveryCode.objects.filter(person=person, used_at__isnull=True).count()
                ledger.append("org.person.recovery_code_used", actor=person, obj=person, data={"username": person.username, "left": left})
                return "recovery"
            found.throttle_increment()
            refusal = {"code": "恢复码不正确或已用过。"}
    raise ValidationError(refusal)


@transaction.atomic
def renew_recovery_codes(person: Person) -> list[str]:
    """New recovery codes for an enrolled person (the old ones stop working); shown once."""
    if not enrolled(person):
        raise ValidationError("尚未启用两步验证。")
    codes = _new_recovery_codes(person)
    ledger.append("org.person.recovery_codes_renewed", actor=person, obj=person, data={"username": person.username})
    return codes


@transaction.atomic
def disable(actor, person: Person) -> bool:
    """Turn the second factor off: an administrator for a person who lost their phone and their codes (they enrol
    again at their next sign-in when their role requires it), or a person whose role does not require it."""
    if actor is not None and actor.pk == person.pk:
        require(not required_by_role(person), "您的角色必须使用两步验证，不能自行停用；更换手机请联系系统管理员重置。")
    else:
        require(actor is None or can_manage(actor), "只有系统管理员可以重置他人的两步验证。")
    deleted, _ = TOTPDevice.objects.filter(user=person).delete()
    RecoveryCode.objects.filter(person=person).delete()
    if not deleted:
        return False
    ledger.append("org.person.two_factor_reset", actor=actor, obj=person, data={"username": person.username})
    return True
