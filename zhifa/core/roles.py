from django.db import models


class Role(models.TextChoices):
    """The five roles of ARCHITECTURE.md. A person may hold several."""

    OFFICER = "officer", "执法人员"
    REVIEWER = "reviewer", "法制审核人员"
    HEAD = "head", "机关负责人"
    SUPERVISOR = "supervisor", "监督人员"
    ADMIN = "admin", "系统管理员"


def is_admin(user) -> bool:
    """A system administrator: the admin role, or a Django superuser (the bootstrap account)."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN)))


def is_head_of(user, agency) -> bool:
    """A head (机关负责人) of `agency` (an Agency or its id)."""
    agency_id = getattr(agency, "pk", agency)
    return bool(user is not None and user.is_authenticated and user.agency_id == agency_id and user.has_role(Role.HEAD))


def is_admin_or_head_of(user, agency) -> bool:
    """An administrator, or a head (机关负责人) of `agency` (an Agency or its id)."""
    return is_admin(user) or is_head_of(user, agency)
