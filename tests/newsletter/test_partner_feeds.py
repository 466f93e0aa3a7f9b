"""The partners' feeds: the Atom feed (entries for the key's live public appeals, a
tombstone for each taken down, kept after the retention purge) and the PFIF 1.4 export;
both well-formed whatever the text, and neither with a never-public value."""

import xml.etree.ElementTree as ET
from datetime import UTC, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from appeals.models import AppealPage, PublicityCheck
from appeals.services import appeals_retention_purge
from homeward.links import absolute_url
from homeward.models import PoliceForce
from newsletter.partner_feeds import partner_atom, partner_pfif
from newsletter.partner_keys import Grant
from tests import factories
from tests.appeals.test_public_feed import assert_none_revealed, never_public_appeals

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
TOMBSTONE = "{http://purl.org/atompub/tombstones/1.0}deleted-entry"
FIELDS = "{urn:homeward:ns:appeal:1}"
PFIF = "{http://zesty.ca/pfif/1.4}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A person's fields in PFIF 1.4, in the order the specification gives them.
PFIF_PERSON_ORDER = [
    "person_record_id",
    "entry_date",
    "expiry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_name",
    "source_date",
    "source_url",
    "full_name",
    "given_name",
    "family_name",
    "alternate_names",
    "description",
    "sex",
    "date_of_birth",
    "age",
    "home_street",
    "home_neighborhood",
    "home_city",
    "home_state",
    "home_postal_code",
    "home_country",
    "photo_url",
    "profile_urls",
]
OTHER_FORCE = "west-yorkshire-police"


def grant_for(*force_slugs: str, public_appeals=True, briefings=False) -> Grant:
    forces = PoliceForce.objects.filter(slug__in=force_slugs or ["north-yorkshire-police"])
    return Grant(
        key_id=1,
        partner_id=1,
        prefix="feedtest",
        public_appeals=public_appeals,
        briefings=briefings,
        all_of_uk=False,
        force_ids=frozenset(forces.values_list("pk", flat=True)),
        requests_per_minute=60,
        expires_at=None,
    )


def parse(document: bytes) -> ET.Element:
    return ET.fromstring(document)  # noqa: S314 (our own output)


def entries(feed: ET.Element) -> dict[str, ET.Element]:
    return {entry.findtext(f"{ATOM}id"): entry for entry in feed.iter(f"{ATOM}entry")}


def tombstones(feed: ET.Element) -> dict[str, ET.Element]:
    return {tombstone.get("ref"): tombstone for tombstone in feed.iter(TOMBSTONE)}


def utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def persons(document: bytes) -> list[ET.Element]:
    return list(parse(document).iter(f"{PFIF}person"))


def pfif_fields(person: ET.Element) -> dict[str, str]:
    return {field.tag.removeprefix(PFIF): field.text or "" for field in person}


def test_the_feed_has_an_entry_for_each_live_appeal_in_the_keys_areas_only():
    appeal = factories.appeal_create(title="Marigold Quillfeather")
    factories.appeal_create(
        title="Elsewhere Appealperson", police_force=PoliceForce.objects.get(slug=OTHER_FORCE)
    )
    factories.appeal_create(title="Draft Appealperson", publish=False)

    document = partner_atom(grant_for())
    feed = parse(document)
    assert list(entries(feed)) == [f"urn:homeward:appeal:{appeal.pk}"]
    entry = entries(feed)[f"urn:homeward:appeal:{appeal.pk}"]
    assert entry.findtext(f"{ATOM}title") == "Marigold Quillfeather"
    assert entry.findtext(f"{ATOM}updated") == utc(appeal.last_published_at)
    assert entry.findtext(f"{ATOM}published") == utc(appeal.first_published_at)
    links = {link.get("rel"): link.attrib for link in entry.iter(f"{ATOM}link")}
    assert links["alternate"]["href"] == absolute_url(appeal.url)
    portrait = appeal.main_photo.image.get_rendition("fill-600x750-c100")
    assert links["enclosure"]["href"] == absolute_url(portrait.url)
    assert links["enclosure"]["type"] == "image/jpeg"
    assert links["enclosure"]["length"] == str(portrait.file.size)
    assert links["enclosure"]["title"] == appeal.main_photo.alt_text
    assert entry.find(f"{ATOM}category").attrib == {
        "term": "north-yorkshire-police",
        "label": "North Yorkshire Police",
    }
    assert entry.findtext(f"{FIELDS}last-seen-area") == appeal.last_seen_area
    assert entry.findtext(f"{FIELDS}missing-since") == appeal.missing_since.isoformat()

    assert feed.findtext(f"{ATOM}updated") == utc(appeal.last_published_at)
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == absolute_url("/api/v1/feed.atom")
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == settings.WAGTAIL_SITE_NAME
    # Nothing changed, nothing different: the same bytes (and so the same ETag).
    assert partner_atom(grant_for()) == document


