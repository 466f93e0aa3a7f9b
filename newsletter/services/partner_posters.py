"""Posters partners fetched: recorded, so that a takedown can ask them to take it down."""

from django.utils import timezone

from appeals.models import AppealPage
from newsletter.models import PosterFetch


def poster_fetch_record(*, partner_id: int, appeal: AppealPage) -> None:
    now = timezone.now()
    updated = PosterFetch.objects.filter(partner_id=partner_id, appeal=appeal).update(
        last_fetched_at=now
    )
    if not updated:
        PosterFetch.objects.get_or_create(
            partner_id=partner_id,
            appeal=appeal,
            defaults={"first_fetched_at": now, "last_fetched_at": now},
        )
