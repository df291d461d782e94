"""Cases: current state for fast queries. Every change is also a ledger event (services.py)."""

from django.conf import settings
from django.db import models

from zhifa.core.fieldcrypto import EncryptedCharField
from zhifa.core.models import TimeStampedModel


class CaseStatus(models.TextChoices):
    OPEN = "open", "办理中"
    CLOSED = "closed", "已结案"


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", "监督检查发现"
    COMPLAINT = "complaint", "投诉举报"
    TRANSFER = "transfer", "其他机关移送"
    ASSIGNED = "assigned", "上级交办"
    APPLICATION = "application", "当事人申请"
    OTHER = "other", "其他"


class ProposedOutcome(models.TextChoices):
    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    TRANSFER = "transfer", "移送司法机关"


class PenaltyKind(models.TextChoices):
    """行政处罚的种类 (行政处罚法第九条)."""

    WARNING = "warning", "警告、通报批评"
    FINE = "fine", "罚款"
    CONFISCATION = "confiscation", "没收违法所得、没收非法财物"
    QUALIFICATION = "qualification", "暂扣许可证件、降低资质等级、吊销许可证件"
    RESTRICTION = "restriction", "限制开展生产经营活动、责令停产停业、责令关闭、限制从业"
    DETENTION = "detention", "行政拘留"


