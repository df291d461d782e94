"""A faster read path for list serialisers (docs/decisions.md, scale): the same output as DRF's, per field.

DRF walks every field of every row through a generator, `Field.get_attribute` (a loop over the source path with a
callable check and exception handling) and then `to_representation`. For a field that reads one concrete,
non-relational column of the serialiser's model, the value is simply that attribute; `FastRead` works out once per
serialiser which fields are such columns and reads them directly, then calls the field's own `to_representation`
(so dates, decimals and choices come out exactly as DRF writes them). Every other field (nested, method, related,
computed) goes DRF's way. `zhifa/tests/test_fastread.py` compares the two outputs field for field.
"""

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

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
                attname = None
                if model is not None and isinstance(field, _PLAIN) and len(field.source_attrs) == 1:
                    try:
                        model_field = model._meta.get_field(field.source_attrs[0])
                    except FieldDoesNotExist:
                        model_field = None
                    if model_field is not None and model_field.concrete and not model_field.is_relation:
                        attname = model_field.attname
                plan.append((field.field_name, field, attname))
            plan = self.__dict__["_fastread_plan"] = tuple(plan)
        return plan

    def to_representation(self, instance):
        if not self.fast:
            return super().to_representation(instance)
        ret = {}
        for name, field, attname in self._plan():
            if attname is not None:
                value = getattr(instance, attname)
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
