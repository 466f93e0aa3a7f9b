from django import template

from homeward import links

register = template.Library()


@register.simple_tag
def absolute_url(url: str) -> str:
    return links.absolute_url(url)
