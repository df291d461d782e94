"""Pagination: the API's limit/offset that refuses, in Chinese, what the database cannot take (a limit or offset
of 10^20), and the pages' capped paginator that never counts a million rows."""

from django.core.paginator import Paginator
from rest_framework import exceptions
from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10**9


def count_upto(queryset, cap: int) -> int:
    """min(rows, cap + 1): enough to show a count up to `cap` and to know there are more. Unordered, since the
    order does not change how many rows a limited set holds, and a sort of every match would."""
    return queryset.values("pk").order_by()[: cap + 1].count()


class SafeLimitOffsetPagination(LimitOffsetPagination):
    """limit/offset, with the total counted up to COUNT_CAP: beyond it `count` is the cap and `count_capped` is
    true (an exact count of a million rows is a full scan that every page of the list would pay for)."""

    max_limit = 500
    COUNT_CAP = 10_000

    def get_count(self, queryset):
        counted = count_upto(queryset, self.COUNT_CAP) if hasattr(queryset, "values") else len(queryset)
        self.count_capped = counted > self.COUNT_CAP
        return min(counted, self.COUNT_CAP)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.count_capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean", "description": f"为真时实际条数超过 {self.COUNT_CAP:,}，count 只计到此数。",
        }
        return schema

    def _integer(self, request, name: str, default, low: int, high: int):
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return default
        if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
            raise exceptions.ValidationError({name: [f"必须是 {low} 至 {high} 之间的整数。"]})
        return int(raw)

    def get_limit(self, request):
        return self._integer(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return self._integer(request, self.offset_query_param, 0, 0, MAX_OFFSET)


class CappedPaginator:
    """Pages that count at most `cap` rows: an exact count of a million rows is a full scan, and nobody pages
    past the first few hundred. Shows "共 2000+ 条" beyond the cap; pages beyond it are not offered."""

    def __init__(self, queryset, per_page: int, cap: int = 2000):
        self.inner = Paginator(queryset, per_page)
        self.queryset, self.per_page, self.cap = queryset, per_page, cap

    def get_page(self, number):
        counted = count_upto(self.queryset, self.cap)
        self.inner.count = min(counted, self.cap)  # Paginator.count is a cached_property
        self.capped = counted > self.cap
        page = self.inner.get_page(number)
        page.capped = self.capped
        return page
