"""Evidence and audio-video records (DOMAIN.md R2.4, R2.6), and every look at them (调阅).

Both tables are append-only: a record, once made, is corrected by making another one.
"""

from django.conf import settings
from django.db import models


class EvidenceKind(models.TextChoices):
    """证据种类 (行政诉讼法 第三十三条)."""

    DOCUMENTARY = "documentary", "书证"
    PHYSICAL = "physical", "物证"
    AUDIOVISUAL = "audiovisual", "视听资料"
    ELECTRONIC = "electronic", "电子数据"
    WITNESS = "witness", "证人证言"
    PARTY_STATEMENT = "party_statement", "当事人的陈述"
    EXPERT_OPINION = "expert_opinion", "鉴定意见"
    RECORD = "record", "勘验笔录、现场笔录"


class Stage(models.TextChoices):
    """执法环节 to be recorded (DOMAIN.md R2.1)."""

    CASE_SOURCE = "case_source", "案源登记"
    ON_SITE = "on_site", "现场执法检查"
    FILING = "filing", "立案"
    INVESTIGATION = "investigation", "调查取证"
    REVIEW = "review", "案件审核"
    STATEMENT = "statement", "听取陈述申辩"
    HEARING = "hearing", "听证"
    DECISION = "decision", "决定"
    SERVICE = "service", "送达"
    EXECUTION = "execution", "执行"


# Type codes in the evidence number: audio-video records get their own series (S001 R2.4).
AUDIO_VIDEO_CODE = "音像"
OTHER_CODE = "证"


class Evidence(models.Model):
    number = models.CharField("编号", max_length=60, unique=True, help_text="编号规则与执法文书相同。")
    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="evidence")
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    case_number = models.CharField("案件编号", max_length=60, db_index=True)
    title = models.CharField("名称", max_length=200, help_text="如：仓库东侧现场照片、执法记录仪录像（询问）。")
    kind = models.CharField("证据种类", max_length=20, choices=EvidenceKind.choices)
    stage = models.CharField("执法环节", max_length=20, choices=Stage.choices)
    proves = models.CharField("证明对象", max_length=500, help_text="该证据拟证明的事实。")
    captured_at = models.DateTimeField("采集时间")
    place = models.CharField("采集地点", max_length=200)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="采集人", on_delete=models.PROTECT, related_name="collected_evidence"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("上传时间")
    original_name = models.CharField("原文件名", max_length=255)
    media_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sm3 = models.CharField("SM3", max_length=64, db_index=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    storage_key = models.CharField("存储位置", max_length=200)
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-recorded_at", "-id"], name="evidence_agency_newest"),
            models.Index(fields=["case_number"], name="evidence_case_number"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_audio_video(self) -> bool:
        return self.media_type.startswith(("audio/", "video/"))

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


class AccessAction(models.TextChoices):
    VIEW = "view", "查看"
    DOWNLOAD = "download", "下载"


class AccessChannel(models.TextChoices):
    WEB = "web", "网页"
    API = "api", "接口"
    CLI = "cli", "命令行"


class EvidenceAccess(models.Model):
    """调阅记录: who looked at which record, when, from where."""

    evidence = models.ForeignKey(Evidence, verbose_name="证据", on_delete=models.PROTECT, related_name="accesses")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="调阅人", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("方式", max_length=10, choices=AccessAction.choices)
    channel = models.CharField("途径", max_length=10, choices=AccessChannel.choices)
    reason = models.CharField("调阅事由", max_length=200, blank=True)
    at = models.DateTimeField("时间", db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=200, blank=True)

    class Meta:
        verbose_name = "调阅记录"
        verbose_name_plural = "调阅记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="access_newest"),
        ]

    def __str__(self):
        return f"{self.person.full_name}{self.get_action_display()}{self.evidence.number}"
