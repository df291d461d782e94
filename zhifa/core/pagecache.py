"""Public pages served from a cache that cannot go stale.

The portal (/gs/) and the public API are the same for every anonymous visitor, and at provincial scale they
are most of the traffic. A rendered page is kept under a key that includes the ledger's size: every change
zhifa makes is recorded on the ledger in the transaction that makes it (a rule of the house), so any change
at all — a decision published, withdrawn or corrected, a credential revoked, a list item changed — gives
every page a new key, and a withdrawn decision is never shown from the cache. The key also includes the
local date, so pages that depend on the day (take-down, the working-day calendar) turn over at midnight.
Nobody has to remember to invalidate anything; the price is one index-only query per request
(`SELECT MAX(seq)`), and a cache that empties whenever anything is written.

Only anonymous GET/HEAD requests on the prefixes in ZHIFA_PUBLIC_CACHE_PREFIXES, answered 200 with no cookie
and small enough (ZHIFA_PUBLIC_CACHE_MAX_BYTES), are kept. The `pages` cache is per process by default; set
ZHIFA_CACHE_URL (redis://…) to share it between the server's workers.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone

from zhifa.ledger import tree

KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(tuple(settings.ZHIFA_PUBLIC_CACHE_PREFIXES))
        and not request.headers.get("HX-Request")
        and not request.user.is_authenticated
    )


def page_key(request) -> str:
    identity = "\n".join([request.get_host(), request.get_full_path(), str(tree.size()), timezone.localdate().isoformat()])
    return "page:" + hashlib.sha256(identity.encode()).hexdigest()


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.ZHIFA_PUBLIC_CACHE_SECONDS or not _cacheable(request):
            return self.get_response(request)
        store = caches["pages"]
        key = page_key(request)
        kept = store.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Zhifa-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and len(response.content) <= settings.ZHIFA_PUBLIC_CACHE_MAX_BYTES
        ):
            headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
            store.set(key, (response.content, headers), settings.ZHIFA_PUBLIC_CACHE_SECONDS)
            response["X-Zhifa-Cache"] = "miss"
        return response
