from django.conf import settings
from django.db import models

from .specs import LISTS


class ListKind(models.TextChoices):
    POWERS = "powers", LISTS["powers"][0]
    INSPECTIONS = "inspections", LISTS["inspections"][0]
    GUIDES = "guides", LISTS["guides"][0]


class PublicItem(models.Model):
    """One entry of an agency's 权责清单, 随机抽查事项清单 or 服务指南: current state; every change is a new version."""

    agency = models.ForeignKey("org.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="public_items")
    list_kind = models.CharField("清单", max_length=20, choices=ListKind.choices)
    code = models.CharField("事项编码", max_length=60)
    name = models.CharField("事项名称", max_length=200)
    fields = models.JSONField("内容", default=dict)
    version = models.PositiveIntegerField("版本", default=1)
    is_active = models.BooleanField("有效", default=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "公开事项"
        verbose_name_plural = "公开事项"
        ordering = ["agency", "list_kind", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "list_kind", "code"], name="public_item_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"


class PublicItemVersion(models.Model):
    """版本记录 (append-only): what the public saw from when, and why it changed."""

    item = models.ForeignKey(PublicItem, verbose_name="事项", on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    name = models.CharField("事项名称", max_length=200)
    fields = models.JSONField("内容")
    is_active = models.BooleanField("有效")
    changed_at = models.DateTimeField("变更时间")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="变更人", null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("变更说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "事项版本"
        verbose_name_plural = "事项版本"
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="public_item_version_unique")]
