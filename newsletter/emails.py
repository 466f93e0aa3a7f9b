"""Heroes' emails: MJML compiled to HTML once, then rendered cheaply many times.

An email is made in two stages. Compiling joins the layout, the kind's body and the
appeal card into one MJML document and turns it into HTML with the ``mjml`` package:
that is slow (milliseconds), so it happens once per campaign. The result is still a
Django template (MJML passes Django's tags through untouched), rendered once per
segment (Heroes with the same areas and language get the same email), with that
language active. What differs per person (their areas, and their links to manage or
leave a subscription) are placeholders, swapped in as each message is built.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.template import engines
from django.template.loader import get_template
from django.utils import translation
from mjml import mjml_to_html

from newsletter.languages import written_as

BODY_MARKER = "<!-- BODY -->"
APPEAL_MARKER = "<!-- APPEAL -->"
# Stand-ins for what is each person's own: swapped in per message (newsletter/mime.py).
MANAGE_URL = "@@MANAGE_URL@@"
UNSUBSCRIBE_URL = "@@UNSUBSCRIBE_URL@@"
AREAS = "@@AREAS@@"
PLACEHOLDERS = (MANAGE_URL, UNSUBSCRIBE_URL, AREAS)
# MJML drops what is not an element, so the libraries the MJML sources load (each loads
# them too, to be read as templates) are loaded again where its output becomes one.
TEMPLATE_LIBRARIES = "{% load i18n %}"


class EmailCompileError(Exception):
    pass


@dataclass(frozen=True)
class EmailSource:
    """A compiled email: Django template sources for its HTML and its plain text."""

    html: str
    text: str


def email_compile(kind: str) -> EmailSource:
    """Compile the MJML for one kind of email ("regular", "urgent", "confirmation", ...)."""
    layout = _source("layout.mjml")
    body = _source(f"{kind}.mjml").replace(APPEAL_MARKER, _source("_appeal.mjml"))
    result = mjml_to_html(layout.replace(BODY_MARKER, body))
    if result.errors:
        raise EmailCompileError(f"{kind}.mjml: {result.errors}")
    return EmailSource(html=TEMPLATE_LIBRARIES + result.html, text=_source(f"{kind}.txt"))


@lru_cache(maxsize=16)
def email_compiled(kind: str) -> EmailSource:
    """For one-off emails (confirmations): compiled once per process."""
    return email_compile(kind)


def email_context(*, subject: str, personal: bool, **content) -> dict:
    """What every email's layout needs, beside its own content.

    ``personal``: the email goes to a Hero, so it names their areas and carries their
    links (as placeholders, filled in per message).
    """
    return {
        "preview": subject,
        **content,
        "subject": subject,
        "areas": AREAS if personal else "",
        "manage_url": MANAGE_URL if personal else "",
        "unsubscribe_url": UNSUBSCRIBE_URL if personal else "",
    }


class EmailRenderer:
    """A compiled email as Django templates, parsed once and rendered many times."""

    def __init__(self, source: EmailSource) -> None:
        engine = engines["django"]
        self._html = engine.from_string(source.html)
        self._text = engine.from_string(source.text)

    def render(self, context: dict, *, language: str) -> tuple[str, str]:
        """The email in ``language``: its words, its ``lang`` and ``dir``, its layout."""
        context = {**context, **written_as(language)}
        with translation.override(language):
            return self._html.render(context), self._text.render(context)


def _source(name: str) -> str:
    return get_template(f"newsletter/email/{name}").template.source
