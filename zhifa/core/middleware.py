from django.http import JsonResponse

from zhifa.core.views import error_page


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    sources = [request.GET]
    # Only small url-encoded forms: multipart bodies (evidence uploads) are streamed, not parsed here.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.POST)
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    return False


class RejectNulBytesMiddleware:
    """NUL characters are never legitimate input, and PostgreSQL cannot store them: refuse with 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            message = "请求包含非法字符（NUL），未作任何处理。"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
            return error_page(request, 400, "请求有误", message)
        return self.get_response(request)
