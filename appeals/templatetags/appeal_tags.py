from urllib.parse import quote, urlencode

from django import template

from appeals.models import AppealPage
from homeward.links import absolute_url

register = template.Library()


@register.inclusion_tag("appeals/share_links.html")
def share_links(page: AppealPage) -> dict:
    """Plain share links: no third-party scripts, nothing loaded until someone clicks."""
    url = absolute_url(page.url)
    text = f"Missing: {page.summary} Please share."
    return {
        "links": [
            {
                "label": "Share on Facebook",
                "where": "Facebook",
                "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
            },
            {
                "label": "Share on X",
                "where": "X",
                "href": "https://x.com/intent/post?" + urlencode({"text": text, "url": url}),
            },
            {
                "label": "Share on WhatsApp",
                "where": "WhatsApp",
                "href": "https://wa.me/?" + urlencode({"text": f"{text} {url}"}),
            },
            {
                "label": "Share by email",
                "where": "your email app",
                "href": f"mailto:?subject={quote('Missing: ' + page.title)}"
                f"&body={quote(text + chr(10) + chr(10) + url)}",
            },
        ]
    }
