"""The partners' API: keys, scopes, areas, rate limits, the records it gives, what it
forgets, conditional requests and the cost of a poll with nothing new."""

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from appeals.models import AppealPage
from homeward.models import PoliceForce
from newsletter.models import Partner, PartnerAccess, PosterFetch
from newsletter.services.partner_accesses import partner_accesses_flush
from newsletter.services.partner_keys import (
    partner_key_create,
    partner_key_revoke,
    partner_key_rotate,
)
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/appeals"
BRIEFINGS = "/api/v1/briefings"


def partner_create(*, areas=("north-yorkshire-police",), **fields) -> Partner:
    partner = Partner.objects.create(
        organisation=fields.pop("organisation", "The Harrogate Herald"),
        email=fields.pop("email", "newsdesk@herald.example"),
        **fields,
    )
    partner.areas.set(PoliceForce.objects.filter(slug__in=areas))
    return partner


def key_for(partner: Partner, **options) -> str:
    return partner_key_create(partner=partner, name="Newsroom", user=None, **options)[1]


def get(client, url: str, key: str | None, **headers):
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client.get(url, **headers)


@pytest.fixture
def herald_key():
    return key_for(partner_create())


@pytest.fixture
def appeal():
    return factories.appeal_create(
        title="Testperson Ashdown",
        translations=({"language": "uk"},),
    )


def test_a_request_without_a_valid_key_is_refused_and_says_how_to_give_one(client, appeal):
    for key in (None, "", "hwk_nothing_like_a_key", "Basic abc"):
        response = get(client, LIST, key)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "Authorization: Bearer" in response.json()["detail"]
    assert not PartnerAccess.objects.exists()  # no partner to log it against


def test_a_key_lists_the_live_appeals_of_its_areas_with_public_fields_photos_and_addresses(
    client, herald_key, appeal
):
    elsewhere = factories.appeal_create(police_force=PoliceForce.objects.get(slug="kent-police"))
    draft = factories.appeal_create(publish=False)

    body = get(client, LIST, herald_key).json()

    assert [record["id"] for record in body["appeals"]] == [appeal.pk]  # not elsewhere's
    assert {elsewhere.pk, draft.pk}.isdisjoint(gone["id"] for gone in body["deleted"])
    record = body["appeals"][0]
    assert record["name"] == "Testperson Ashdown"
    assert record["area"] == {"slug": "north-yorkshire-police", "name": "North Yorkshire Police"}
    assert record["url"].endswith(AppealPage.objects.get(pk=appeal.pk).url)
    assert "/a/" in record["short_url"]
    [photo] = record["photos"]
    assert photo["alt"].startswith("Photo 1 of")
    assert ".fill-600x750-c100" in photo["portrait"]["url"]  # as the appeal page shows it
    assert photo["portrait"]["url"].startswith("http") and photo["portrait"]["width"] > 0
    assert [language["language"] for language in record["languages"]] == ["uk"]
    assert record["expires_at"] is not None
    assert body["deleted"] == []


def test_a_takedown_leaves_a_tombstone_without_a_reason_also_after_the_purge(
    client, herald_key, appeal, django_capture_on_commit_callbacks
):
    first = get(client, LIST, herald_key).json()
    with django_capture_on_commit_callbacks(execute=True):
        takedown = factories.appeal_closed(appeal)

    after = get(client, f"{LIST}?changed_since={first['next_changed_since']}", herald_key)
    body = after.json()
    assert body["appeals"] == []
    assert [gone["id"] for gone in body["deleted"]] == [appeal.pk]
    assert set(body["deleted"][0]) == {"id", "deleted_at"}
    assert "Closed in a test" not in after.content.decode()
    assert get(client, f"{LIST}/{appeal.pk}", herald_key).status_code == 410

    from appeals.services.retention import appeals_retention_purge

    with django_capture_on_commit_callbacks(execute=True):
        appeals_retention_purge(now=timezone.now() + timedelta(days=400))
    takedown.refresh_from_db()
    assert takedown.purged_at is not None
    again = get(client, LIST, herald_key).json()
    assert [gone["id"] for gone in again["deleted"]] == [appeal.pk]
    assert "Ashdown" not in json.dumps(again)


def test_keys_outside_their_area_or_scope_are_refused_with_a_clear_message(client, appeal):
    herald = key_for(partner_create())
    kent = get(client, f"{LIST}?area=kent-police", herald)
    assert kent.status_code == 403 and "area" in kent.json()["detail"]
    unknown = get(client, f"{LIST}?area=atlantis", herald)
    assert unknown.status_code == 404 and "atlantis" in unknown.json()["detail"]
    assert get(client, BRIEFINGS, herald).status_code == 403

    network = partner_create(
        organisation="Safe Harbour",
        email="duty@harbour.example",
        public_appeals=False,
        briefings=True,
        vetted_on=timezone.localdate(),
    )
    briefing_key = key_for(network, may_read_briefings=True)
    assert get(client, LIST, briefing_key).status_code == 403
    assert get(client, BRIEFINGS, briefing_key).status_code == 200


def test_restricted_briefings_reach_only_keys_allowed_them_and_never_with_a_photo(client):
    restricted = factories.appeal_create(
        title="Testperson Briefed", check={"decision": "restricted"}
    )
    vetted = partner_create(
        organisation="Safe Harbour",
        email="duty@harbour.example",
        briefings=True,
        vetted_on=timezone.localdate(),
    )
    allowed = key_for(vetted, may_read_briefings=True)
    not_allowed = key_for(vetted)

    body = get(client, BRIEFINGS, allowed).json()
    assert [briefing["id"] for briefing in body["briefings"]] == [restricted.pk]
    assert "photo" not in json.dumps(body) and "/media/" not in json.dumps(body)
    assert get(client, BRIEFINGS, not_allowed).status_code == 403
    # Never among the public appeals, to any key.
    assert restricted.pk not in [a["id"] for a in get(client, LIST, allowed).json()["appeals"]]


