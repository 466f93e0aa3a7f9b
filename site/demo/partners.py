"""A made-up partner with a fresh API key, so a newcomer can try the partners' API."""

from django.db import transaction
from django.utils import timezone

from homeward.models import PoliceForce
from newsletter.models import Partner, PartnerKey
from newsletter.services.partner_keys import partner_key_create, partner_key_revoke

DEMO_PARTNER_EMAIL = "newsdesk@dales-post.example.invalid"


@transaction.atomic
def demo_partner_key(*, areas: list[str]) -> str:
    """A new key for the demo newspaper (keys are shown once, so each run makes one and
    revokes the one before)."""
    partner, _ = Partner.objects.get_or_create(
        email=DEMO_PARTNER_EMAIL,
        defaults={"organisation": "The Dales Evening Post (made up)", "contact_name": "News desk"},
    )
    partner.areas.set(PoliceForce.objects.filter(slug__in=areas))
    for key in PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True):
        partner_key_revoke(key=key, user=None)
    return partner_key_create(partner=partner, name="Demo newsroom", user=None)[1]


def demo_briefing_partner() -> None:
    """A vetted member of the safeguarding network, who receives restricted briefings."""
    Partner.objects.update_or_create(
        email="safeguarding@library.example.invalid",
        defaults={
            "organisation": "Demo Town Library",
            "all_of_uk": True,
            "briefings": True,
            "vetted_on": timezone.localdate(),
        },
    )
