import secrets

from django.conf import settings
from django.db import models


class PublicationCategory(models.TextChoices):
    """执法类别; permits and penalties are 双公示 items with a 7-workday limit (DOMAIN.md R1.2)."""

    PENALTY = "penalty", "行政处罚"
    PERMIT = "permit", "行政许可"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"


class PublicationStatus(models.TextChoices):
    PENDING = "pending", "待审核发布"
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤回"
    TAKEN_DOWN = "taken_down", "公示期满撤下"


class WithdrawalTrigger(models.TextChoices):
    """Union of the triggers in S000/S001/S004, CF Art. 48 and SAMR45 Art. 11 (DOMAIN.md R1.3)."""

    CHANGED = "changed", "决定被变更"
    REVOKED = "revoked", "决定被撤销"
    ILLEGAL = "illegal", "决定被确认违法"
    VOID = "void", "决定被确认无效"
    REDO = "redo", "被要求重新作出"


def _token() -> str:
    return secrets.token_urlsafe(12)


class Publication(models.Model):
    """事后公开 of one enforcement decision. `text` is public only after review; `source_text` never is."""

    agency = models.ForeignKey("org.Agency", verbose_name="执法机关", on_delete=models.PROTECT, related_name="publications")
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="publications")
    document = models.OneToOneField("documents.Document", verbose_name="决定文书", on_delete=models.PROTECT, related_name="publication")
    token = models.CharField("公开标识", max_length=32, unique=True, default=_token)
    category = models.CharField("执法类别", max_length=20, choices=PublicationCategory.choices)
    decision_number = models.CharField("决定文号", max_length=60)
    decision_date = models.DateField("决定日期")
    party_name = models.CharField("执法对象", max_length=200)
    party_code = models.CharField("统一社会信用代码", max_length=18, blank=True, help_text="仅法人或者其他组织公开。")
    party_is_person = models.BooleanField("执法对象为自然人", default=False)
    conclusion = models.CharField("执法结论", max_length=500)
    basis = models.TextField("依据", blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    source_text = models.TextField("待公开原文（不公开）")
    text = models.TextField("公开文本（已隐去个人信息）")
    redactions = models.JSONField("隐去情况", default=list, blank=True)
    search_grams = models.TextField("检索索引", blank=True, help_text="公开内容的二元字串（search.py）。")
    secret_marks = models.JSONField("标记的商业秘密", default=list, blank=True)
    due_date = models.DateField("公示期限")
    due_rule = models.CharField("期限计算", max_length=200)
    status = models.CharField("状态", max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField("公示日期", null=True, blank=True)
    take_down_on = models.DateField("公示截止", null=True, blank=True)
    withdrawal_trigger = models.CharField("撤回事由", max_length=10, choices=WithdrawalTrigger.choices, blank=True)
    trigger_date = models.DateField("决定被变更撤销等日期", null=True, blank=True)
    withdrawal_due = models.DateField("撤回期限", null=True, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.CharField("撤回理由（公开）", max_length=500, blank=True)
    retention_basis = models.CharField("公示期限依据", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示记录"
        verbose_name_plural = "公示记录"
        ordering = ["-decision_date", "-id"]
        indexes = [
            models.Index(fields=["status", "decision_date"], name="publication_status_date"),
            models.Index(fields=["agency", "status", "-decision_date"], name="publication_agency_queue"),
            models.Index(fields=["-decision_date", "-id"], name="publication_newest"),
            models.Index(fields=["status", "due_date"], name="publication_status_due"),
            # Withdrawals waiting: a handful among a million rows (partial: the NULLs are not indexed).
            models.Index(fields=["withdrawal_due"], condition=models.Q(withdrawal_due__isnull=False), name="publication_withdrawal_due"),
        ]

    def __str__(self):
        return f"{self.decision_number} {self.party_name}"


class PublicationCorrection(models.Model):
    """更正 of inaccurate published information (DOMAIN.md R1.4): the corrected text replaces the public one,
    and the note (what was wrong, when corrected) is shown on the public page."""

    publication = models.ForeignKey(Publication, verbose_name="公示记录", on_delete=models.PROTECT, related_name="corrections")
    corrected_on = models.DateField("更正日期")
    note = models.CharField("更正说明（公开）", max_length=500)
    changes = models.JSONField("更正的栏目", default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更正人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "公示更正"
        verbose_name_plural = "公示更正"
        ordering = ["corrected_on", "id"]


class RetentionScheme(models.TextChoices):
    """How long a decision stays public (公示期限)."""

    HEBEI = "hebei_2015", "一般规定：五年，自然人二年（冀政办发〔2015〕22号）"
    SAMR45 = "samr45", "市场监管：通报批评或较低数额罚款三个月，其他三年（市场监督管理行政处罚信息公示规定第十四条）"


class PublicitySetting(models.Model):
    """Per agency: the take-down scheme with its basis; SAMR45 needs the province's 较低数额罚款 amount."""

    agency = models.OneToOneField("org.Agency", verbose_name="执法机关", on_delete=models.CASCADE, related_name="publicity_setting")
    scheme = models.CharField("公示期限规则", max_length=20, choices=RetentionScheme.choices, default=RetentionScheme.HEBEI)
    low_fine_amount = models.DecimalField(
        "较低数额罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="按省级市场监管部门规定填写；不超过此数额的罚款公示三个月。",
    )
    low_fine_basis = models.CharField("较低数额罚款的依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "公示设置"
        verbose_name_plural = "公示设置"


class AnnualReport(models.Model):
    """统计年报: an agency's enforcement data for a year, published by 31 January (DOMAIN.md R1.5)."""

    agency = models.ForeignKey("org.Agency", verbose_name="执法机关", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    data = models.JSONField("统计数据")
    generated_at = models.DateTimeField("生成时间")
    pdf_key = models.CharField("PDF 存储位置", max_length=200)
    pdf_sm3 = models.CharField("PDF 的 SM3", max_length=64)

    class Meta:
        verbose_name = "统计年报"
        verbose_name_plural = "统计年报"
        ordering = ["-year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annual_report_unique")]

    def __str__(self):
        return f"{self.agency.name}{self.year}年度行政执法数据"
