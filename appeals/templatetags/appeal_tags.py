from urllib.parse import quote, urlencode

from django import template
from django.utils.translation import gettext

from appeals.models import AppealPage, AppealShortLink
from appeals.selectors import appeal_list_latest
from homeward.links import absolute_url

register = template.Library()


@register.simple_tag
def latest_appeals(limit: int):
    """The most recently missing people, for pages of other apps (the home page)."""
    return appeal_list_latest(limit=limit)


@register.inclusion_tag("appeals/share_links.html")
def share_links(page: AppealPage, short_link: AppealShortLink | None = None) -> dict:
    """Plain share links: no third-party scripts, nothing loaded until someone clicks.
    With the short link, the poster and flyer too."""
    url = absolute_url(page.url)
    text = gettext("Missing: %(summary)s Please share.") % {"summary": page.summary}
    title = gettext("Missing: %(name)s") % {"name": page.title}
    share_on, share_by = gettext("Share on"), gettext("Share by")
    return {
        "url": url,
        "name": page.title,
        "title": title,
        "text": text,
        "short_link": short_link,
        "links": [
            {
                "action": share_on,
                "label": "Facebook",
                "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
            },
            {
                "action": share_on,
                "label": "X",
                "href": "https://x.com/intent/post?" + urlencode({"text": text, "url": url}),
            },
            {
                "action": share_on,
                "label": "WhatsApp",
                "href": "https://wa.me/?" + urlencode({"text": f"{text} {url}"}),
            },
            {
                "action": share_by,
                "label": gettext("Email"),
                "href": f"mailto:?subject={quote(title)}"
                f"&body={quote(text + chr(10) + chr(10) + url)}",
            },
        ],
    }
