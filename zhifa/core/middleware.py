import json

from django.http import JsonResponse

from zhifa.core.text import CONTROL
from zhifa.core.views import error_page

MAX_JSON_DEPTH = 32


def _bad_text(text: str) -> str | None:
    if "\x00" in text:
        return "请求包含非法字符（NUL），未作任何处理。"
    if CONTROL.search(text):
        return "请求包含控制字符（如文字方向控制符、ESC、响铃符），未作任何处理。"
    return None


def _walk(value, depth: int = 0) -> str | None:
    if depth > MAX_JSON_DEPTH:
        return f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层，未作任何处理。"
    if isinstance(value, str):
        return _bad_text(value)
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        problem = _walk(item, depth + 1)
        if problem:
            return problem
    return None


def _problem(request) -> str | None:
    problem = _bad_text(request.path)
    if problem:
        return problem
    sources = [request.GET]
    # Only small url-encoded forms: multipart bodies (evidence uploads) are streamed, not parsed here.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.POST)
    for data in sources:
        for key, values in data.lists():
            for text in (key, *values):
                problem = _bad_text(text)
                if problem:
                    return problem
    if request.method in ("POST", "PUT", "PATCH") and request.content_type == "application/json":
        try:
            body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
        except Exception:
            return "请求体过大，未作任何处理。"
        if body:
            try:
                parsed = json.loads(body)
            except RecursionError:
                return f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层，未作任何处理。"
            except ValueError:
                return None  # the API's own parser answers malformed JSON
            return _walk(parsed)
    return None


class RejectNulBytesMiddleware:
    """Characters that are never legitimate input (NUL, which PostgreSQL cannot store; control and bidi
    characters, which disguise names and titles) and JSON nested deeper than any form of ours: 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = _problem(request)
        if message:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
            return error_page(request, 400, "请求有误", message)
        return self.get_response(request)
