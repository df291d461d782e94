import uuid

from django.conf import settings
from django.db import models

from zhifa.core.fieldcrypto import EncryptedCharField


class Category(models.TextChoices):
    """What a notification is about; each person chooses per category whether it also comes by e-mail."""

    APPROVAL = "approval", "待审批事项"
    DEADLINE = "deadline", "期限提醒"
    REVIEW = "review", "法制审核"
    DOCUMENT = "document", "文书"
    PUBLICITY = "publicity", "公示"
    INSPECTION = "inspection", "双随机抽查"
    SUPERVISION = "supervision", "执法监督"
    LEDGER = "ledger", "账本核验"
    SYSTEM = "system", "系统"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True, help_text="本系统内的地址")
    # What the notification is about, e.g. "ledger:1234" or "deadline:case-17:2026-12-01": the same fact never
    # reaches the same person twice, however often the job that found it runs.
    key = models.CharField("去重键", max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    email_due = models.BooleanField("待发邮件", default=False)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("邮件尝试次数", default=0)
    email_error = models.CharField("邮件错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_person")]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["id"], condition=models.Q(email_due=True), name="notification_email_due"),
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    person = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="notification_preference")
    email_categories = models.JSONField("以邮件通知的类别", default=list, blank=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = verbose_name


# By default the categories that need someone to act come by e-mail as well (when the person has an address).
DEFAULT_EMAIL_CATEGORIES = [Category.APPROVAL, Category.DEADLINE, Category.REVIEW, Category.LEDGER]


class Algorithm(models.TextChoices):
    HMAC_SM3 = "hmac-sm3", "HMAC-SM3（国密）"
    HMAC_SHA256 = "hmac-sha256", "HMAC-SHA256"


class Subscription(models.Model):
    """An external platform that receives events as signed webhooks (执法决定实时推送)."""

    name = models.CharField("接收方名称", max_length=100, unique=True)
    url = models.URLField("推送地址", max_length=500)
    secret = EncryptedCharField("签名密钥", max_length=128)
    algorithm = models.CharField("签名算法", max_length=20, choices=Algorithm.choices, default=Algorithm.HMAC_SM3)
    kinds = models.JSONField("推送的事件", default=list)
    agencies = models.ManyToManyField("org.Agency", verbose_name="限于这些执法主体", blank=True, related_name="+")
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The first ledger event this subscription receives: a new subscriber gets what happens from now on, not the
    # whole history (which the open-data export and the ledger export give).
    from_seq = models.BigIntegerField("起始事件序号", default=0)

    class Meta:
        verbose_name = "推送订阅"
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self):
        return self.name


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        DELIVERED = "delivered", "已送达"
        RETRYING = "retrying", "失败，等待重试"
        FAILED = "failed", "多次失败，已停止重试"

    uuid = models.UUIDField("投递编号", default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(Subscription, verbose_name="订阅", on_delete=models.CASCADE, related_name="deliveries")
    event_seq = models.BigIntegerField("账本事件序号")
    kind = models.CharField("事件类型", max_length=80)
    agency_id = models.BigIntegerField("执法主体", null=True, blank=True)
    body = models.TextField("推送内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    # Set while a worker sends it: another worker leaves it alone until this time has passed (a worker killed
    # mid-send leaves the claim to expire, and the next sweep sends it again).
    claimed_until = models.DateTimeField("发送中至", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    response_status = models.PositiveSmallIntegerField("对方应答码", null=True, blank=True)
    error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["subscription", "event_seq"], name="delivery_once_per_event")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status__in=["pending", "retrying"]), name="delivery_due"),
            models.Index(fields=["subscription", "-id"], name="delivery_log"),
        ]

    def __str__(self):
        return f"{self.subscription} #{self.event_seq}"


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, verbose_name="推送", on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField("时间", auto_now_add=True)
    response_status = models.PositiveSmallIntegerField("对方应答码", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    milliseconds = models.PositiveIntegerField("用时（毫秒）", default=0)
    replay_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="手动重发人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "推送尝试"
        verbose_name_plural = verbose_name
        ordering = ["-id"]


class Cursor(models.Model):
    """How far the dispatcher has read the ledger (the last event seq it turned into deliveries and notices)."""

    name = models.CharField(max_length=40, unique=True)
    seq = models.BigIntegerField(default=-1)


class Approval(models.Model):
    """Something sent to the agency's head for approval (立案、决定签发、延期 …): approved or returned by the head
    as themselves, with an opinion. What happens on approval is the subject's app's handler (rules.approval_kinds)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        RETURNED = "returned", "已退回"
        CANCELLED = "cancelled", "已撤回"

    kind = models.CharField("事项类型", max_length=60)
    subject_type = models.CharField("审批对象类型", max_length=60)
    subject_id = models.BigIntegerField("审批对象")
    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("事项", max_length=200)
    link = models.CharField("链接", max_length=300, blank=True)
    note = models.TextField("送审说明", blank=True)
    params = models.JSONField("审批内容", default=dict, blank=True, help_text="批准后据以办理的内容，如延长的期限与理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送审人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("送审时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    opinion = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "审批"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_type", "subject_id"], condition=models.Q(status="pending"), name="approval_one_pending"),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "-id"], name="approval_queue"),
            models.Index(fields=["subject_type", "subject_id"], name="approval_subject"),
            models.Index(fields=["requested_by", "-id"], name="approval_mine"),
        ]

    def __str__(self):
        return self.title


class Alert(models.Model):
    """预警: something overdue or missing that a scheduled job found (a deadline passed, a decision not published in
    time …). Raised once per key, on the ledger, so it is notified and pushed like any other event."""

    key = models.CharField("预警键", max_length=200, unique=True)
    code = models.CharField("预警类型", max_length=60)
    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("预警", max_length=300)
    link = models.CharField("链接", max_length=300, blank=True)
    raised_at = models.DateTimeField("预警时间", auto_now_add=True)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["agency", "-id"], name="alert_by_agency")]

    def __str__(self):
        return self.title
