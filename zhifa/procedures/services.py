"""Publishing procedure definitions. Each publication is a new immutable version and a ledger event."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core.errors import require
from zhifa.core.roles import is_admin
from zhifa.ledger import rfc9162
from zhifa.ledger import services as ledger

from . import definitions
from .models import ProcedureDefinition


def may_publish(actor) -> bool:
    return actor is None or is_admin(actor)


@transaction.atomic
def publish_definition(actor, definition: dict) -> tuple[ProcedureDefinition, bool]:
    """Returns (version, created). Publishing unchanged content returns the current version."""
    require(may_publish(actor), "只有系统管理员可以发布执法程序。")
    errors = definitions.validate(definition)
    if errors:
        raise ValidationError({"definition": errors})
    digest = rfc9162.sm3(ledger.canonical_json(definition).encode()).hex()
    current = ProcedureDefinition.objects.select_for_update().filter(code=definition["code"]).order_by("-version").first()
    if current and current.digest == digest:
        return current, False
    version = ProcedureDefinition.objects.create(
        code=definition["code"],
        version=(current.version + 1) if current else 1,
        name=definition["name"],
        category=definition["category"],
        definition=definition,
        digest=digest,
        published_at=timezone.now(),
        published_by=actor,
    )
    ledger.append(
        "procedures.definition.published",
        actor=actor,
        obj=version,
        data={"code": version.code, "version": version.version, "name": version.name, "digest": digest},
    )
    return version, True


def publish_bundled(actor=None) -> list[tuple[ProcedureDefinition, bool]]:
    """The procedures shipped with zhifa (definitions/*.json); installation and demo use this."""
    return [publish_definition(actor, d) for d in definitions.bundled()]
