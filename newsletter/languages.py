"""The language of a Hero's emails: which they may choose, and how an email is written in it.

A Hero chooses from the languages the site offers (settings.LANGUAGES). An email goes in
their language while the site still offers it, and in English once it does not: a
language no longer offered may lack strings, and its addresses (`/cy/…`) no longer answer.
What a campaign says in each language is worked out when it is created, for every
language then offered, so that every batch sends the same email (see ``in_each_language``).
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from homeward.languages import DEFAULT_LANGUAGE, NAMES_IN_THEMSELVES, text_direction

T = TypeVar("T")


def languages_offered() -> list[str]:
    """The codes of the languages the site offers, English first."""
    return [code for code, _ in settings.LANGUAGES]


def language_is_offered(code: str) -> bool:
    return code in languages_offered()


def email_language(chosen: str) -> str:
    """The language a Hero who chose ``chosen`` is written to in."""
    return chosen if language_is_offered(chosen) else DEFAULT_LANGUAGE


def written_as(code: str) -> dict[str, str]:
    """What an email's templates need to be laid out in a language: its ``lang``, its
    ``dir``, and the side text starts from (MJML aligns by left and right)."""
    direction = text_direction(code)
    return {
        "language": code,
        "direction": direction,
        "align": "right" if direction == "rtl" else "left",
    }


def in_each_language(make: Callable[[], T]) -> dict[str, T]:
    """What ``make`` gives with each offered language active, by language code."""
    made = {}
    for code in languages_offered():
        with translation.override(code):
            made[code] = make()
    return made


def language_choices() -> list[tuple[str, SafeString]]:
    """The offered languages as a Hero chooses among them: each named in itself, and
    marked as written in itself, so that a screen reader says it right."""
    return [
        (
            code,
            format_html(
                '<span lang="{}" dir="{}">{}</span>',
                code,
                text_direction(code),
                NAMES_IN_THEMSELVES[code],
            ),
        )
        for code in languages_offered()
    ]
