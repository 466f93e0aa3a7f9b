"""The Heroes emails in the admin: campaigns with their figures, and a preview of each email."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from homeward.admin_views import AdminPageMixin, permission_require
from newsletter import services
from newsletter.emails import AREAS, MANAGE_URL, UNSUBSCRIBE_URL, EmailRenderer, email_compile
from newsletter.models import Campaign, NewsletterSettings
from newsletter.selectors import campaign_figures, email_preview_context

# Where each person's own would go, the preview shows these.
PREVIEW_VALUES = {
    AREAS: "North Yorkshire Police (example)",
    MANAGE_URL: "#manage",
    UNSUBSCRIBE_URL: "#unsubscribe",
}
PREVIEW_KINDS = ("regular", "urgent", "briefing", "confirmation", "already-subscribed")


class CampaignListView(AdminPageMixin, TemplateView):
    template_name = "newsletter/admin/campaigns.html"
    page_title = "Heroes emails"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        permission_require(request, "newsletter.view_campaign")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        campaigns = Campaign.objects.select_related("appeal")[:50]
        return super().get_context_data(
            rows=[(campaign, campaign_figures(campaign)) for campaign in campaigns],
            can_cancel=self.request.user.has_perm("newsletter.change_campaign"),
            preview_kinds=PREVIEW_KINDS,
            **kwargs,
        )


@require_POST
def campaign_cancel(request: HttpRequest, campaign_id: int) -> HttpResponse:
    permission_require(request, "newsletter.change_campaign")
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    cancelled = services.campaign_cancel(campaign=campaign)
    messages.success(request, f"Cancelled: {cancelled} emails not yet sent will not be sent.")
    return redirect("newsletter_campaigns")


def email_preview(request: HttpRequest, kind: str) -> HttpResponse:
    """The email as a Hero would see it, compiled from the current MJML and wording."""
    permission_require(request, "newsletter.view_campaign")
    if kind not in PREVIEW_KINDS:
        raise Http404
    context = email_preview_context(
        kind, wording=NewsletterSettings.load().wording(), now=timezone.now()
    )
    html, text = EmailRenderer(email_compile(kind)).render(context)
    for placeholder, example in PREVIEW_VALUES.items():
        html, text = html.replace(placeholder, example), text.replace(placeholder, example)
    if request.GET.get("format") == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)