def test_a_revoked_key_stops_at_once_and_a_rotated_one_after_its_overlap(
    client, appeal, django_capture_on_commit_callbacks
):
    partner = partner_create()
    key, plain = partner_key_create(partner=partner, name="Screens", user=None)
    assert get(client, LIST, plain).status_code == 200  # its grant is now cached
    with django_capture_on_commit_callbacks(execute=True):
        partner_key_revoke(key=key, user=None)
    assert get(client, LIST, plain).status_code == 401

    old, old_plain = partner_key_create(partner=partner, name="CMS", user=None)
    new, new_plain = partner_key_rotate(key=old, user=None)
    assert get(client, LIST, old_plain).status_code == 200
    assert get(client, LIST, new_plain).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert get(client, LIST, old_plain).status_code == 401
        assert get(client, LIST, new_plain).status_code == 200
    assert new.prefix != old.prefix and old_plain not in (new.digest, old.digest)


def test_a_key_over_its_rate_limit_is_told_when_to_come_back_and_it_is_logged(client, appeal):
    key = key_for(partner_create(), requests_per_minute=2)
    statuses = [get(client, LIST, key).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = get(client, LIST, key)
    assert 1 <= int(refused["Retry-After"]) <= 60
    partner_accesses_flush()  # from Redis, where the log is kept until the minute's flush
    assert list(PartnerAccess.objects.order_by("pk").values_list("status", flat=True)) == [
        200,
        200,
        429,
        429,
    ]


def test_a_poll_with_nothing_new_is_answered_from_the_cache_and_a_304_with_its_etag(
    client, herald_key, appeal, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    first = get(client, LIST, herald_key).json()
    poll = f"{LIST}?changed_since={first['next_changed_since']}"
    answer = get(client, poll, herald_key)
    etag = answer["ETag"]
    assert answer["Cache-Control"] == "private, no-cache" and answer["Vary"] == "Authorization"

    # Nothing asked of the database: the access log's row is written at once only without
    # Redis (with it, the row waits in Redis for the minute's flush).
    with django_assert_max_num_queries(0 if settings.REDIS_URL else 1):
        again = get(client, poll, herald_key, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""

    with django_capture_on_commit_callbacks(execute=True):
        factories.appeal_create(title="Testperson Newcomer")
    changed = get(client, poll, herald_key, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # The poll overlaps the last by a minute: the appeal published just before comes again.
    assert "Testperson Newcomer" in [a["name"] for a in changed.json()["appeals"]]


def test_fetching_a_poster_is_recorded_for_the_takedown_to_ask_for_it_back(
    client, herald_key, appeal
):
    response = get(client, f"{LIST}/{appeal.pk}/poster.pdf", herald_key)
    assert response.status_code == 303 and response["Location"].endswith("/poster-a4.pdf")
    assert PosterFetch.objects.filter(appeal=appeal).count() == 1
    get(client, f"{LIST}/{appeal.pk}/poster.pdf?paper=a5", herald_key)
    assert PosterFetch.objects.filter(appeal=appeal).count() == 1
    assert get(client, f"{LIST}/{appeal.pk}/poster.pdf?paper=a3", herald_key).status_code == 422


def test_the_schema_is_served_and_documents_the_key_and_the_deletions(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["PartnerKey"]["scheme"] == "bearer"
    assert "deleted" in schema["components"]["schemas"]["AppealList"]["properties"]
    assert set(schema["paths"]) >= {"/api/v1/appeals", "/api/v1/briefings"}


def test_the_atom_feed_and_the_pfif_export_are_served_to_keys_with_their_types(
    client, herald_key, appeal
):
    atom = get(client, "/api/v1/feed.atom", herald_key)
    assert atom.status_code == 200 and atom["Content-Type"] == "application/atom+xml"
    assert b"Testperson Ashdown" in atom.content
    assert (
        get(client, "/api/v1/feed.atom", herald_key, HTTP_IF_NONE_MATCH=atom["ETag"]).status_code
        == 304
    )
    pfif = get(client, "/api/v1/pfif.xml", herald_key)
    assert pfif.status_code == 200 and pfif["Content-Type"] == "application/xml"
    assert b"http://zesty.ca/pfif/1.4" in pfif.content
    assert get(client, "/api/v1/pfif.xml", None).status_code == 401


def test_a_partner_switched_off_or_moved_to_other_areas_loses_its_access_at_once(
    client, appeal, django_capture_on_commit_callbacks
):
    partner = partner_create()
    key = key_for(partner)
    assert get(client, LIST, key).json()["appeals"]  # its grant is now cached
    with django_capture_on_commit_callbacks(execute=True):
        partner.areas.set(PoliceForce.objects.filter(slug="kent-police"))
    assert get(client, LIST, key).json()["appeals"] == []
    with django_capture_on_commit_callbacks(execute=True):
        partner.active = False
        partner.save()
    assert get(client, LIST, key).status_code == 401


@pytest.mark.parametrize(
    "changed_since",
    ["4928-12-09T03:03:01.30-23:12", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"],
)
def test_any_valid_changed_since_is_answered_whatever_its_offset_or_year(
    client, herald_key, changed_since
):
    # Found by the contract tests: PostgreSQL takes no offset past 16 hours.
    response = get(client, f"{LIST}?changed_since={quote(changed_since)}", herald_key)
    assert response.status_code == 200
