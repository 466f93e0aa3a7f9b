from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone
from wagtail.images import get_image_model

from appeals.models import AppealPage, AppealPhoto
from homeward.models import PoliceForce

# Renditions every listing shows: prefetched so a page of cards costs a fixed number of
# queries.
CARD_PHOTO_FILTER = "fill-400x500-c100"

SINCE_PERIODS = {
    "7d": ("In the last 7 days", timedelta(days=7)),
    "30d": ("In the last 30 days", timedelta(days=30)),
    "1y": ("In the last 12 months", timedelta(days=365)),
}
OVER_A_YEAR = "over1y"


def appeal_photos(filter_specs: Iterable[str]):
    """Appeal photos with their images and the given renditions, in a fixed few queries."""
    images = get_image_model().objects.prefetch_renditions(*filter_specs)
    return AppealPhoto.objects.prefetch_related(Prefetch("image", queryset=images))


def _with_card_photos(appeals):
    return appeals.select_related("police_force").prefetch_related(
        Prefetch("photos", queryset=appeal_photos([CARD_PHOTO_FILTER]))
    )


def appeal_list_latest(*, limit: int):
    """The most recently missing people, for the home page."""
    appeals = AppealPage.objects.publicly_visible().order_by("-missing_since", "-pk")
    return _with_card_photos(appeals)[:limit]


def appeal_search(
    *, query: str = "", force: PoliceForce | None = None, person: str = "", since: str = ""
):
    """Live appeals matching the directory's filters, newest first (best match first)."""
    appeals = AppealPage.objects.publicly_visible()
    if force is not None:
        appeals = appeals.filter(police_force=force)
    if person:
        appeals = appeals.filter(is_child=(person == "child"))
    today = timezone.localdate()
    if since == OVER_A_YEAR:
        appeals = appeals.filter(missing_since__lt=today - timedelta(days=365))
    elif since in SINCE_PERIODS:
        appeals = appeals.filter(missing_since__gte=today - SINCE_PERIODS[since][1])
    appeals = _with_card_photos(appeals).order_by("-missing_since", "-pk")
    if query:
        return appeals.search(query, order_by_relevance=True)
    return appeals
