"""One filterset per listed model, read by its page and its API alike, so both take the same parameters.

Each app keeps its filtersets in `<app>/filters.py`, built on django-filter. A page calls `for_page` (a bad
value is reported in Chinese and the list is shown unfiltered); an endpoint calls `for_api` (a bad value is
a 400 with a Chinese message); `parameters` documents the same filters in the OpenAPI schema.
"""

import django_filters as df
from django import forms
from django.contrib import messages
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from zhifa.core.text import CONTROL, ID_MAX


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)  # what every database's bigint holds
        kwargs.setdefault("error_messages", {"invalid": "必须是整数 ID。", "min_value": "必须是整数 ID。", "max_value": "必须是整数 ID。"})
        super().__init__(*args, **kwargs)


class IdFilter(df.NumberFilter):
    """A record's ID: a whole number a database can hold, or a Chinese 400 (never an overflow)."""

    field_class = IdField


class BooleanFilter(df.BooleanFilter):
    """A yes/no filter that reads 1/0 and true/false, as a link (?expiring=1) or a client sends it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", df.widgets.BooleanWidget)
        super().__init__(*args, **kwargs)


class FilterSet(df.FilterSet):
    """Base for zhifa's filtersets: values are trimmed, stripped of control characters and capped, so a pasted
    essay cannot become a scan over a million rows of an unbounded pattern."""

    MAX_TEXT = 100

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                # control characters (NUL breaks PostgreSQL, bidi marks hide text) are dropped, not searched for
                values = [CONTROL.sub("", v).strip()[: self.MAX_TEXT] for v in data.getlist(key)]
                data.setlist(key, values)
        super().__init__(data, *args, **kwargs)

    def error_text(self) -> str:
        parts = []
        for name, errors in self.errors.items():
            label = self.filters[name].label if name in self.filters else name
            parts.append(f"{label}：{'；'.join(str(e) for e in errors)}")
        return "；".join(parts)


def for_page(filterset_class, request, queryset, defaults: dict | None = None):
    """(filterset, queryset) for a list page. Invalid parameters are named in a message and ignored.
    `defaults` apply when the parameter is absent (the review queue opens on pending tasks); an empty value
    (?status=) means no filter."""
    data = request.GET.copy()
    for key, value in (defaults or {}).items():
        data.setdefault(key, value)
    filterset = filterset_class(data, queryset=queryset, request=request)
    if filterset.is_valid():
        return filterset, filterset.qs
    messages.warning(request, f"筛选条件有误，已忽略：{filterset.error_text()}")
    return filterset, queryset


def for_api(filterset_class, request, queryset):
    """The filtered queryset for an endpoint; invalid parameters are a 400 with Chinese messages."""
    filterset = filterset_class(request.query_params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise exceptions.ValidationError({name: [str(e) for e in errors] for name, errors in filterset.errors.items()})
    return filterset.qs


def _choices(f):
    choices = f.extra.get("choices")
    if callable(choices):
        choices = choices()
    return [str(value) for value, _ in choices] if choices else None


def parameters(filterset_class) -> list[OpenApiParameter]:
    """The filterset's filters as OpenAPI query parameters."""
    params = []
    for name, f in filterset_class.base_filters.items():
        kind = OpenApiTypes.STR
        if isinstance(f, (df.NumberFilter, df.ModelChoiceFilter)):
            kind = OpenApiTypes.INT
        elif isinstance(f, df.BooleanFilter):
            kind = OpenApiTypes.BOOL
        elif isinstance(f, df.DateFilter):
            kind = OpenApiTypes.DATE
        enum = _choices(f) if isinstance(f, (df.ChoiceFilter, df.MultipleChoiceFilter)) else None
        params.append(OpenApiParameter(name, kind, description=str(f.label or ""), enum=enum))
    return params
