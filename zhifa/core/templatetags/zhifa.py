from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def rows(name: str, **context) -> str:
    """A list's row loop rendered by Jinja2 (zhifa/core/jinja.py); autoescaped there."""
    return mark_safe(engines["jinja2"].get_template(name).template.render(context))


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """The current query string with page=number: paging keeps every search and filter."""
    params = context["request"].GET.copy()
    params["page"] = number
    return params.urlencode()
