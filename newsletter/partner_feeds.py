"""Partners' feeds of what their key may read: an Atom feed (RFC 4287) of live public
appeals with a tombstone (RFC 6721) for each one taken down, and a PFIF 1.4 export for
people-finder systems.

Both are built from partner_appeals' records, which hold public fields only, by an XML
writer that escapes whatever the text holds. Neither says why an appeal came down.
"""

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.xmlutils import SimplerXMLGenerator

from appeals.feeds import APPEAL_FIELDS_NS, rendition_enclosure
from appeals.models import AppealPage
from homeward.languages import DEFAULT_LANGUAGE
from homeward.links import absolute_url
from newsletter.partner_appeals import (
    PARTNER_PHOTO_FILTERS,
    partner_appeal_record,
    partner_deleted,
    partner_live_appeals,
)
from newsletter.partner_keys import Grant

ATOM_NS = "http://www.w3.org/2005/Atom"
TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0"
PFIF_NS = "http://zesty.ca/pfif/1.4"
FEED_PATH = "/api/v1/feed.atom"
# An empty feed's <updated>: fixed, so that its ETag stays the same until something changes.
NOTHING_YET = datetime(1970, 1, 1, tzinfo=UTC)
# Characters XML 1.0 cannot carry, even escaped. Validators keep them out of appeals; this
# keeps a slip from breaking every partner's feed.
NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# PFIF 1.4 has female, male and other. "Non-binary" is other; "not stated" is left out,
# which is how PFIF says it is not known (other would claim an answer they did not give).
PFIF_SEX = {
    AppealPage.Gender.FEMALE: "female",
    AppealPage.Gender.MALE: "male",
    AppealPage.Gender.NON_BINARY: "other",
}
# The public text fields, as the appeal page labels them, for PFIF's one description.
DESCRIBED = (
    ("height_text", "Height"),
    ("build", "Build"),
    ("hair", "Hair"),
    ("clothing", "Clothing when last seen"),
    ("distinguishing_features", "Distinguishing features"),
)


def xml_safe(text: str) -> str:
    return NOT_IN_XML.sub("", text)


class _XmlWriter(SimplerXMLGenerator):
    """Drops what XML 1.0 cannot carry from every text and attribute; escapes the rest."""

    def startElement(self, name, attrs):
        super().startElement(name, {key: xml_safe(value) for key, value in attrs.items()})

    def characters(self, content):
        super().characters(xml_safe(content))

    def element(self, name: str, text: str | None = None, **attributes: str) -> None:
        self.addQuickElement(name, text, attributes)


def _document(write) -> bytes:
    out = io.StringIO()
    xml = _XmlWriter(out, "utf-8", short_empty_elements=True)
    xml.startDocument()
    # The partners' records are in English, whatever language the request was in.
    with translation.override(DEFAULT_LANGUAGE):
        write(xml)
    xml.endDocument()
    return out.getvalue().encode()


