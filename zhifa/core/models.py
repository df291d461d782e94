from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class HolidayOverride(TimeStampedModel):
    """A day whose status the administrator sets by hand.

    Takes precedence over the bundled official calendar: used for the next year's
    arrangement before the library ships it, for corrections, and for local closures.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选表示该日上班（如调休补班日），不勾选表示放假。")
    name = models.CharField("名称", max_length=50, help_text="如：春节、国庆节调休上班。")
    source = models.CharField("依据", max_length=200, blank=True, help_text="如：国务院办公厅关于2027年部分节假日安排的通知。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}（{'上班' if self.is_workday else '放假'}）"


class PublishedCalendarYear(TimeStampedModel):
    """Marks a year whose official arrangement the administrator has entered in full.

    Without this (and outside the bundled calendar's years) deadlines in that year are
    computed from an estimate and marked provisional (DOMAIN.md R9.7).
    """

    year = models.PositiveIntegerField(
        "年度", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField("发布文件", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "已发布年度放假安排"
        verbose_name_plural = "已发布年度放假安排"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年（{self.source}）"


class NumberSequence(models.Model):
    """The last number issued in one series: per agency, per document type, per year (DOMAIN.md R6.3)."""

    key = models.CharField("序列", max_length=100, help_text="如：执法主体 ID + 文书类型代码。")
    year = models.PositiveSmallIntegerField("年度")
    last_value = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="core_number_sequence_unique")]

    def __str__(self):
        return f"{self.key} {self.year}: {self.last_value}"


class JobRun(models.Model):
    """One run of a scheduled job for one slot (zhifa/core/jobs.py): the claim that makes it run once."""

    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    job = models.CharField("任务", max_length=60)
    slot = models.DateTimeField("计划时间")
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=1)
    worker = models.CharField("执行进程", max_length=120, blank=True)
    message = models.CharField("结果", max_length=500, blank=True)
    error = models.TextField("错误详情", blank=True)

    class Meta:
        verbose_name = "定时任务运行"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="jobrun_once_per_slot")]
        indexes = [models.Index(fields=["job", "-slot"], name="jobrun_latest")]

    def __str__(self):
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"
