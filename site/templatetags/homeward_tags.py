from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from homeward import links
from homeward.languages import NAMES_IN_THEMSELVES, text_direction

register = template.Library()


@register.simple_tag
def absolute_url(url: str) -> str:
    return links.absolute_url(url)


@register.simple_tag(takes_context=True)
def languages_of_this_page(context) -> list[dict]:
    """This page in each offered language, each named in itself, for the switcher."""
    request = context.get("request")
    here = request.get_full_path() if request else "/"
    current = get_language()
    return [
        {
            "code": code,
            "name": NAMES_IN_THEMSELVES[code],
            "dir": text_direction(code),
            "url": translate_url(here, code),
            "current": code == current,
        }
        for code, _ in settings.LANGUAGES
    ]