def utc_text(moment: datetime) -> str:
    """YYYY-MM-DDThh:mm:ssZ: what PFIF asks for, and valid RFC 3339 for Atom."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def appeal_entry_id(appeal_id: int) -> str:
    """An appeal's Atom id, and its tombstone's ref: the same for ever, whatever address
    the site moves to (a tag: or http: id would carry the domain)."""
    return f"urn:homeward:appeal:{appeal_id}"


def _deleted_from_this_feed(grant: Grant, changed_since: datetime | None) -> list[dict]:
    # Only appeals that were public, as the entries were: a restricted briefing's number
    # belongs to the briefings list, not to a feed a partner may pass around.
    return partner_deleted(grant=replace(grant, briefings=False), changed_since=changed_since)


def partner_atom(grant: Grant, *, changed_since: datetime | None = None) -> bytes:
    """The Atom feed of the key's live public appeals (those changed since, if given) and
    tombstones of those taken down."""
    appeals = list(partner_live_appeals(grant=grant, changed_since=changed_since))
    deleted = _deleted_from_this_feed(grant, changed_since)
    changes = [appeal.last_published_at for appeal in appeals]
    changes += [tombstone["deleted_at"] for tombstone in deleted]
    site = settings.WAGTAIL_SITE_NAME

    def write(xml: _XmlWriter) -> None:
        xml.startElement(
            "feed",
            {
                "xmlns": ATOM_NS,
                "xmlns:at": TOMBSTONES_NS,
                "xmlns:homeward": APPEAL_FIELDS_NS,
                "xml:lang": "en-GB",
            },
        )
        xml.element("id", f"urn:homeward:partner:{grant.partner_id}:feed")
        xml.element("title", f"{site}: people missing now")
        xml.element(
            "subtitle",
            "Show an appeal only until a deleted-entry names it or its homeward:expires "
            "time passes, whichever is first; then remove it everywhere at once.",
        )
        xml.element("updated", utc_text(max(changes, default=NOTHING_YET)))
        xml.startElement("author", {})
        xml.element("name", site)
        xml.element("uri", absolute_url("/"))
        xml.endElement("author")
        xml.element("link", rel="self", type="application/atom+xml", href=absolute_url(FEED_PATH))
        for appeal in appeals:
            _atom_entry(xml, appeal)
        for tombstone in deleted:
            # RFC 6721 allows a comment and who deleted it: neither is given.
            xml.element(
                "at:deleted-entry",
                ref=appeal_entry_id(tombstone["id"]),
                when=utc_text(tombstone["deleted_at"]),
            )
        xml.endElement("feed")

    return _document(write)


def _portrait(appeal: AppealPage):
    photos = list(appeal.photos.all())
    return photos[0].image.get_rendition(PARTNER_PHOTO_FILTERS["portrait"]) if photos else None


def _atom_entry(xml: _XmlWriter, appeal: AppealPage) -> None:
    record = partner_appeal_record(appeal)
    xml.startElement("entry", {})
    xml.element("id", appeal_entry_id(record["id"]))
    xml.element("title", record["name"])
    xml.element("published", utc_text(record["published_at"]))
    xml.element("updated", utc_text(record["updated_at"]))
    xml.element("link", rel="alternate", type="text/html", href=record["url"])
    if (rendition := _portrait(appeal)) is not None:
        url, length, mime_type = rendition_enclosure(rendition)
        alt = record["photos"][0]["alt"]
        enclosure = {"rel": "enclosure", "href": url, "type": mime_type, "title": alt}
        if length:
            enclosure["length"] = str(length)
        xml.element("link", **enclosure)
    xml.element("category", term=record["area"]["slug"], label=record["area"]["name"])
    xml.element("summary", record["summary"])
    _appeal_fields(xml, record)
    xml.endElement("entry")


def _appeal_fields(xml: _XmlWriter, record: dict) -> None:
    """The record's public facts as elements of our own namespace (named as in the public
    RSS feed): typed values a partner reads without parsing prose, which is all an Atom
    <content> could hold."""
    if record["age_when_missing"] is not None:
        xml.element("homeward:age-when-missing", str(record["age_when_missing"]))
    xml.element("homeward:age", record["age_text"])
    xml.element("homeward:child", "true" if record["is_child"] else "false")
    xml.element("homeward:gender", record["gender"])
    if record["height_cm"]:
        xml.element("homeward:height", record["height_text"], cm=str(record["height_cm"]))
    for name in ("build", "hair", "clothing", "distinguishing_features", "message"):
        if record[name]:
            xml.element("homeward:" + name.replace("_", "-"), record[name])
    xml.element("homeward:missing-since", record["missing_since"].isoformat())
    xml.element("homeward:last-seen-area", record["last_seen_area"])
    xml.element("homeward:area", record["area"]["name"], slug=record["area"]["slug"])
    xml.element("homeward:short-url", record["short_url"])
    xml.element("homeward:poster-url", record["poster_url"])
    if record["expires_at"]:
        # Partners must take it down by then, whatever else they hear.
        xml.element("homeward:expires", utc_text(record["expires_at"]))
    for photo in record["photos"]:
        for shape in PARTNER_PHOTO_FILTERS:
            xml.element(
                "homeward:photo",
                shape=shape,
                href=photo[shape]["url"],
                width=str(photo[shape]["width"]),
                height=str(photo[shape]["height"]),
                alt=photo["alt"],
            )
    for words in record["languages"]:
        xml.startElement("homeward:translation", {"xml:lang": words["language"]})
        xml.element("homeward:headline", words["headline"])
        if words["description"]:
            xml.element("homeward:description", words["description"])
        xml.element("homeward:message", words["message_to_them"])
        xml.endElement("homeward:translation")


def pfif_person_record_id(appeal_id: int) -> str:
    return f"{urlsplit(settings.BASE_URL).hostname}/appeal.{appeal_id}"


def partner_pfif(grant: Grant) -> bytes:
    """A PFIF 1.4 document of the key's live public appeals, and of those taken down
    lately as PFIF's expired records (an id and dates, nothing of the person), so that a
    people-finder removes them without waiting for their expiry date."""
    appeals = partner_live_appeals(grant=grant)
    deleted = _deleted_from_this_feed(grant, None)

    def write(xml: _XmlWriter) -> None:
        xml.startElement("pfif:pfif", {"xmlns:pfif": PFIF_NS})
        for appeal in appeals:
            _pfif_person(xml, appeal)
        for tombstone in deleted:
            # PFIF 1.4's expired placeholder: its mandatory full_name is left empty.
            deleted_at = utc_text(tombstone["deleted_at"])
            _pfif_person_element(
                xml,
                [
                    ("person_record_id", pfif_person_record_id(tombstone["id"])),
                    ("entry_date", deleted_at),
                    ("expiry_date", deleted_at),
                    ("source_date", deleted_at),
                    ("full_name", ""),
                ],
            )
        xml.endElement("pfif:pfif")

    return _document(write)


def _pfif_person(xml: _XmlWriter, appeal: AppealPage) -> None:
    record = partner_appeal_record(appeal)
    site = settings.WAGTAIL_SITE_NAME
    # This site is the record's home: it was made (source_date) and stored (entry_date)
    # here when it was last published, and people-finders keep the newest source_date.
    changed = utc_text(record["updated_at"])
    photos = record["photos"]
    # In PFIF 1.4's order. No given or family name: the name to publish is agreed as a
    # whole, and splitting it would be a guess. No home_* field: never an address.
    _pfif_person_element(
        xml,
        [
            ("person_record_id", pfif_person_record_id(record["id"])),
            ("entry_date", changed),
            ("expiry_date", utc_text(record["expires_at"]) if record["expires_at"] else ""),
            ("author_name", site),
            ("source_name", site),
            ("source_date", changed),
            ("source_url", record["url"]),
            ("full_name", record["name"]),
            ("description", _pfif_description(record)),
            ("sex", PFIF_SEX.get(record["gender"], "")),
            ("age", _pfif_age(appeal)),
            ("photo_url", photos[0]["portrait"]["url"] if photos else ""),
        ],
        keep_empty=False,
    )


def _pfif_person_element(
    xml: _XmlWriter, fields: list[tuple[str, str]], *, keep_empty=True
) -> None:
    xml.startElement("pfif:person", {})
    for name, value in fields:
        if value or keep_empty:
            xml.element(f"pfif:{name}", value)
    xml.endElement("pfif:person")


def _pfif_description(record: dict) -> str:
    lines = [record["summary"]]
    lines += [f"{label}: {record[field]}" for field, label in DESCRIBED if record[field]]
    lines.append(f"Police force: {record['area']['name']}")
    return "\n".join(lines)


def _pfif_age(appeal: AppealPage) -> str:
    """Their age now, as PFIF allows: a number where the appeal page's "now" is exact
    (worked out from a date of birth, which stays private), else the two it may be, as a
    range (from the age they went missing at, a birthday may since have passed)."""
    age, approximate = appeal.age_now()
    if age is None:
        return ""
    return f"{age}-{age + 1}" if approximate else str(age)
