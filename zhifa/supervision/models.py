"""执法监督: problem models (问题模型) find clues (线索) in the data; each clue has a life on the ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Severity(models.TextChoices):
    HIGH = "high", "严重"
    MEDIUM = "medium", "一般"
    LOW = "low", "提示"


class ClueStatus(models.TextChoices):
    NEW = "new", "新发现"
    ASSIGNED = "assigned", "已交办，待说明或整改"
    EXPLAINED = "explained", "已说明情况，待审核"
    CORRECTED = "corrected", "已整改，待审核"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = (ClueStatus.NEW, ClueStatus.ASSIGNED, ClueStatus.EXPLAINED, ClueStatus.CORRECTED)


class Clue(models.Model):
    """One situation a problem model found. `key` names the situation (the model and what it is about); while a
    clue for it is open, a later run finds the same clue, not a new one."""

    model = models.CharField("问题模型", max_length=40)
    key = models.CharField("线索标识", max_length=200)
    is_open = models.BooleanField("未办结", default=True)
    # None: about the platform itself (the ledger), seen by those who see every agency.
    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", null=True, blank=True, on_delete=models.PROTECT, related_name="clues")
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices)
    title = models.CharField("线索", max_length=300)
    detail = models.TextField("情况", blank=True)
    basis = models.CharField("依据", max_length=300)
    link = models.CharField("相关页面", max_length=300, blank=True)
    status = models.CharField("状态", max_length=12, choices=ClueStatus.choices, default=ClueStatus.NEW)
    found_at = models.DateTimeField("发现时间")
    gone_at = models.DateTimeField("系统复核情况已消除", null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办给", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("答复期限", null=True, blank=True)
    answer = models.TextField("情况说明或整改情况", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_note = models.CharField("办结意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "监督线索"
        verbose_name_plural = "监督线索"
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["key"], condition=Q(is_open=True), name="clue_open_once")]
        indexes = [
            models.Index(fields=["agency", "is_open", "-id"], name="clue_agency_open"),
            models.Index(fields=["model", "is_open"], name="clue_model_open"),
            models.Index(fields=["is_open", "-id"], name="clue_open_newest"),
        ]

    def __str__(self):
        return self.title


class DirectiveKind(models.TextChoices):
    NOTICE = "notice", "行政执法监督通知书"
    URGE = "urge", "督办通知"
    CORRECTION = "correction", "纠错建议书"


DIRECTIVE_CODES = {DirectiveKind.NOTICE: "监通", DirectiveKind.URGE: "督", DirectiveKind.CORRECTION: "纠"}


class DirectiveStatus(models.TextChoices):
    ISSUED = "issued", "待答复"
    REPLIED = "replied", "已答复，待审核"
    CLOSED = "closed", "已办结"


class Directive(models.Model):
    """督办 and correction: a numbered document a supervisory agency sends to an agency, about a case or about
    the agency, with a reply due in working days; the agency answers in the system."""

    kind = models.CharField("文书", max_length=12, choices=DirectiveKind.choices)
    number = models.CharField("文号", max_length=60, unique=True)
    issuer_agency = models.ForeignKey("org.Agency", verbose_name="监督机关", on_delete=models.PROTECT, related_name="directives_issued")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发出人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("发出时间")
    agency = models.ForeignKey("org.Agency", verbose_name="被监督执法主体", on_delete=models.PROTECT, related_name="directives")
    case = models.ForeignKey("cases.Case", verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT, related_name="directives")
    clue = models.ForeignKey(Clue, verbose_name="来源线索", null=True, blank=True, on_delete=models.PROTECT, related_name="directives")
    subject = models.CharField("事由", max_length=300)
    content = models.TextField("监督意见及要求")
    basis = models.CharField("依据", max_length=300)
    reply_workdays = models.PositiveSmallIntegerField("答复期限（工作日）")
    due_date = models.DateField("答复期限")
    status = models.CharField("状态", max_length=10, choices=DirectiveStatus.choices, default=DirectiveStatus.ISSUED)
    reply = models.TextField("答复", blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "监督文书"
        verbose_name_plural = "监督文书"
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["agency", "status", "-id"], name="directive_agency_status"),
            models.Index(fields=["status", "due_date"], name="directive_status_due"),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"


class ReportSubmission(models.Model):
    """统计年报报送 (R1.5): an agency's annual report sent in the system to its same-level 司法局 (for the same-level
    government's 执法监督) and its superior department."""

    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="report_submissions")
    year = models.PositiveSmallIntegerField("年度")
    report_sm3 = models.CharField("报送年报 PDF 的 SM3", max_length=64)
    recipients = models.JSONField("报送对象", default=list)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("报送时间")

    class Meta:
        verbose_name = "统计年报报送"
        verbose_name_plural = "统计年报报送"
        ordering = ["-year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="report_submission_unique")]


class RegionalReport(models.Model):
    """The prefecture's (or province's) figures for a year, summed from the reports its agencies submitted, published
    by the end of February (seed 004)."""

    authority = models.ForeignKey("org.Agency", verbose_name="汇总机关", on_delete=models.PROTECT, related_name="regional_reports")
    year = models.PositiveSmallIntegerField("年度")
    data = models.JSONField("汇总数据")
    included = models.JSONField("已汇总的执法主体", default=list)
    missing = models.JSONField("未报送的执法主体", default=list)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公布人", on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("公布时间")

    class Meta:
        verbose_name = "地区行政执法统计年报"
        verbose_name_plural = "地区行政执法统计年报"
        ordering = ["-year", "authority"]
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="regional_report_unique")]
