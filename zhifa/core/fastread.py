"""A faster read path for list serialisers (docs/decisions.md, scale): the same output as DRF's, per field.

DRF walks every field of every row through a generator, `Field.get_attribute` (a loop over the source path with a
callable check and exception handling) and then `to_representation`. For a field that reads one concrete,
non-relational column of the serialiser's model, the value is simply that attribute; `FastRead` works out once per
serialiser which fields are such columns and reads them directly, then calls the field's own `to_representation`
(so dates, decimals and choices come out exactly as DRF writes them). A primary-key field over a foreign key
reads the key column (`agency_id`) and writes it as it is. Every other field (nested, method, related, computed)
goes DRF's way. `zhifa/tests/test_fastread.py` compares the two outputs field for field.

A row may also be a plain dict (`Rows`: a list page read with `.values()`, no model instances at all); DRF's own
path reads dicts by key, so the nested and computed fields work on them as long as the page's `fill` has put their
sources in each row.
"""

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField

_PLAIN = (
    drf_fields.CharField, drf_fields.IntegerField, drf_fields.BooleanField, drf_fields.DateField, drf_fields.DateTimeField,
    drf_fields.DecimalField, drf_fields.FloatField, drf_fields.ChoiceField, drf_fields.JSONField, drf_fields.ReadOnlyField,
    drf_fields.UUIDField,
)


class FastRead:
    fast = True  # the tests turn it off to compare with DRF's own path

    def _plan(self):
        plan = self.__dict__.get("_fastread_plan")
        if plan is None:
            model = getattr(getattr(self, "Meta", None), "model", None)
            plan = []
            for field in self.fields.values():
                if field.write_only:
                    continue
                attname, raw = None, False
                model_field = None
                if model is not None and len(field.source_attrs) == 1:
                    try:
                        model_field = model._meta.get_field(field.source_attrs[0])
                    except FieldDoesNotExist:
                        pass
                if model_field is not None and model_field.concrete:
                    if isinstance(field, _PLAIN) and not model_field.is_relation:
                        attname = model_field.attname
                    elif (
                        type(field) is PrimaryKeyRelatedField and field.pk_field is None
                        and (model_field.many_to_one or model_field.one_to_one) and model_field.target_field.primary_key
                    ):
                        attname, raw = model_field.attname, True  # the key column holds the related row's pk
                plan.append((field.field_name, field, attname, raw))
            plan = self.__dict__["_fastread_plan"] = tuple(plan)
        return plan

    def to_representation(self, instance):
        if not self.fast:
            return super().to_representation(instance)
        ret = {}
        row = type(instance) is dict
        for name, field, attname, raw in self._plan():
            if attname is not None:
                value = instance[attname] if row else getattr(instance, attname)
                if raw:
                    ret[name] = value
                    continue
            else:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject):
                    ret[name] = None if value.pk is None else field.to_representation(value)
                    continue
            ret[name] = None if value is None else field.to_representation(value)
        return ret


class Rows:
    """A list page read as dicts: the paginator slices `queryset.values(columns)` and `fill` completes the page
    (related rows fetched in one query each, keyed into each dict). Building ~300 model instances for a page of 50
    cases (with parties and officers) was most of the case list's time; a dict per row is a fraction of it.

    `columns` are the serialiser's directly read columns plus `extra` (what `fill` needs, such as `id`)."""

    def __init__(self, serializer_class, *, extra=(), fill=None):
        self.serializer_class, self.extra, self.fill = serializer_class, tuple(extra), fill

    def columns(self) -> list[str]:
        columns = self.__dict__.get("_columns")
        if columns is None:  # worked out once: the serialiser's fields are fixed by its class
            names = [attname for _, _, attname, _ in self.serializer_class()._plan() if attname is not None]
            columns = self.__dict__["_columns"] = list(dict.fromkeys([*names, *self.extra]))
        return columns

    def queryset(self, queryset):
        return queryset.prefetch_related(None).values(*self.columns())

    def page(self, rows: list[dict]) -> list[dict]:
        if self.fill is not None and rows:
            self.fill(rows)
        return rows
