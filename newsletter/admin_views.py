"""A preview of each Heroes email in the admin. The campaigns themselves: ``viewsets``."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from homeward.admin_views import permission_require
from homeward.languages import DEFAULT_LANGUAGE
from newsletter.emails import AREAS, MANAGE_URL, UNSUBSCRIBE_URL, EmailRenderer, email_compile
from newsletter.models import NewsletterSettings
from newsletter.selectors import email_preview_context

# Where each person's own would go, the preview shows these.
PREVIEW_VALUES = {
    AREAS: "North Yorkshire Police (example)",
    MANAGE_URL: "#manage",
    UNSUBSCRIBE_URL: "#unsubscribe",
}
PREVIEW_KINDS = {
    "regular": "Regular email",
    "urgent": "Urgent alert",
    "briefing": "Partner briefing",
    "confirmation": "Confirm your sign-up",
    "already-subscribed": "Already subscribed",
}


def email_preview(request: HttpRequest, kind: str) -> HttpResponse:
    """The email as a Hero would see it, compiled from the current MJML and wording."""
    permission_require(request, "newsletter.view_campaign")
    if kind not in PREVIEW_KINDS:
        raise Http404
    context = email_preview_context(
        kind, wording=NewsletterSettings.load().wording(), now=timezone.now()
    )
    html, text = EmailRenderer(email_compile(kind)).render(context, language=DEFAULT_LANGUAGE)
    for placeholder, example in PREVIEW_VALUES.items():
        html, text = html.replace(placeholder, example), text.replace(placeholder, example)
    if request.GET.get("format") == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)
