"""The public RSS feed of live appeals, for partners who republish them: each appeal's
summary, its main photo, and its public facts as elements a republisher can read.

It lists publicly visible appeals only, and is served through the page cache, which a
takedown purges: a closed appeal leaves it at once, photo and all.
"""

import mimetypes

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed

from appeals.models import AppealIndexPage, AppealPage, AppealPhoto
from homeward.links import absolute_url

# Our elements for an appeal's public facts, in the RSS feed and the partners' Atom feed.
APPEAL_FIELDS_NS = "urn:homeward:ns:appeal:1"
MEDIA_RSS_NS = "http://search.yahoo.com/mrss/"
FEED_PHOTO_RENDITION = AppealPage.MAIN_PHOTO_RENDITION


def rendition_enclosure(rendition) -> tuple[str, int | None, str]:
    """A rendition as an enclosure: its public address, its size in bytes (None if the
    file cannot be read, as while a takedown removes it) and its media type."""
    try:
        length = rendition.file.size
    except OSError:
        length = None
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    return absolute_url(rendition.url), length, mime_type


def appeal_public_facts(appeal: AppealPage) -> list[tuple[str, str, dict]]:
    """(element, text, attributes) for the facts a republisher lays out on its own: the
    same ones the appeal page shows, never anything from the police tab."""
    facts = [
        ("area", appeal.police_force.name, {"slug": appeal.police_force.slug}),
        ("missing-since", appeal.missing_since.isoformat(), {}),
        ("last-seen-area", appeal.last_seen_area, {}),
    ]
    if appeal.age_when_missing is not None:
        facts.insert(0, ("age-when-missing", str(appeal.age_when_missing), {}))
    return facts


class AppealsRss(Rss201rev2Feed):
    """RSS 2.0 with the photo's size and alt text (Media RSS) and the appeal's facts."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:media": MEDIA_RSS_NS,
            "xmlns:homeward": APPEAL_FIELDS_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if photo := item["photo"]:
            attributes = {"url": photo["url"], "type": photo["type"], "medium": "image"}
            attributes |= {"width": str(photo["width"]), "height": str(photo["height"])}
            if photo["length"]:
                attributes["fileSize"] = str(photo["length"])
            handler.startElement("media:content", attributes)
            handler.addQuickElement("media:description", photo["alt"], {"type": "plain"})
            handler.endElement("media:content")
        for name, text, attributes in item["facts"]:
            handler.addQuickElement(f"homeward:{name}", text, attributes)


class LiveAppealsFeed(Feed):
    """An RSS feed of live appeals, for partners who republish them."""

    feed_type = AppealsRss
    description = "People missing now. If you see someone, call 999; or call or text 116 000."

    def __init__(self, directory: AppealIndexPage):
        super().__init__()
        self.directory = directory

    def title(self) -> str:
        return self.directory.title

    def link(self) -> str:
        return absolute_url(self.directory.url)

    def items(self):
        photos = AppealPhoto.objects.with_renditions([FEED_PHOTO_RENDITION])
        appeals = list(
            AppealPage.objects.publicly_visible()
            .descendant_of(self.directory)
            .select_related("police_force")
            .prefetch_related(Prefetch("photos", queryset=photos))
            .order_by("-missing_since", "-pk")[:50]
        )
        for appeal in appeals:  # read once, for the enclosure and the Media RSS element
            appeal.feed_photo = self._main_photo(appeal)
        return appeals

    def item_title(self, item: AppealPage) -> str:
        return item.title

    def item_description(self, item: AppealPage) -> str:
        return item.summary

    def item_link(self, item: AppealPage) -> str:
        return absolute_url(item.url)

    def item_pubdate(self, item: AppealPage):
        return item.first_published_at

    def item_categories(self, item: AppealPage) -> list[str]:
        return [item.police_force.name]

    def item_enclosures(self, item: AppealPage) -> list[Enclosure]:
        # Every RSS reader and RSS-to-email tool reads <enclosure>; the Media RSS element
        # adds what it cannot say: the size in pixels and the alt text.
        if not (photo := item.feed_photo):
            return []
        # RSS asks for a length: 0 is the RSS Board's advice for one not known.
        length = str(photo["length"] or 0)
        return [Enclosure(url=photo["url"], length=length, mime_type=photo["type"])]

    def item_extra_kwargs(self, item: AppealPage) -> dict:
        return {"photo": item.feed_photo, "facts": appeal_public_facts(item)}

    @staticmethod
    def _main_photo(appeal: AppealPage) -> dict | None:
        if not (photo := appeal.main_photo):
            return None
        rendition = photo.image.get_rendition(FEED_PHOTO_RENDITION)
        url, length, mime_type = rendition_enclosure(rendition)
        return {
            "url": url,
            "length": length,
            "type": mime_type,
            "width": rendition.width,
            "height": rendition.height,
            "alt": photo.alt_text,
        }
