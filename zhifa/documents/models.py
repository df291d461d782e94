from django.conf import settings
from django.db import models


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已签发"


class SignatureOutcome(models.TextChoices):
    SIGNED = "signed", "当事人已签名"
    REFUSED = "refused", "当事人拒绝签名（已注明）"
    ABSENT = "absent", "当事人不在场，见证人签名"


class Document(models.Model):
    """执法文书. A draft may be edited; once issued (numbered, rendered, sealed) it never changes."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="documents")
    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField("文书类型", max_length=40)
    title = models.CharField("文书名称", max_length=100)
    number = models.CharField("文号", max_length=60, blank=True)
    status = models.CharField("状态", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    content = models.JSONField("内容", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制作时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField("签发日期", null=True, blank=True)
    pdf_key = models.CharField("PDF 存储位置", max_length=200, blank=True)
    pdf_sm3 = models.CharField("PDF 的 SM3", max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField("PDF 大小", null=True, blank=True)
    signature = models.CharField("当事人签名", max_length=10, choices=SignatureOutcome.choices, blank=True)
    signature_note = models.CharField("签名情况说明", max_length=300, blank=True)
    witness = models.CharField("见证人", max_length=100, blank=True)
    signed_on = models.DateField("签名（送达）日期", null=True, blank=True)

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        ordering = ["case", "created_at", "id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="document_agency_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""), name="document_number_unique"),
        ]

    def __str__(self):
        return f"{self.title} {self.number}".strip()


class ServiceManner(models.TextChoices):
    """送达方式 (行政处罚法第六十一条 with 民事诉讼法 Arts. 87–95)."""

    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"
    ENTRUSTED = "entrusted", "委托送达"
    PUBLIC_NOTICE = "public_notice", "公告送达"


# 公告送达: served when thirty days have passed since the notice (民事诉讼法第九十五条).
PUBLIC_NOTICE_DAYS = 30


class Service(models.Model):
    """送达记录 of one issued document: how and when it reached the party. `served_on` is the day the party
    received it (for 公告送达, the day the thirty days end); every period that runs from receipt starts there."""

    document = models.ForeignKey(Document, verbose_name="文书", on_delete=models.PROTECT, related_name="services")
    manner = models.CharField("送达方式", max_length=20, choices=ServiceManner.choices)
    act_on = models.DateField("送达行为日期", help_text="交付、留置、签收、电子送达到达或公告发布之日。")
    served_on = models.DateField("视为送达日期")
    recipient = models.CharField("受送达人", max_length=200)
    place = models.CharField("送达地点或途径", max_length=200, blank=True)
    witnesses = models.CharField("见证人", max_length=200, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["act_on", "id"]

    def __str__(self):
        return f"{self.document} {self.get_manner_display()} {self.served_on}"