class Case(TimeStampedModel):
    number = models.CharField("案件编号", max_length=60, unique=True)
    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases")
    procedure = models.ForeignKey(
        "procedures.ProcedureDefinition", verbose_name="适用程序", on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField("案由", max_length=200)
    source = models.CharField("案件来源", max_length=20, choices=CaseSource.choices)
    facts = models.TextField("涉嫌违法事实", blank=True)
    place = models.CharField("发生地点", max_length=200, blank=True)
    occurred_on = models.DateField("违法行为发生日", null=True, blank=True)
    is_continuing = models.BooleanField("违法行为有连续或者继续状态", default=False)
    act_ended_on = models.DateField("连续或继续状态终了日", null=True, blank=True)
    discovered_on = models.DateField("发现日期", null=True, blank=True)
    serious_harm = models.BooleanField(
        "涉及公民生命健康安全、金融安全且有危害后果", default=False, help_text="追责期限延长至五年（行政处罚法第三十六条）。"
    )
    limitation_note = models.CharField("超过追责期限仍立案的理由", max_length=300, blank=True)
    stage = models.CharField("当前环节", max_length=40)
    status = models.CharField("状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField("立案日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    is_emergency = models.BooleanField("紧急情况当场实施", default=False)
    # 拟处理意见 (调查终结后)
    proposed_outcome = models.CharField("拟处理意见", max_length=20, choices=ProposedOutcome.choices, blank=True)
    penalty_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    fine_amount = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_amount = models.DecimalField("拟没收金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    legal_basis = models.TextField("处罚依据", blank=True)
    # 当事人的选择
    hearing_requested = models.BooleanField("当事人申请听证", default=False)
    hearing_waived = models.BooleanField("当事人放弃听证", default=False)
    defence_waived = models.BooleanField("当事人明确放弃陈述申辩", default=False)
    # 法制审核目录
    is_major = models.BooleanField("重大执法决定", default=False)
    # Bigrams of the number, title and parties' names (core.text.grams), indexed for the case list's search
    # (FTS5 on SQLite, a GIN tsvector on PostgreSQL; migration 0005). Kept by the services that change them.
    search_grams = models.TextField("检索词", blank=True, default="", editable=False)
    major_reasons = models.JSONField("列入审核目录的理由", default=list, blank=True)
    # 告知书载明的拟处罚 (set when the 事先告知书 is issued): a heavier proposal needs a new 告知.
    notified_proposal = models.JSONField("已告知的拟处罚", default=dict, blank=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["-opened_on", "-id"], name="case_newest"),
            models.Index(fields=["agency", "-opened_on", "-id"], name="case_agency_newest"),
            models.Index(fields=["status", "-opened_on"], name="case_status_newest"),
            models.Index(fields=["stage"], name="case_stage"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def definition(self):
        return self.procedure.procedure

    @property
    def stage_name(self) -> str:
        return self.definition.stage_name(self.stage)


class MajorGround(models.TextChoices):
    """The qualitative grounds of the seeds (DOMAIN.md R3.1) on which a case is marked major by hand."""

    PUBLIC_INTEREST = "public_interest", "涉及重大公共利益"
    SOCIAL_IMPACT = "social_impact", "可能造成重大社会影响或者引发社会风险"
    MAJOR_RIGHTS = "major_rights", "直接关系当事人或者第三人重大权益"
    HEARING = "hearing", "经过听证程序"
    COMPLEX = "complex", "案件情况疑难复杂、涉及多个法律关系"


class MajorMark(models.Model):
    """A case marked major by an officer, the head or a reviewer, with the stated reason; unmarking needs
    the head and a reason. Both are ledger events (cases.case.major_marked / major_unmarked)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="major_marks")
    ground = models.CharField("情形", max_length=20, choices=MajorGround.choices)
    reason = models.CharField("理由", max_length=500)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="标记人", on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField("标记时间")
    unmarked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="取消人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unmarked_at = models.DateTimeField("取消时间", null=True, blank=True)
    unmark_reason = models.CharField("取消理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "重大执法决定标记"
        verbose_name_plural = "重大执法决定标记"
        ordering = ["marked_at", "id"]


class PartyKind(models.TextChoices):
    CITIZEN = "citizen", "公民"
    ORGANISATION = "organisation", "法人或者其他组织"


class Party(models.Model):
    """当事人."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField("类型", max_length=20, choices=PartyKind.choices)
    name = models.CharField("名称或姓名", max_length=200)
    id_code = EncryptedCharField("统一社会信用代码或身份证号", max_length=18, blank=True)  # SM4 at rest (docs/security.md)
    legal_representative = models.CharField("法定代表人（负责人）", max_length=50, blank=True)
    address = models.CharField("住所（地址）", max_length=200)
    phone = EncryptedCharField("联系电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"

    def __str__(self):
        return self.name


class CaseOfficer(models.Model):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="officers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT, related_name="case_assignments")
    is_lead = models.BooleanField("主办", default=False)

    class Meta:
        verbose_name = "承办人员"
        verbose_name_plural = "承办人员"
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_officer_unique")]


class StageEntry(models.Model):
    """One step of the case along its procedure (append-only)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="history")
    stage = models.CharField("环节", max_length=40)
    transition = models.CharField("流转", max_length=100, blank=True)
    entered_at = models.DateTimeField("进入时间")
    entered_on = models.DateField("进入日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "环节记录"
        verbose_name_plural = "环节记录"
        ordering = ["entered_at", "id"]


class CaseDeadline(models.Model):
    """A time limit of the procedure, computed (never typed) when its start stage is entered."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="deadlines")
    code = models.CharField("期限代码", max_length=40)
    name = models.CharField("期限", max_length=100)
    start_date = models.DateField("起算日")
    due_date = models.DateField("届满日")
    rule = models.CharField("计算规则", max_length=200)
    basis = models.CharField("法律依据", max_length=300)
    provisional = models.BooleanField("暂估", default=False, help_text="届满日所在年度尚无官方放假安排。")
    party_period = models.BooleanField("当事人期间", default=False)
    end_stage = models.CharField("截止环节", max_length=40)
    met_on = models.DateField("完成日期", null=True, blank=True)
    extended_days = models.PositiveIntegerField("已延长", default=0)
    extension_reason = models.CharField("延长理由", max_length=300, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准延长", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excluded_days = models.PositiveIntegerField("不计入期限的天数", default=0)
    met_by = models.CharField("完成的行为", max_length=100, blank=True)

    class Meta:
        verbose_name = "办理期限"
        verbose_name_plural = "办理期限"
        ordering = ["due_date"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="case_deadline_unique")]

    def __str__(self):
        return f"{self.name} {self.due_date}"


class PauseKind(models.TextChoices):
    """Periods not counted in the decision time limit (行政处罚法第六十条 with 市场监管 Art. 64, 行政许可法第四十五条)."""

    HEARING = "hearing", "听证"
    PUBLIC_NOTICE = "public_notice", "公告"
    TESTING = "testing", "检测"
    INSPECTION = "inspection", "检验"
    APPRAISAL = "appraisal", "鉴定"
    QUARANTINE = "quarantine", "检疫"
    EXPERT = "expert", "专家评审"
    CERTIFICATION = "certification", "认定"
    OTHER = "other", "其他依法不计入的期间"


class DeadlinePause(models.Model):
    """An excluded period of a case's time limit: from `start_date` to `end_date` (both counted), added to
    the due date when it ends. An open pause stops the limit running."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="pauses")
    deadline_code = models.CharField("期限代码", max_length=40)
    kind = models.CharField("事项", max_length=20, choices=PauseKind.choices)
    start_date = models.DateField("起始日")
    end_date = models.DateField("终止日", null=True, blank=True)
    reason = models.CharField("说明", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "不计入期限的期间"
        verbose_name_plural = "不计入期限的期间"
        ordering = ["start_date", "id"]

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1 if self.end_date else 0


class HearingThreshold(models.Model):
    """较大数额 for the hearing right (行政处罚法第六十三条), as set by a province or a sector (DOMAIN.md R4.4).
    The most specific row wins: the longest region prefix of the agency's region code, then a matching sector."""

    sector = models.CharField("执法领域", max_length=50, blank=True, help_text="空白：所有领域。")
    region_prefix = models.CharField("行政区划代码前缀", max_length=6, blank=True, help_text="如 33（浙江省）、3304（嘉兴市）；空白：全国。")
    party_kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    fine_amount = models.DecimalField("较大数额罚款（元）", max_digits=14, decimal_places=2)
    confiscation_amount = models.DecimalField("较大数额没收（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    basis = models.CharField("依据", max_length=300)

    class Meta:
        verbose_name = "听证较大数额标准"
        verbose_name_plural = "听证较大数额标准"
        ordering = ["region_prefix", "sector", "party_kind"]
        constraints = [models.UniqueConstraint(fields=["sector", "region_prefix", "party_kind"], name="hearing_threshold_unique")]

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.sector or '各领域'} {self.get_party_kind_display()} {self.fine_amount} 元"


class Payment(models.Model):
    """A fine paid at the bank (罚缴分离, 行政处罚法第六十七条): date, amount and the receipt number."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField("缴款日期")
    amount = models.DecimalField("缴款金额（元）", max_digits=14, decimal_places=2)
    late_fee = models.DecimalField("其中加处罚款（元）", max_digits=14, decimal_places=2, default=0)
    receipt_number = models.CharField("缴款凭证号（罚缴分离）", max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "罚款缴纳记录"
        verbose_name_plural = "罚款缴纳记录"
        ordering = ["paid_on", "id"]


class PaymentArrangement(models.Model):
    """暂缓或者分期缴纳 (行政处罚法第六十六条), approved by the agency head: `schedule` lists [due date, amount]."""

    class Kind(models.TextChoices):
        DEFERRAL = "deferral", "延期缴纳"
        INSTALMENTS = "instalments", "分期缴纳"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="payment_arrangements")
    kind = models.CharField("方式", max_length=12, choices=Kind.choices)
    schedule = models.JSONField("缴纳安排")
    reason = models.CharField("理由", max_length=300)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("批准日期")

    class Meta:
        verbose_name = "延期（分期）缴纳"
        verbose_name_plural = "延期（分期）缴纳"
        ordering = ["approved_on", "id"]
