import datetime as dt
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from zhifa.core.fieldcrypto import EncryptedCharField
from zhifa.core.models import TimeStampedModel
from zhifa.core.roles import Role

from .validators import validate_id_number, validate_region_code, validate_uscc


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇（街道）"


# How many leading digits of the region code a level's jurisdiction covers.
LEVEL_REGION_PREFIX = {
    AgencyLevel.PROVINCE: 2,
    AgencyLevel.CITY: 4,
    AgencyLevel.COUNTY: 6,
    AgencyLevel.TOWNSHIP: 6,
}


class AgencyKind(models.TextChoices):
    STATUTORY = "statutory", "法定行政机关"
    AUTHORISED = "authorised", "法律法规授权组织"
    ENTRUSTED = "entrusted", "受委托组织"


class Agency(TimeStampedModel):
    """执法主体: an agency with enforcement power in its own name."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("机关代字", max_length=20, help_text="用于文书编号，如“嘉应急”。")
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc])
    level = models.CharField("层级", max_length=10, choices=AgencyLevel.choices)
    region_code = models.CharField("行政区划代码", max_length=6, validators=[validate_region_code])
    region_name = models.CharField("行政区划", max_length=50)
    kind = models.CharField("主体类型", max_length=12, choices=AgencyKind.choices, default=AgencyKind.STATUTORY)
    sector = models.CharField("执法领域", max_length=50, help_text="如：应急管理、市场监管、司法行政。")
    is_supervisory = models.BooleanField(
        "行政执法监督机关", default=False, help_text="司法行政机关，对本行政区域内执法主体实施监督。"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级业务主管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("办公电话", max_length=40, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["region_code", "level", "name"]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_prefix(self) -> str:
        return self.region_code[: LEVEL_REGION_PREFIX[self.level]]


class DepartmentFunction(models.TextChoices):
    ENFORCEMENT = "enforcement", "执法机构"
    LEGAL_REVIEW = "legal_review", "法制审核机构"
    LEADERSHIP = "leadership", "机关领导"
    OFFICE = "office", "综合办公"
    SUPERVISION = "supervision", "执法监督机构"


class Department(TimeStampedModel):
    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="departments")
    name = models.CharField("名称", max_length=100)
    function = models.CharField("职能", max_length=20, choices=DepartmentFunction.choices)

    class Meta:
        verbose_name = "内设机构"
        verbose_name_plural = "内设机构"
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="department_unique_name")]

    def __str__(self):
        return f"{self.agency.short_name}·{self.name}"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


def _public_token() -> str:
    return secrets.token_urlsafe(12)


class Person(AbstractUser, TimeStampedModel):
    """A person of an agency; people who never log in have unusable passwords."""

    full_name = models.CharField("姓名", max_length=50)
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    department = models.ForeignKey(
        Department, verbose_name="内设机构", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    position = models.CharField("职务", max_length=50, blank=True)
    phone = EncryptedCharField("联系电话", max_length=20, blank=True)  # SM4 at rest (docs/security.md)
    id_number = EncryptedCharField("身份证号码", max_length=18, blank=True, validators=[validate_id_number])
    is_auxiliary = models.BooleanField("执法辅助人员", default=False)
    has_legal_qualification = models.BooleanField(
        "具有法律职业资格", default=False, help_text="初次从事行政处罚决定法制审核的人员应当取得（行政处罚法第五十八条）。"
    )
    legal_qualification_number = models.CharField("法律职业资格证书编号", max_length=30, blank=True)
    public_token = models.CharField("公示标识", max_length=32, unique=True, default=_public_token, editable=False)

    objects = UserManager()
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["agency", "username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username

    @property
    def role_codes(self) -> set[str]:
        if not hasattr(self, "_role_codes"):
            prefetched = getattr(self, "_prefetched_objects_cache", {}).get("role_assignments")
            if prefetched is not None:  # a list page prefetched them: no query per person
                self._role_codes = {row.role for row in prefetched}
            else:
                self._role_codes = set(self.role_assignments.values_list("role", flat=True))
        return self._role_codes

    def has_role(self, role: str) -> bool:
        return role in self.role_codes

    def visible_agency_ids(self) -> list[int] | None:
        """Agencies this person may read (None: all). Lets apps below org, such as the ledger, scope reads."""
        from .selectors import sees_all_agencies, visible_agencies

        if sees_all_agencies(self):
            return None
        return list(visible_agencies(self).values_list("pk", flat=True))

    @property
    def role_labels(self) -> list[str]:
        return [label for code, label in Role.choices if code in self.role_codes]


class PersonRole(models.Model):
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="person_role_unique")]

    def __str__(self):
        return f"{self.person}：{self.get_role_display()}"


class CredentialKind(models.TextChoices):
    ENFORCEMENT = "enforcement", "行政执法证"
    SUPERVISION = "supervision", "行政执法监督证"


class CredentialStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"
    LOST = "lost", "挂失"


class Credential(TimeStampedModel):
    """执法证: what an officer shows on site (亮证执法, DOMAIN.md R1.8)."""

    person = models.ForeignKey(Person, verbose_name="持证人", on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField("证件类型", max_length=12, choices=CredentialKind.choices, default=CredentialKind.ENFORCEMENT)
    number = models.CharField("证件编号", max_length=30, unique=True)
    issuing_authority = models.CharField("发证机关", max_length=100)
    scope = models.CharField("执法类别", max_length=200, help_text="如：安全生产监督管理。")
    area = models.CharField("执法区域", max_length=100)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    status = models.CharField("状态", max_length=12, choices=CredentialStatus.choices, default=CredentialStatus.VALID)
    status_reason = models.CharField("状态变更原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "执法证件"
        verbose_name_plural = "执法证件"
        ordering = ["-valid_until"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def effective_status(self, today: dt.date | None = None) -> tuple[str, str]:
        """(code, label) as of today: the stored status, or expiry/not-yet-valid from the dates."""
        today = today or timezone.localdate()
        if self.status != CredentialStatus.VALID:
            return self.status, self.get_status_display()
        if today > self.valid_until:
            return "expired", "已过期"
        if today < self.valid_from:
            return "not_yet_valid", "尚未生效"
        return "valid", "有效"

    @property
    def is_currently_valid(self) -> bool:
        return self.effective_status()[0] == "valid"


class PasswordHistory(models.Model):
    """A person's earlier password hashes, for the rule that none of the last few is used again (docs/security.md)."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码哈希", max_length=128)
    changed_at = models.DateTimeField("修改时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"


class ApiToken(models.Model):
    """An API token. Only its SM3 hash is stored; the token is shown once, when it is issued. A token expires and
    can be revoked; revoked and expired tokens stay listed, so that who could reach the API, and when, is known."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField("用途", max_length=60, blank=True)
    digest = models.CharField("哈希（SM3）", max_length=64, unique=True, editable=False)
    prefix = models.CharField("前缀", max_length=12, editable=False, help_text="令牌的前几位，用于辨认，不能用于登录。")
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("到期时间", db_index=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}…（{self.label or '接口令牌'}）"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"

    def state_label(self) -> str:
        return {"active": "有效", "expired": "已过期", "revoked": "已吊销"}[self.state()]


class RecoveryCode(models.Model):
    """A one-time recovery code for the second factor (a lost phone). Only a salted SM3 hash of it is stored: a code
    has about 50 bits, few enough that an unsalted hash table of them would be worth building."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField("盐", max_length=32)
    digest = models.CharField("哈希（SM3）", max_length=64)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"
        indexes = [models.Index(fields=["person", "used_at"], name="org_recovery_person_used")]
