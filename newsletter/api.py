"""The partners' API: read-only JSON of live appeals and of what was taken down, with an
OpenAPI schema at /api/v1/openapi.json.

django-ninja, rather than Django REST framework or Wagtail's API v2: its schema is made
from the same typed records the answers are validated against (newsletter/api_schemas.py),
so the documentation cannot drift from what is sent; it is light enough that a cached
answer costs little more than a plain view; and Wagtail 8's own API v3 is built on it.
Wagtail's API v2 exposes pages by their model fields and has no OpenAPI schema.

Answers are cached per key and query, with the scope they were made for (what the key may
read), under the page cache's generation, so every publish and takedown retires them at
once; each carries an ETag, and a partner that sends it back gets 304. A poll with nothing
new asks the database nothing, and Redis two things (partner_access.py).
"""

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Literal, NamedTuple

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from ninja import NinjaAPI, Path, Status
from ninja.security import HttpBearer
from pydantic import BaseModel

from homeward.models import PoliceForce
from homeward.page_cache import GENERATION_KEY, page_cache_purge
from newsletter import api_schemas as schemas
from newsletter.partner_access import KeyRefused, partner_admit
from newsletter.partner_appeals import (
    partner_appeal_record,
    partner_briefings,
    partner_deleted,
    partner_latest_change,
    partner_live_appeals,
)
from newsletter.partner_feeds import partner_atom, partner_pfif
from newsletter.partner_keys import Grant
from newsletter.services.partner_posters import poster_fetch_record


class Answer(NamedTuple):
    status: int
    body: bytes
    type: str = "application/json"


def _json(record: BaseModel) -> Answer:
    return Answer(200, record.model_dump_json().encode())


def _problem(status: int, detail: str) -> Answer:
    return Answer(status, schemas.Problem(detail=detail).model_dump_json().encode())


# How far the next poll's changed_since reaches back: an appeal whose publication was
# committed a little after a later one's is still caught. Records may come twice.
POLL_OVERLAP = timedelta(minutes=1)
ANSWER_SECONDS = 300
# Ids are positive and fit the database's integer: anything else is a 422, not an error.
APPEAL_ID = Path(..., ge=1, le=2**31 - 1)
REFUSALS = {
    401: schemas.Problem,
    403: schemas.Problem,
    422: schemas.InvalidQuery,
    429: schemas.Problem,
}

api = NinjaAPI(
    title="Homeward partners' API",
    version="1",
    description=(
        "Live public appeals for partners who republish them, and the appeals to take "
        "down. Give your key as `Authorization: Bearer <key>`. Poll `/appeals` with "
        "`changed_since` set to the last answer's `next_changed_since`: remove every "
        "appeal listed under `deleted` at once, and any poster of it. A webhook (if you "
        "gave us an address) tells you within seconds, signed: `Homeward-Signature: "
        "t=<unix time>,v1=<hex HMAC-SHA256 of '<t>.<body>' keyed with your secret>`."
    ),
    urls_namespace="partner-api",
    docs_url=None,
)


class PartnerKey(HttpBearer):
    """A partner's key; ``briefings`` for the restricted endpoints."""

    def __init__(self, *, briefings: bool = False):
        super().__init__()
        self.briefings = briefings

    # HttpBearer for the schema's security scheme; the key is read, checked and counted by
    # partner_admit, the one gate every endpoint (and the feeds) goes through.
    def __call__(self, request: HttpRequest) -> Grant:
        return partner_admit(request, briefings=self.briefings)

    authenticate = None  # never reached: __call__ above replaces HttpBearer's


PUBLIC, RESTRICTED = PartnerKey(), PartnerKey(briefings=True)


@api.exception_handler(KeyRefused)
def key_refused(request: HttpRequest, refused: KeyRefused) -> HttpResponse:
    response = api.create_response(request, {"detail": refused.detail}, status=refused.status)
    if refused.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="homeward"'
    if refused.retry_after is not None:
        response["Retry-After"] = str(refused.retry_after)
    return response


class UnknownArea(Exception):
    pass


@api.exception_handler(UnknownArea)
def unknown_area(request: HttpRequest, error: UnknownArea) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=404)


@api.get(
    "/appeals",
    response={200: schemas.AppealList, 304: None, 404: schemas.Problem, **REFUSALS},
    auth=PUBLIC,
    summary="Live public appeals, and those taken down",
    operation_id="appeals_list",
)
def appeals_list(
    request: HttpRequest, area: str | None = None, changed_since: datetime | None = None
):
    grant = request.auth
    force_id = _area_of(grant, area)
    since = _aware(changed_since)

    def build() -> Answer:
        appeals = partner_live_appeals(grant=grant, force_id=force_id, changed_since=since)
        return _json(
            schemas.AppealList(
                appeals=[partner_appeal_record(appeal) for appeal in appeals],
                deleted=partner_deleted(grant=grant, force_id=force_id, changed_since=since),
                next_changed_since=_next_poll(grant, since),
            )
        )

    return _answer(request, build)


@api.get(
    "/appeals/{appeal_id}",
    response={
        200: schemas.Appeal,
        304: None,
        404: schemas.Problem,
        410: schemas.Problem,
        **REFUSALS,
    },
    auth=PUBLIC,
    summary="One live public appeal",
    operation_id="appeals_read",
)
def appeals_read(request: HttpRequest, appeal_id: int = APPEAL_ID):
    grant = request.auth

    def build() -> Answer:
        appeal = partner_live_appeals(grant=grant).filter(pk=appeal_id).first()
        if appeal is not None:
            return _json(schemas.Appeal(**partner_appeal_record(appeal)))
        if any(gone["id"] == appeal_id for gone in partner_deleted(grant=grant)):
            return _problem(410, "This appeal has been taken down: remove your copy now.")
        return _problem(404, "No live appeal has that id.")

    return _answer(request, build)