def test_a_takedown_leaves_a_tombstone_with_the_entrys_id_kept_after_the_purge(
    client, settings, django_capture_on_commit_callbacks
):
    settings.APPEAL_RETENTION_DAYS = 30
    appeal = factories.appeal_create(title="Marigold Quillfeather", photos=2)
    entry_id = f"urn:homeward:appeal:{appeal.pk}"
    before = partner_atom(grant_for())
    assert entry_id in entries(parse(before))
    photo_urls = [photo.get("href") for photo in parse(before).iter(f"{FIELDS}photo")]

    takedown = factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    takedown.refresh_from_db()

    def assert_only_the_tombstone_is_left() -> None:
        document = partner_atom(grant_for())
        feed = parse(document)
        assert entries(feed) == {}
        tombstone = tombstones(feed)[entry_id]
        # When, and nothing of why: no comment, no one who deleted it.
        assert tombstone.attrib == {"ref": entry_id, "when": utc(takedown.closed_at)}
        assert len(tombstone) == 0
        assert feed.findtext(f"{ATOM}updated") == utc(takedown.closed_at)
        text = document.decode()
        assert "Quillfeather" not in text and appeal.slug not in text
        assert not any(url in text for url in photo_urls)
        pfif = persons(partner_pfif(grant_for()))
        assert [pfif_fields(person) for person in pfif] == [
            {
                "person_record_id": f"{urlsplit(settings.BASE_URL).hostname}/appeal.{appeal.pk}",
                "entry_date": utc(takedown.closed_at),
                "expiry_date": utc(takedown.closed_at),
                "source_date": utc(takedown.closed_at),
                "full_name": "",
            }
        ]

    assert_only_the_tombstone_is_left()
    later = takedown.closed_at + timedelta(days=settings.APPEAL_RETENTION_DAYS + 1)
    assert appeals_retention_purge(now=later) == 1
    assert AppealPage.objects.get(pk=appeal.pk).title == f"Closed appeal {appeal.pk}"
    assert_only_the_tombstone_is_left()
    assert "Closed appeal" not in partner_atom(grant_for()).decode()


def test_changed_since_gives_what_changed_after_it():
    older = factories.appeal_create(title="Older Appealperson")
    since = timezone.now()
    newer = factories.appeal_create(title="Newer Appealperson")
    factories.appeal_closed(older)
    feed = parse(partner_atom(grant_for(), changed_since=since))
    assert list(entries(feed)) == [f"urn:homeward:appeal:{newer.pk}"]
    assert list(tombstones(feed)) == [f"urn:homeward:appeal:{older.pk}"]


def test_a_briefings_only_key_gets_no_public_appeal_nor_its_tombstone():
    factories.appeal_create(title="Marigold Quillfeather")
    factories.appeal_closed(factories.appeal_create(title="Closed Appealperson"))
    grant = grant_for(public_appeals=False, briefings=True)
    feed = parse(partner_atom(grant))
    assert entries(feed) == {} and tombstones(feed) == {}
    assert persons(partner_pfif(grant)) == []


def test_any_text_comes_out_well_formed_and_whole():
    name = 'Zoë "Zed" O\'Brien & <Co>'
    headline = 'هل رأيت زوي؟ & <"ليست في ورطة">'
    appeal = factories.appeal_create(
        title=name,
        clothing='A coat & a "scarf" <blue>',
        translations=({"language": "ps", "headline": headline},),
    )
    entry = entries(parse(partner_atom(grant_for())))[f"urn:homeward:appeal:{appeal.pk}"]
    assert entry.findtext(f"{ATOM}title") == name
    assert entry.findtext(f"{FIELDS}clothing") == 'A coat & a "scarf" <blue>'
    translation = entry.find(f"{FIELDS}translation")
    assert translation.get(XML_LANG) == "ps"
    assert translation.findtext(f"{FIELDS}headline") == headline
    (person,) = persons(partner_pfif(grant_for()))
    assert pfif_fields(person)["full_name"] == name
    assert (
        'Clothing when last seen: A coat & a "scarf" <blue>' in pfif_fields(person)["description"]
    )


def test_no_never_public_value_reaches_either_feed():
    appeal = never_public_appeals()
    atom = partner_atom(grant_for()).decode()
    pfif = partner_pfif(grant_for()).decode()
    # The checks below mean something only if the appeal (and a tombstone) are there.
    assert appeal.title in atom and appeal.title in pfif
    assert len(tombstones(parse(atom.encode()))) == 1
    assert_none_revealed(atom, "the Atom feed")
    assert_none_revealed(pfif, "the PFIF export")


def test_pfif_gives_each_live_appeal_in_order_with_its_clearances_expiry_and_no_address():
    female = factories.appeal_create(
        title="Marigold Quillfeather", clothing="A green raincoat", age_when_missing=15
    )
    factories.appeal_create(title="Robin Nonbinaryperson", gender="non-binary")
    factories.appeal_create(title="Sam Notstatedperson", gender="not-stated")
    root = parse(partner_pfif(grant_for()))
    assert root.tag == f"{PFIF}pfif"
    by_name = {pfif_fields(person)["full_name"]: person for person in root}

    fields = pfif_fields(by_name["Marigold Quillfeather"])
    assert list(fields) == [name for name in PFIF_PERSON_ORDER if name in fields]
    assert not [name for name in fields if name.startswith("home_")]
    clearance = PublicityCheck.objects.valid_clearances().get(revision_id=female.live_revision_id)
    assert fields["expiry_date"] == utc(clearance.expires_at)
    assert (
        fields["person_record_id"] == f"{urlsplit(settings.BASE_URL).hostname}/appeal.{female.pk}"
    )
    assert fields["entry_date"] == fields["source_date"] == utc(female.last_published_at)
    assert fields["author_name"] == settings.WAGTAIL_SITE_NAME
    assert fields["source_url"] == absolute_url(female.url)
    assert fields["sex"] == "female"
    # Missing ten days at 15, no date of birth: 15, or 16 if a birthday has passed.
    assert fields["age"] == "15-16"
    assert "A green raincoat" in fields["description"]
    portrait = female.main_photo.image.get_rendition("fill-600x750-c100")
    assert fields["photo_url"] == absolute_url(portrait.url)
    assert "given_name" not in fields and "family_name" not in fields

    assert pfif_fields(by_name["Robin Nonbinaryperson"])["sex"] == "other"
    assert "sex" not in pfif_fields(by_name["Sam Notstatedperson"])
