from django.core.exceptions import PermissionDenied


def require(condition: bool, message: str = "您无权执行此操作。") -> None:
    if not condition:
        raise PermissionDenied(message)
