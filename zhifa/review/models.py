from django.conf import settings
from django.db import models

# 审核内容 (DOMAIN.md R3.5, the union of the seeds).
CHECKLIST = [
    ("subject", "执法主体合法"),
    ("personnel", "执法人员具备执法资格"),
    ("procedure", "执法程序合法"),
    ("facts", "案件事实清楚"),
    ("evidence", "证据合法、确实充分"),
    ("law", "适用法律、法规、规章准确"),
    ("discretion", "裁量基准运用适当"),
    ("authority", "未超越本机关法定权限"),
    ("documents", "执法文书完备、规范"),
    ("rights", "当事人知情权、陈述申辩权等权利已保障"),
    ("transfer", "是否涉嫌犯罪需移送司法机关已审查"),
]


class Criterion(models.TextChoices):
    FINE_AT_LEAST = "fine_at_least", "罚款金额达到"
    CONFISCATION_AT_LEAST = "confiscation_at_least", "没收金额达到"
    PENALTY_KIND = "penalty_kind", "拟作出特定种类的处罚"
    HEARING = "hearing", "经过听证程序（行政处罚法第五十八条）"
    CATEGORY = "category", "特定类别的执法决定"
    NO_PENALTY = "no_penalty", "拟不予处罚或移送司法机关"


class CatalogueRule(models.Model):
    """One entry of an agency's 重大执法决定法制审核目录清单 (null agency: every agency)."""

    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", null=True, blank=True, on_delete=models.PROTECT, related_name="review_rules")
    name = models.CharField("目录事项", max_length=200)
    criterion = models.CharField("判断标准", max_length=30, choices=Criterion.choices)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    values = models.JSONField("取值", default=list, blank=True, help_text="处罚种类或执法类别代码。")
    basis = models.CharField("依据", max_length=300)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "法制审核目录事项"
        verbose_name_plural = "法制审核目录"
        ordering = ["agency_id", "id"]

    def __str__(self):
        return self.name

    @property
    def value_labels(self) -> list[str]:
        """The penalty kinds or procedure categories in Chinese, as pages show them."""
        from zhifa.cases.models import PenaltyKind
        from zhifa.procedures.definitions import CATEGORIES

        labels = {**dict(PenaltyKind.choices), **CATEGORIES}
        return [labels.get(v, "（未知取值）") for v in self.values]


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    PASSED = "passed", "同意"
    CORRECTED = "corrected", "纠正"
    TRANSFERRED = "transferred", "移送有权机关处理"
    ESCALATED = "escalated", "提交集体讨论"


class ReviewTask(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="review_tasks")
    round = models.PositiveSmallIntegerField("送审次数")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送审人", on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("送审日期")
    due_date = models.DateField("审核期限")
    due_rule = models.CharField("期限计算", max_length=200)
    status = models.CharField("状态", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checklist = models.JSONField("审核内容", default=dict, blank=True)
    opinion = models.TextField("审核意见", blank=True)
    decided_on = models.DateField("审核日期", null=True, blank=True)
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交集体讨论", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "法制审核任务"
        verbose_name_plural = "法制审核任务"
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-submitted_on"], name="reviewtask_status_newest"),
        ]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="review_round_unique")]

    def __str__(self):
        return f"{self.case.number} 第{self.round}次送审"
