"""System checks (``manage.py check``, run by ``make test`` and at every start)."""

import gettext
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.utils.translation import to_locale

CATALOGUES = Path(__file__).resolve().parent / "locale"


def untranslated_count(code: str) -> int:
    """How many strings of the interface the language's compiled catalogue lacks. Every
    string is extracted into each catalogue (make messages); the compiled one holds only
    those translated. Counted by message: a message with plural forms ("1 person", "2
    people") is one, though the compiled catalogue keeps each of its forms (as many as
    the language has) under its own key."""
    folder = CATALOGUES / to_locale(code) / "LC_MESSAGES"
    try:
        with open(folder / "django.mo", "rb") as compiled:
            keys = gettext.GNUTranslations(compiled)._catalog
        translated = len({key[0] if isinstance(key, tuple) else key for key in keys if key})
    except FileNotFoundError:
        translated = 0
    source = (folder / "django.po").read_text(encoding="utf-8")
    return source.count("\nmsgid ") - 1 - translated  # less the catalogue's header


@checks.register()
def offered_languages_complete(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A language is offered only with every string of the interface translated: the
    rest would be English under its own direction, which reads as broken."""
    return [
        checks.Error(
            f"PUBLIC_LANGUAGES offers {name}, whose catalogue lacks {missing} strings.",
            hint="Translate the rest of site/locale/"
            f"{to_locale(code)}/LC_MESSAGES/django.po and run make messages, or stop "
            "offering it (docs/TRANSLATIONS.md).",
            id="homeward.E001",
        )
        for code, name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE and (missing := untranslated_count(code))
    ]
