"""Jinja2 for the rows of the long staff lists (docs/decisions.md, scale): a page stays a Django template (one base,
one navigation), and only its row loop, rendered thirty to fifty times per request, is a Jinja2 fragment, included
with ``{% rows "cases/_rows.jinja" page=page %}``. Django's template engine spent about two thirds of a list page's
time in that loop; Jinja2 compiles it to Python.

The fragments see only what the tag passes them, plus `url` (reverse, with the address pattern worked out once per
route) and the filters `date` (Django's date format, in local time) and `dash` (an em dash for an empty value).
Autoescaping is on, as in Django templates.
"""

import datetime as dt
from functools import lru_cache

import jinja2
from django.template.defaultfilters import filesizeformat
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, timezone

_MARK = 7_654_321_987  # stands for an integer argument while an address pattern is worked out


@lru_cache(maxsize=None)
def _pattern(prefix: str, name: str, count: int) -> str:
    address = reverse(name, args=[_MARK] * count)
    if address.count(str(_MARK)) != count:
        raise ValueError(f"无法为 {name} 生成地址模板")
    return address.replace("{", "{{").replace("}", "}}").replace(str(_MARK), "{}")


def url(name: str, *args) -> str:
    """reverse(name, args) for integer arguments, without resolving the route again for every row."""
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return reverse(name, args=args)
    return _pattern(get_script_prefix(), name, len(args)).format(*args)


_FORMATS = {  # the formats the fragments use, written directly (Django's dateformat costs ~25 µs a value)
    "Y-m-d": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d}",
    "Y-m-d H:i": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}",
    "Y-m-d H:i:s": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}",
}


def date(value, fmt: str = "Y-m-d") -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value)
    elif not isinstance(value, dt.date) or fmt != "Y-m-d":
        return dateformat.format(value, fmt)  # a time, or a date in a format with hours: as Django would
    direct = _FORMATS.get(fmt)
    return direct(value) if direct is not None else dateformat.format(value, fmt)


def dash(value, empty: str = "—"):
    return empty if value in (None, "") else value


def environment(**options) -> jinja2.Environment:
    options["autoescape"] = True
    options["undefined"] = jinja2.StrictUndefined  # a misspelt name fails in the tests, not silently on a page
    options.update(trim_blocks=True, lstrip_blocks=True)
    env = jinja2.Environment(**options)
    env.globals["url"] = url
    env.filters["date"] = date
    env.filters["dash"] = dash
    env.filters["filesizeformat"] = filesizeformat  # Django's wording (字节, KB), not Jinja2's
    return env
