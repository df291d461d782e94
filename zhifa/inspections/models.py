"""双随机、一公开 (DOMAIN.md §8): the two libraries, ratio rules, plans, the committed pools and the draw, tasks."""

import secrets

from django.conf import settings
from django.db import models


class RiskClass(models.TextChoices):
    """Risk classes of 分级分类监管 (R8.3: the ratio is set per 事项 and risk class)."""

    HIGH = "high", "高风险"
    MEDIUM_HIGH = "medium_high", "较高风险"
    MEDIUM = "medium", "一般风险"
    LOW = "low", "低风险"


class TargetKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    ORGANISATION = "organisation", "其他组织"
    PERSON = "person", "自然人"


class Target(models.Model):
    """检查对象名录库: one inspected subject in an agency's library. Identified across agencies by its code (the
    yearly cap counts inspections of the same code by every agency)."""

    agency = models.ForeignKey("org.Agency", verbose_name="名录库所属执法主体", on_delete=models.PROTECT, related_name="inspection_targets")
    name = models.CharField("名称或姓名", max_length=200)
    code = models.CharField("统一社会信用代码或身份证号", max_length=18)
    kind = models.CharField("类型", max_length=24, choices=TargetKind.choices)
    region_code = models.CharField("行政区划代码", max_length=6)
    industry = models.CharField("行业", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    risk_class = models.CharField("风险等级", max_length=12, choices=RiskClass.choices)
    source = models.CharField("来源", max_length=100, blank=True)
    is_active = models.BooleanField("在库", default=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象名录库"
        ordering = ["agency", "pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="inspection_target_unique")]
        indexes = [
            models.Index(fields=["agency", "is_active", "risk_class"], name="inspection_target_pool"),
            models.Index(fields=["code"], name="inspection_target_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == TargetKind.PERSON


class Inspector(models.Model):
    """执法检查人员名录库: an agency's people who may be drawn (R8.6: a valid credential, never an auxiliary)."""

    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="inspectors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT, related_name="inspector_entries")
    is_active = models.BooleanField("在库", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员名录库"
        ordering = ["agency", "person"]
        constraints = [models.UniqueConstraint(fields=["agency", "person"], name="inspector_unique")]

    def __str__(self):
        return str(self.person)


class Rule(models.Model):
    """抽查比例与频次 per 随机抽查事项 and risk class (R8.3)."""

    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="inspection_rules")
    item = models.ForeignKey("powers.PublicItem", verbose_name="随机抽查事项", on_delete=models.PROTECT, related_name="inspection_rules")
    risk_class = models.CharField("风险等级", max_length=12, choices=RiskClass.choices)
    ratio = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2)
    frequency = models.PositiveSmallIntegerField("每年抽查次数")
    basis = models.CharField("依据", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "抽查比例与频次"
        verbose_name_plural = "抽查比例与频次"
        ordering = ["agency", "item", "risk_class"]
        constraints = [models.UniqueConstraint(fields=["agency", "item", "risk_class"], name="inspection_rule_unique")]

    def __str__(self):
        return f"{self.item.name} {self.get_risk_class_display()} {self.ratio}%"


class YearlyCap(models.Model):
    """A yearly cap on inspections of one subject by all agencies together (国办发〔2024〕54号, R8.6)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    limit = models.PositiveSmallIntegerField("每个检查对象每年最多抽查次数")
    basis = models.CharField("依据", max_length=300)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "年度抽查次数上限"
        verbose_name_plural = "年度抽查次数上限"
        ordering = ["-year"]


class SeedSource(models.TextChoices):
    LOTTERY = "lottery", "公开开奖号码"
    TREE_HEAD = "tree_head", "执法记录账本下一个签名树头"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    COMMITTED = "committed", "名单已固化，待摇号"
    DRAWN = "drawn", "已摇号，检查中"
    FINISHED = "finished", "已完成"


class Plan(models.Model):
    """抽查计划: one round of a 随机抽查事项 in a year, by one agency or jointly (联合抽查)."""

    agency = models.ForeignKey("org.Agency", verbose_name="牵头执法主体", on_delete=models.PROTECT, related_name="inspection_plans")
    partners = models.ManyToManyField("org.Agency", verbose_name="联合抽查部门", blank=True, related_name="joint_inspection_plans")
    item = models.ForeignKey("powers.PublicItem", verbose_name="随机抽查事项", on_delete=models.PROTECT, related_name="inspection_plans")
    year = models.PositiveSmallIntegerField("年度")
    round = models.PositiveSmallIntegerField("本年度第几次")
    number = models.CharField("计划编号", max_length=60, unique=True)
    title = models.CharField("计划名称", max_length=200)
    starts_on = models.DateField("检查开始日期")
    ends_on = models.DateField("检查结束日期")
    inspectors_per_agency = models.PositiveSmallIntegerField("每个检查对象每个部门抽取人数")
    region_prefix = models.CharField("行政区划范围", max_length=6, blank=True, help_text="留空为名录库全部；如 330402 为南湖区。")
    seed_source = models.CharField("随机种子来源", max_length=12, choices=SeedSource.choices)
    seed_description = models.CharField("开奖号码说明", max_length=200, blank=True, help_text="如：中国福利彩票双色球第 2026138 期开奖号码。")
    status = models.CharField("状态", max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制定时间")

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "item", "year", "round"], name="inspection_plan_round")]
        indexes = [models.Index(fields=["status", "ends_on"], name="inspection_plan_status")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_joint(self) -> bool:
        return bool(self.pk) and self.partners.exists()


class Draw(models.Model):
    """The frozen pools, their commitment in the ledger, the seed and the result of one plan. One per plan: a
    draw is never made twice."""

    plan = models.OneToOneField(Plan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="draw")
    parameters = models.JSONField("抽取参数")
    targets = models.BinaryField("检查对象名单（固化）")  # zlib of the canonical pool text
    inspectors = models.BinaryField("执法检查人员名单（固化）")
    targets_sm3 = models.CharField("检查对象名单摘要", max_length=64)
    inspectors_sm3 = models.CharField("执法检查人员名单摘要", max_length=64)
    parameters_sm3 = models.CharField("抽取参数摘要", max_length=64)
    target_count = models.PositiveIntegerField("检查对象数")
    inspector_count = models.PositiveIntegerField("执法检查人员数")
    excluded = models.JSONField("未入名单的人员", default=list)
    committed_at = models.DateTimeField("固化时间")
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="固化人", on_delete=models.PROTECT, related_name="+")
    commitment_seq = models.PositiveBigIntegerField("承诺事件序号", null=True)
    seed = models.CharField("随机种子", max_length=200, blank=True)
    seed_entered_at = models.DateTimeField("种子录入时间", null=True)
    seed_entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="种子录入人", null=True, on_delete=models.PROTECT, related_name="+")
    seed_head = models.JSONField("种子所取树头", null=True)
    drawn_at = models.DateTimeField("摇号时间", null=True)
    skipped = models.JSONField("因年度上限跳过", default=list)
    initial = models.JSONField("摇号结果", null=True)

    class Meta:
        verbose_name = "摇号"
        verbose_name_plural = "摇号"


class Outcome(models.TextChoices):
    NO_PROBLEM = "no_problem", "未发现问题"
    RECTIFY = "rectify", "发现问题，已责令整改"
    CASE = "case", "发现违法行为，已立案查处"
    TRANSFER = "transfer", "发现问题，已移送有关部门"
    NOT_FOUND = "not_found", "未发现检查对象（通过登记的住所或经营场所无法联系）"
    CLOSED = "closed", "检查对象已注销或停业"


NEEDS_DOCUMENT = {Outcome.NO_PROBLEM, Outcome.RECTIFY, Outcome.CASE, Outcome.TRANSFER}


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", "待检查"
    IN_PROGRESS = "in_progress", "检查中"
    DONE = "done", "已完成"


def _token() -> str:
    return secrets.token_urlsafe(16)


class Task(models.Model):
    """检查任务: one drawn target and its inspectors."""

    plan = models.ForeignKey(Plan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="tasks")
    target = models.ForeignKey(Target, verbose_name="检查对象", on_delete=models.PROTECT, related_name="tasks")
    position = models.PositiveIntegerField("抽取顺序")
    stratum = models.CharField("风险等级", max_length=12, choices=RiskClass.choices)
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    case = models.OneToOneField("cases.Case", verbose_name="检查案件", null=True, blank=True, on_delete=models.PROTECT, related_name="inspection_task")
    outcome = models.CharField("检查结果", max_length=12, choices=Outcome.choices, blank=True)
    checked_on = models.DateField("检查结束日期", null=True, blank=True)
    note = models.CharField("结果说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结果录入人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    token = models.CharField("扫码标识", max_length=32, unique=True, default=_token, editable=False)

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "target"], name="inspection_task_unique")]
        indexes = [
            models.Index(fields=["status", "plan"], name="inspection_task_status"),
            # Lists show the newest plan first, each in draw order; a plan's page shows its tasks in draw order.
            models.Index(fields=["-plan", "position"], name="inspection_task_order"),
        ]

    def __str__(self):
        return f"{self.plan.number} 第 {self.position} 号 {self.target.name}"


class TaskInspector(models.Model):
    """One inspector on a task; a recused one stays, marked, with the replacement drawn for them (R8.4)."""

    task = models.ForeignKey(Task, verbose_name="检查任务", on_delete=models.PROTECT, related_name="inspectors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="执法检查人员", on_delete=models.PROTECT, related_name="inspection_tasks")
    agency = models.ForeignKey("org.Agency", verbose_name="所属执法主体", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField("在检查组", default=True)
    recusal_reason = models.CharField("回避原因", max_length=300, blank=True)
    recused_at = models.DateTimeField("回避时间", null=True, blank=True)
    replaced_by = models.ForeignKey("self", verbose_name="替换人员", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = "检查组成员"
        ordering = ["task", "pk"]
        indexes = [models.Index(fields=["person", "is_active"], name="inspection_member_person")]