@api.get(
    "/appeals/{appeal_id}/poster.pdf",
    response={303: None, 404: schemas.Problem, **REFUSALS},
    auth=PUBLIC,
    summary="The printable poster (A4) or flyer (A5)",
    description="Redirects to the PDF. We keep a note that you fetched it, so that if the "
    "appeal is taken down we can email you to take down what you printed.",
    operation_id="appeals_poster",
)
def appeals_poster(
    request: HttpRequest, appeal_id: int = APPEAL_ID, paper: Literal["a4", "a5"] = "a4"
):
    grant = request.auth
    appeal = partner_live_appeals(grant=grant).filter(pk=appeal_id).first()
    if appeal is None:
        return Status(404, {"detail": "No live appeal has that id."})
    poster_fetch_record(partner_id=grant.partner_id, appeal=appeal)
    link = appeal.public_short_link()
    return HttpResponseRedirect(link.poster_url if paper == "a4" else link.flyer_url, status=303)


@api.get(
    "/briefings",
    response={200: schemas.BriefingList, 304: None, **REFUSALS},
    auth=RESTRICTED,
    summary="Restricted briefings (vetted partners' keys only)",
    operation_id="briefings_list",
)
def briefings_list(request: HttpRequest, changed_since: datetime | None = None):
    grant = request.auth
    since = _aware(changed_since)

    def build() -> Answer:
        restricted = replace(grant, public_appeals=False)
        return _json(
            schemas.BriefingList(
                briefings=partner_briefings(grant=grant, changed_since=since),
                deleted=partner_deleted(grant=restricted, changed_since=since),
                next_changed_since=_next_poll(grant, since),
            )
        )

    return _answer(request, build)


@api.get(
    "/feed.atom",
    response={200: None, 304: None, **REFUSALS},
    auth=PUBLIC,
    summary="Your Atom feed of live appeals, with RFC 6721 tombstones for those taken down",
    description="`application/atom+xml`. Each taken-down appeal is an `at:deleted-entry` "
    "whose `ref` is the entry's id: remove it.",
    operation_id="feed_atom",
    openapi_extra={"responses": {"200": {"content": {"application/atom+xml": {}}}}},
)
def feed_atom(request: HttpRequest, changed_since: datetime | None = None):
    grant, since = request.auth, _aware(changed_since)
    return _answer(
        request,
        lambda: Answer(200, partner_atom(grant, changed_since=since), "application/atom+xml"),
    )


@api.get(
    "/pfif.xml",
    response={200: None, 304: None, **REFUSALS},
    auth=PUBLIC,
    summary="Live public appeals as PFIF 1.4, for people-finder tools",
    description="Each record expires at its publicity clearance's review date; appeals "
    "taken down are sent as expired records.",
    operation_id="pfif_export",
    openapi_extra={"responses": {"200": {"content": {"application/xml": {}}}}},
)
def pfif_export(request: HttpRequest):
    grant = request.auth
    return _answer(request, lambda: Answer(200, partner_pfif(grant), "application/xml"))


def _area_of(grant: Grant, slug: str | None) -> int | None:
    if not slug:
        return None
    force_id = PoliceForce.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if force_id is None:
        raise UnknownArea(f"No area is called “{slug[:100]}”: give a police force's slug.")
    if not grant.covers(force_id):
        raise KeyRefused(403, "This key does not receive that area's appeals.")
    return force_id


def _aware(moment: datetime | None) -> datetime | None:
    """In UTC (the database takes no offset beyond ±16 hours): naive means UTC, and a time
    past the calendar's ends once in UTC is taken as that end."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        end = datetime.max if moment.year > 1 else datetime.min
        return end.replace(tzinfo=UTC)


def _next_poll(grant: Grant, since: datetime | None) -> datetime | None:
    latest = partner_latest_change(grant=grant)
    return latest - POLL_OVERLAP if latest else since


def _answer(request: HttpRequest, build: Callable[[], Answer]) -> HttpResponse:
    """The key's answer to this query, from the cache if it holds this generation's (read
    with the key's grant, partner_access.partner_admit); 304 when the partner has it."""
    found = request.partner_cached
    generation = found.get(GENERATION_KEY) or page_cache_purge()
    # What the key may read now: an answer made before its partner's areas or rights
    # changed is not served.
    scope = _scope(request.auth)
    entry = found.get(request.partner_answer_key)
    if entry is None or entry[:2] != (generation, scope):
        answer = build()
        etag = '"' + hashlib.sha256(answer.body).hexdigest()[:32] + '"'
        entry = (generation, scope, answer, etag)
        cache.set(request.partner_answer_key, entry, timeout=ANSWER_SECONDS)
    *_, answer, etag = entry
    if answer.status == 200 and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(answer.body, status=answer.status, content_type=answer.type)
    response["ETag"] = etag
    # Each key's answer is its own: no shared cache may keep it.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization"
    return response


def _scope(grant: Grant) -> str:
    areas = "all" if grant.all_of_uk else ",".join(map(str, sorted(grant.force_ids)))
    return f"{int(grant.public_appeals)}{int(grant.briefings)}:{areas}"
