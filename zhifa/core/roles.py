from django.db import models


class Role(models.TextChoices):
    """The five roles of ARCHITECTURE.md. A person may hold several."""

    OFFICER = "officer", "执法人员"
    REVIEWER = "reviewer", "法制审核人员"
    HEAD = "head", "机关负责人"
    SUPERVISOR = "supervisor", "监督人员"
    ADMIN = "admin", "系统管理员"
