"""The Heroes emails' section of an appeal's publicity record (appeals' admin asks for it
through the ``register_publicity_record_section`` hook, so appeals never imports newsletter)."""

from wagtail import hooks

from appeals.models import AppealPage, PublicityRecordSection
from newsletter.models import Campaign
from newsletter.selectors import campaign_figures


def campaigns_of(appeal: AppealPage) -> list[Campaign]:
    """The appeal's own emails (urgent, briefing) and the regular emails that carried it."""
    own = Campaign.objects.filter(appeal=appeal)
    regular = Campaign.objects.none()
    if appeal.first_published_at:
        # Regular emails name their appeals in their content (in every database's JSON).
        regular = Campaign.objects.filter(
            kind=Campaign.Kind.REGULAR, created_at__gte=appeal.first_published_at
        )
    carried = (
        campaign
        for campaign in regular
        if any(
            card.get("id") == appeal.pk
            for key in ("new_appeals", "pushed_appeals")
            for card in campaign.content.get(key, [])
        )
    )
    return sorted([*own, *carried], key=lambda campaign: campaign.created_at)


@hooks.register("register_publicity_record_section")
def heroes_emails_section(*, appeal: AppealPage) -> PublicityRecordSection:
    return PublicityRecordSection(
        name="emails",
        heading="Emails",
        template_name="newsletter/admin/publicity_record_emails.html",
        context={
            "campaigns": [
                {"campaign": campaign, "figures": campaign_figures(campaign)}
                for campaign in campaigns_of(appeal)
            ]
        },
    )
