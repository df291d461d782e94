"""Shared pieces of the `zhifa` management commands."""

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError


def acting_user(username: str):
    """The person a command acts as (`--as`); commands run with that person's rights and scope."""
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        raise CommandError(f"用户不存在或已停用：{username}")
    return person


@contextmanager
def service_errors():
    """A service called by a command: its Chinese refusals (invalid input, no right to act) become the command's
    error message instead of a traceback."""
    try:
        yield
    except ValidationError as exc:
        raise CommandError("；".join(exc.messages)) from None
    except PermissionDenied as exc:
        raise CommandError(str(exc)) from None
