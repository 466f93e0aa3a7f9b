from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from appeals.lifecycle_hooks import TAKEDOWN_REPORT_PARTNERS
from newsletter import admin_views
from newsletter.admin_partner_keys import (
    SIGNING_REPLACED_ACTION,
    PartnerKeyViewSet,
    PartnerRequestViewSet,
)
from newsletter.admin_partners import FailedNoticesPanel, PartnerViewSet
from newsletter.models import Campaign, Partner, PartnerAccess, PartnerKey
from newsletter.partner_keys import KEY_START
from newsletter.permission_policies import CampaignPermissionPolicy
from newsletter.takedown_report_partners import takedown_report_partners
from newsletter.viewsets import CANCEL_ACTION, CANCEL_LABEL, CampaignViewSet

register_permission_policy(Campaign, CampaignPermissionPolicy(Campaign))
# The access log is read with the keys' view permission: it is what the keys did.
register_permission_policy(
    PartnerAccess, ModelPermissionPolicy(PartnerAccess, auth_model=PartnerKey)
)

hooks.register(TAKEDOWN_REPORT_PARTNERS, takedown_report_partners)


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


class PartnerKeyLogged(LogFormatter):
    """Names the key by its name and prefix, never more of it."""

    def format_message(self, log_entry):
        data = log_entry.data
        return f"{self.label}: {data.get('name', '')} ({KEY_START}{data.get('key', '')}_…)"


@hooks.register("register_log_actions")
def register_partner_log_actions(actions):
    @actions.register_action("homeward.partner.key_created")
    class KeyCreated(PartnerKeyLogged):
        label = "API key created"

    @actions.register_action("homeward.partner.key_rotated")
    class KeyRotated(PartnerKeyLogged):
        label = "API key rotated"

    @actions.register_action("homeward.partner.key_revoked")
    class KeyRevoked(PartnerKeyLogged):
        label = "API key revoked"

    actions.register_action(
        SIGNING_REPLACED_ACTION, "Webhook secret replaced", "Webhook signing secret replaced"
    )


class HeroesViewSetGroup(ViewSetGroup):
    """The Heroes emails: what was sent, with what became of each message."""

    menu_label = "Heroes emails"
    menu_icon = "mail"
    menu_order = 150
    items = (CampaignViewSet("heroes_campaigns"),)


@hooks.register("register_admin_viewset")
def register_heroes_viewsets():
    return HeroesViewSetGroup()


@hooks.register("register_admin_viewset")
def register_partner_viewsets():
    return [PartnerViewSet(), PartnerKeyViewSet(), PartnerRequestViewSet()]


@hooks.register("construct_homepage_panels")
def add_failed_partner_notices_panel(request, panels):
    # For those who manage partners: they are the ones to ring a partner not told.
    if policy_registry.get_by_type(Partner).user_has_permission(request.user, "change"):
        panels.append(FailedNoticesPanel())
