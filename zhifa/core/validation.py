"""Model validation and saving for services, without the queries whose answer is already known.

`Model.full_clean()` looks up every foreign key again and runs every unique check, even for a field the
service did not touch; on a single-event write that was half the time (bench/scale.py appends). Here:

- a foreign key whose object the service already holds (loaded from the database) is not looked up again;
  the database's own constraint still stands behind it;
- on a stored row, when the service says which fields it changed, only those are validated, and only the
  unique checks and constraints that involve one of them run; the other fields were validated when they
  were saved.

Messages are Django's (in Chinese), exactly as `full_clean()` would give them.
"""

from django.core.exceptions import ValidationError
from django.db.models import Model


def _known_relations(instance: Model) -> set[str]:
    """Foreign keys pointing at an object the service holds, loaded from the database."""
    known = set()
    for field in instance._meta.concrete_fields:
        if not field.is_relation or not field.is_cached(instance):
            continue
        related = field.get_cached_value(instance)
        if related is not None and not related._state.adding and related.pk == getattr(instance, field.attname):
            known.add(field.name)
    return known


def validate(instance: Model, changed=None) -> None:
    """Validate `instance` as `full_clean()` does (raises ValidationError), skipping what is already known.
    `changed`: the names of the fields the service changed on a stored row (None: validate every field)."""
    names = {f.name for f in instance._meta.concrete_fields}
    unchanged = set() if changed is None or instance._state.adding else names - set(changed)
    if unknown := set(changed or ()) - names:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    errors = {}
    try:
        instance.clean_fields(exclude=unchanged | _known_relations(instance))
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    # A unique check or constraint runs when it involves a changed field, with all its fields (unchanged ones too).
    involved = set()
    if unchanged:
        checks, _ = instance._get_unique_checks(include_meta_constraints=True)
        for _model, fields in checks:
            if set(fields) - unchanged:
                involved |= set(fields)
        for parent in instance._meta.get_parent_list() + [instance.__class__]:
            for constraint in parent._meta.constraints:
                fields = set(getattr(constraint, "fields", ()) or ())
                if not fields or getattr(constraint, "condition", None) is not None or getattr(constraint, "expressions", ()):
                    involved |= names  # a check, a condition or an expression: run it whatever changed
                elif fields - unchanged:
                    involved |= fields
    skip = (unchanged - involved) | set(errors)
    try:
        instance.validate_unique(exclude=skip)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    try:
        instance.validate_constraints(exclude=skip)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def save(instance: Model, changed=None) -> None:
    """Validate, then save: a stored row with `changed` writes only those fields (and its auto_now stamps)."""
    validate(instance, changed)
    if changed is None or instance._state.adding:
        instance.save()
        return
    stamps = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
    instance.save(update_fields=sorted(set(changed) | set(stamps)))
