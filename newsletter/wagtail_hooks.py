from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from newsletter import admin_views
from newsletter.models import Partner


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("heroes/", admin_views.CampaignListView.as_view(), name="newsletter_campaigns"),
        path(
            "heroes/<int:campaign_id>/cancel/",
            admin_views.campaign_cancel,
            name="newsletter_campaign_cancel",
        ),
        path("heroes/preview/<slug:kind>/", admin_views.email_preview, name="newsletter_preview"),
    ]


class CampaignsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("newsletter.view_campaign")


@hooks.register("register_admin_menu_item")
def register_campaigns_menu_item():
    return CampaignsMenuItem(
        "Heroes emails", reverse("newsletter_campaigns"), icon_name="mail", order=150
    )


class PartnerViewSet(ModelViewSet):
    """The safeguarding briefing network: vetted partners who get restricted briefings."""

    model = Partner
    icon = "group"
    menu_label = "Briefing partners"
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["organisation", "email", "vetted_on", "active"]
    search_fields = ["organisation", "email"]


@hooks.register("register_admin_viewset")
def register_partner_viewset():
    return PartnerViewSet("briefing_partners")
