"""API pagination that refuses, in Chinese, what the database cannot take (a limit or offset of 10^20)."""

from rest_framework import exceptions
from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10**9


class SafeLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 500

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
