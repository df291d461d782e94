from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """The current query string with page=number: paging keeps every search and filter."""
    params = context["request"].GET.copy()
    params["page"] = number
    return params.urlencode()
