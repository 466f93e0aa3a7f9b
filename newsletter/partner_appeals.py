"""What a partner's key may read: live public appeals, restricted briefings, and what has
been deleted, each as a plain record that the API, the Atom feed and the PFIF export
share. Public fields only, by construction: a record is built field by field from this
module's lists, never from the model's fields, so a never-public field can only reach a
partner by being written here.
"""

from datetime import datetime, timedelta

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from appeals.models import AppealPage, AppealPhoto, AppealTakedown, PublicityCheck
from appeals.models.publicity import PublicityDecision
from homeward.languages import DEFAULT_LANGUAGE
from homeward.links import absolute_url
from newsletter.partner_keys import Grant

# Partners are given the renditions the public pages already show, so no new file is made
# (nor must be withdrawn) for them: the portrait and the share image.
PARTNER_PHOTO_FILTERS = {"portrait": "fill-600x750-c100", "landscape": "fill-1200x630-c100"}
# A full fetch (no changed-since) still lists deletions this recent, so that a partner
# that last synced a while ago learns what to remove.
DELETIONS_KEPT = timedelta(days=90)
PUBLIC_TEXT_FIELDS = (
    "gender",
    "build",
    "hair",
    "clothing",
    "distinguishing_features",
    "last_seen_area",
    "message",
)


def _in_areas(grant: Grant, field: str = "police_force_id") -> Q:
    return Q() if grant.all_of_uk else Q(**{f"{field}__in": grant.force_ids})


def partner_live_appeals(
    *, grant: Grant, force_id: int | None = None, changed_since: datetime | None = None
) -> QuerySet[AppealPage]:
    """Live public appeals in the key's areas (all, or those published since)."""
    if not grant.public_appeals:
        return AppealPage.objects.none()
    appeals = AppealPage.objects.publicly_visible().filter(_in_areas(grant))
    if force_id is not None:
        appeals = appeals.filter(police_force_id=force_id)
    if changed_since is not None:
        appeals = appeals.filter(last_published_at__gt=changed_since)
    photos = AppealPhoto.objects.with_renditions(PARTNER_PHOTO_FILTERS.values())
    return (
        appeals.select_related("police_force", "short_link")
        .prefetch_related(Prefetch("photos", queryset=photos), "translations")
        .annotate(
            clearance_expires_at=PublicityCheck.objects.valid_clearances()
            .filter(revision_id=OuterRef("live_revision_id"))
            .values("expires_at")[:1]
        )
        .order_by("-missing_since", "-pk")
    )


def partner_deleted(
    *, grant: Grant, force_id: int | None = None, changed_since: datetime | None = None
) -> list[dict]:
    """Tombstones: appeals the key could have held that were taken down, and when; never
    why. After the retention purge a tombstone is all that is left of an appeal."""
    since = changed_since or timezone.now() - DELETIONS_KEPT
    takedowns = AppealTakedown.objects.filter(
        _in_areas(grant), appeal_number__isnull=False, closed_at__gt=since
    )
    if force_id is not None:
        takedowns = takedowns.filter(police_force_id=force_id)
    if not grant.briefings:
        # A restricted appeal's number is not for a key that never saw it.
        takedowns = takedowns.filter(first_published_at__isnull=False)
    if not grant.public_appeals:
        takedowns = takedowns.filter(first_published_at__isnull=True)
    return [
        {"id": number, "deleted_at": closed_at}
        for number, closed_at in takedowns.order_by("-closed_at").values_list(
            "appeal_number", "closed_at"
        )
    ]


def partner_latest_change(*, grant: Grant) -> datetime | None:
    """When anything a key may read last changed: nothing newer, nothing to send."""
    published = (
        AppealPage.objects.live()
        .filter(_in_areas(grant))
        .aggregate(at=Max("last_published_at"))["at"]
    )
    deleted = AppealTakedown.objects.filter(_in_areas(grant)).aggregate(at=Max("closed_at"))["at"]
    briefed = None
    if grant.briefings:
        briefed = _restricted_clearances(grant).aggregate(at=Max("approved_at"))["at"]
    return max((at for at in (published, deleted, briefed) if at), default=None)


def partner_appeal_record(appeal: AppealPage) -> dict:
    """One live appeal as partners receive it: public facts, addresses, photos."""
    with translation.override(DEFAULT_LANGUAGE):
        path = appeal.url
        age_text = appeal.age_text
        height_text = appeal.height_text
    short_link = appeal.public_short_link()
    return {
        "id": appeal.pk,
        "name": appeal.title,
        "age_when_missing": appeal.age_when_missing,
        "age_text": age_text,
        "is_child": appeal.is_child,
        "height_cm": appeal.height_cm,
        "height_text": height_text,
        **{field: getattr(appeal, field) for field in PUBLIC_TEXT_FIELDS},
        "summary": appeal.summary,
        "missing_since": appeal.missing_since,
        "area": {"slug": appeal.police_force.slug, "name": appeal.police_force.name},
        "url": absolute_url(path),
        "short_url": absolute_url(short_link.url),
        "poster_url": absolute_url(f"/api/v1/appeals/{appeal.pk}/poster.pdf"),
        "photos": [_photo_record(photo) for photo in appeal.photos.all()],
        "languages": [
            {
                "language": item.language,
                "headline": item.headline,
                "description": item.description,
                "message_to_them": item.message_to_them,
            }
            for item in appeal.translations.all()
        ],
        "published_at": appeal.first_published_at,
        "updated_at": appeal.last_published_at,
        "expires_at": getattr(appeal, "clearance_expires_at", None),
    }


def _photo_record(photo: AppealPhoto) -> dict:
    renditions = {
        shape: photo.image.get_rendition(spec) for shape, spec in PARTNER_PHOTO_FILTERS.items()
    }
    return {
        "alt": photo.alt_text,
        **{
            shape: {
                "url": absolute_url(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
            }
            for shape, rendition in renditions.items()
        },
    }


def _restricted_clearances(grant: Grant) -> QuerySet[PublicityCheck]:
    return PublicityCheck.objects.valid_clearances(decision=PublicityDecision.RESTRICTED).filter(
        _in_areas(grant, "authorising_force_id")
    )


def partner_briefings(*, grant: Grant, changed_since: datetime | None = None) -> list[dict]:
    """Restricted briefings for a key allowed them: the cleared revision's facts, never a
    photo (the check clears a briefing's words, and its photos stay private), never a
    page address (there is none)."""
    if not grant.briefings:
        return []
    checks = _restricted_clearances(grant)
    if changed_since is not None:
        checks = checks.filter(approved_at__gt=changed_since)
    records = []
    for check in checks.select_related("revision").order_by("-approved_at"):
        draft = check.revision.as_object()
        if draft.is_closed or not grant.covers(draft.police_force_id):
            continue
        if AppealTakedown.objects.filter(appeal_id=draft.pk).exists():
            continue
        with translation.override(DEFAULT_LANGUAGE):
            age_text = draft.age_text
        records.append(
            {
                "id": draft.pk,
                "name": draft.title,
                "age_text": age_text,
                "missing_since": draft.missing_since,
                "last_seen_area": draft.last_seen_area,
                "area": {"slug": draft.police_force.slug, "name": draft.police_force.name},
                "description": " ".join(
                    part for part in (draft.clothing, draft.distinguishing_features) if part
                ),
                "briefed_at": check.approved_at,
                "expires_at": check.expires_at,
            }
        )
    return records
