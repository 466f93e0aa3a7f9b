from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from newsletter import admin_views
from newsletter.models import Campaign, Partner
from newsletter.permission_policies import CampaignPermissionPolicy
from newsletter.viewsets import CANCEL_ACTION, CANCEL_LABEL, CampaignViewSet

register_permission_policy(Campaign, CampaignPermissionPolicy(Campaign))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("heroes/preview/<slug:kind>/", admin_views.email_preview, name="newsletter_preview"),
    ]


@hooks.register("register_log_actions")
def register_campaign_log_actions(actions):
    @actions.register_action(CANCEL_ACTION)
    class CampaignCancelled(LogFormatter):
        label = CANCEL_LABEL

        def format_message(self, log_entry):
            cancelled = log_entry.data.get("cancelled", 0)
            return f"Cancelled what was not sent: {cancelled} emails will not be sent"


class PartnerViewSet(ModelViewSet):
    """The safeguarding briefing network: vetted partners who get restricted briefings."""

    model = Partner
    icon = "group"
    menu_label = "Briefing partners"
    list_display = ["organisation", "email", "vetted_on", "active"]
    search_fields = ["organisation", "email"]


class HeroesViewSetGroup(ViewSetGroup):
    """The Heroes emails in one menu: what was sent, and who gets the restricted briefings."""

    menu_label = "Heroes emails"
    menu_icon = "mail"
    menu_order = 150
    items = (CampaignViewSet("heroes_campaigns"), PartnerViewSet("briefing_partners"))


@hooks.register("register_admin_viewset")
def register_heroes_viewsets():
    return HeroesViewSetGroup()
