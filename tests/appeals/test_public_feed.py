"""The public RSS feed: each live appeal with its main photo (an enclosure, and Media RSS
for its size and alt text) and its public facts; never a never-public value; and a closed
appeal gone from it at once, photo and all, though the feed is served from the page cache."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from appeals.feeds import APPEAL_FIELDS_NS, FEED_PHOTO_RENDITION, MEDIA_RSS_NS
from appeals.models import AppealPage
from appeals.services import appeal_close
from homeward import roles
from homeward.links import absolute_url
from tests import factories
from tests.appeals.test_takedown import media_served

pytestmark = pytest.mark.django_db

MEDIA = f"{{{MEDIA_RSS_NS}}}"
FIELDS = f"{{{APPEAL_FIELDS_NS}}}"

# Distinctive values for everything the public never sees (shared with the partners'
# feeds' tests): the police tab, the date of birth, the translators, a closing reason.
CASE_REFERENCE = "NYP-VESPERTINE-40417"
RISK_REASON = "Zorblax judgement recorded by the officer"
COUNCIL = "Quillingham Borough Council"
DATE_OF_BIRTH = date(2011, 2, 23)
ARRIVED = date(2019, 3, 17)
TRANSLATOR = "Ysolde Fernwhistle"
REVIEWER = "Quentin Mardlebury"
CLOSING_REASON = "Traced by DS Xylander at Brackenfold"
NEVER_PUBLIC = [
    CASE_REFERENCE,
    RISK_REASON,
    "zorblax",
    "risk",
    "traffick",
    "asylum",
    "unaccompanied",
    "in care",
    "domestic",
    "safeguarding",
    COUNCIL,
    "quillingham",
    "council",
    "2011-02-23",
    "23 February 2011",
    "23/02/2011",
    "2019-03-17",
    "17 March 2019",
    "17/03/2019",
    TRANSLATOR,
    REVIEWER,
    "Xylander",
    "Brackenfold",
]


def never_public_appeals() -> AppealPage:
    """A live appeal with every never-public field filled in, and one closed with a
    reason; returns the live one."""
    closed = factories.appeal_create(title="Closed Appealperson")
    appeal_close(
        appeal=closed,
        user=factories.staff(roles.PUBLISHERS),
        outcome="found",
        reason=CLOSING_REASON,
    )
    return factories.appeal_create(
        title="Perdita Sallowmere",
        date_of_birth=DATE_OF_BIRTH,
        case_reference=CASE_REFERENCE,
        police_risk_level=AppealPage.RiskLevel.LOW,
        police_risk_reason=RISK_REASON,
        in_care=True,
        trafficked=True,
        unaccompanied_asylum_seeking=True,
        domestic_abuse=True,
        local_authority=factories.local_authority_create(COUNCIL),
        arrived_in_uk_on=ARRIVED,
        translations=({"language": "ps", "translated_by": TRANSLATOR, "reviewed_by": REVIEWER},),
    )


def assert_none_revealed(text: str, where: str) -> None:
    for value in NEVER_PUBLIC:
        assert value.lower() not in text.lower(), f"{value!r} found in {where}"


def feed_url(directory) -> str:
    return f"{directory.url}feed/"


def items(content: bytes) -> dict[str, ET.Element]:
    channel = ET.fromstring(content).find("channel")  # noqa: S314 (our own output)
    return {item.findtext("title"): item for item in channel.iter("item")}


def test_each_appeal_comes_with_its_photo_and_public_facts(client, directory):
    appeal = factories.appeal_create(
        title="Marigold Quillfeather", last_seen_area="Knaresborough", age_when_missing=16
    )
    item = items(client.get(feed_url(directory)).content)["Marigold Quillfeather"]

    photo = appeal.main_photo
    rendition = photo.image.get_rendition(FEED_PHOTO_RENDITION)
    enclosure = item.find("enclosure").attrib
    assert enclosure == {
        "url": absolute_url(rendition.url),
        "length": str(rendition.file.size),
        "type": "image/jpeg",
    }
    assert int(enclosure["length"]) > 0 and media_served(rendition.url)
    media = item.find(f"{MEDIA}content")
    assert media.attrib["url"] == enclosure["url"] and media.attrib["medium"] == "image"
    assert media.attrib["fileSize"] == enclosure["length"]
    size = (str(rendition.width), str(rendition.height))
    assert (media.attrib["width"], media.attrib["height"]) == size
    assert media.findtext(f"{MEDIA}description") == photo.alt_text

    assert item.findtext("category") == "North Yorkshire Police"
    assert item.findtext(f"{FIELDS}age-when-missing") == "16"
    assert item.find(f"{FIELDS}area").attrib == {"slug": "north-yorkshire-police"}
    assert item.findtext(f"{FIELDS}area") == "North Yorkshire Police"
    assert item.findtext(f"{FIELDS}missing-since") == appeal.missing_since.isoformat()
    assert item.findtext(f"{FIELDS}last-seen-area") == "Knaresborough"
    assert item.findtext("link") == absolute_url(appeal.url)


def test_closing_an_appeal_takes_it_and_its_photo_out_of_the_cached_feed_at_once(
    client, directory, django_capture_on_commit_callbacks, django_assert_num_queries
):
    appeal = factories.appeal_create(title="Marigold Quillfeather")
    kept = factories.appeal_create(title="Another Appealperson")
    served = client.get(feed_url(directory))
    assert "s-maxage" in served["Cache-Control"]
    with django_assert_num_queries(0):  # from the page cache, as every visitor gets it
        text = client.get(feed_url(directory)).content.decode()
    photo_url = appeal.main_photo.image.get_rendition(FEED_PHOTO_RENDITION).url
    assert "Quillfeather" in text and photo_url in text

    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)

    text = client.get(feed_url(directory)).content.decode()
    assert "Quillfeather" not in text and appeal.url not in text
    assert photo_url not in text and not media_served(photo_url)
    assert set(items(text.encode())) == {kept.title}


def test_no_never_public_value_reaches_the_feed(client, directory):
    appeal = never_public_appeals()
    text = client.get(feed_url(directory)).content.decode()
    assert appeal.title in text and "Closed Appealperson" not in text
    assert_none_revealed(text, "the RSS feed")
