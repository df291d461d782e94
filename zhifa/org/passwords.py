"""Password rules of 等保 2.0 level 3 (docs/security.md): complexity, no reuse of the last N, and expiry.

The validators plug into Django's AUTH_PASSWORD_VALIDATORS, so every way a password is set (the services, the
password page, the API, `zhifa changepassword`) applies them; history is kept when Django reports a change."""

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

CLASSES = (("大写字母", re.compile(r"[A-Z]")), ("小写字母", re.compile(r"[a-z]")), ("数字", re.compile(r"[0-9]")),
           ("符号", re.compile(r"[^A-Za-z0-9]")))


class ComplexityValidator:
    """At least `classes` of: capitals, small letters, digits, symbols."""

    def __init__(self, classes: int = 3):
        self.classes = classes

    def validate(self, password, user=None):
        if sum(1 for _, pattern in CLASSES if pattern.search(password)) < self.classes:
            raise ValidationError(f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.classes} 类。", code="password_too_simple")

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.classes} 类。"


def _history(person_id):
    """The person's recorded password hashes, newest first."""
    from .models import PasswordHistory

    return PasswordHistory.objects.filter(person_id=person_id).order_by("-changed_at", "-id")


class HistoryValidator:
    """None of the person's last `count` passwords again (the current one included)."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = _history(user.pk).values_list("password", flat=True)
        for encoded in [user.password, *hashes[: self.count]]:
            if encoded and check_password(password, encoded):
                raise ValidationError(f"不能使用最近 {self.count} 次用过的密码。", code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(person_id=user.pk, password=user.password)
        stale = list(_history(user.pk).values_list("pk", flat=True)[self.count:])
        PasswordHistory.objects.filter(pk__in=stale).delete()

    def get_help_text(self):
        return f"不能使用最近 {self.count} 次用过的密码。"


def changed_at(person) -> dt.datetime | None:
    return _history(person.pk).values_list("changed_at", flat=True).first()


def expired(person) -> bool:
    """The password is older than ZHIFA_PASSWORD_MAX_DAYS (0: passwords never expire). A person with no recorded
    change (made before this rule) counts from when they joined."""
    days = settings.ZHIFA_PASSWORD_MAX_DAYS
    if not days or not person.has_usable_password():
        return False
    since = changed_at(person) or person.date_joined
    return timezone.now() - since > dt.timedelta(days=days)
