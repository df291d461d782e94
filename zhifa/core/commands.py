"""Shared pieces of the `zhifa` management commands."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def acting_user(username: str):
    """The person a command acts as (`--as`); commands run with that person's rights and scope."""
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        raise CommandError(f"用户不存在或已停用：{username}")
    return person
