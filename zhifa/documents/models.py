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
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""), name="document_number_unique"),
        ]

    def __str__(self):
        return f"{self.title} {self.number}".strip()
