from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from .definitions import CATEGORIES, Procedure


class ProcedureDefinition(models.Model):
    """One published version of a procedure. Versions are never changed: a case runs on the
    version it was opened under, and a new version is published as a new row."""

    code = models.CharField("程序代码", max_length=40)
    version = models.PositiveIntegerField("版本")
    name = models.CharField("名称", max_length=100)
    category = models.CharField("类别", max_length=20, choices=list(CATEGORIES.items()))
    definition = models.JSONField("定义")
    digest = models.CharField("SM3 摘要", max_length=64, help_text="规范 JSON 的 SM3，用于判断内容是否变化。")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "程序定义"
        verbose_name_plural = "程序定义"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="procedure_version_unique")]

    def __str__(self):
        return f"{self.name}（第 {self.version} 版）"

    @cached_property
    def procedure(self) -> Procedure:
        """The parsed definition; kept on the row, which never changes (a new version is a new row)."""
        return Procedure(self.definition)
