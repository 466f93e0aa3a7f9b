"""Heroes campaigns in the admin, on Wagtail's generic views: the list (paged, filtered,
exported), one campaign's figures, its history, and cancelling what it has not yet sent.

What someone may see or do is the registered permission policy's answer
(``newsletter.permission_policies``); a campaign outside it answers 404.
"""

import django_filters
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, StatusTagColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from appeals.selectors import appeals_visible_to
from homeward.admin_views import RecordViewSet
from newsletter import services
from newsletter.admin_views import PREVIEW_KINDS
from newsletter.models import Campaign, Delivery

CANCEL_ACTION = "newsletter.campaign_cancel"
CANCEL_LABEL = "Cancel what is not sent"
# Delivery figures as the list's columns and the export's, in the order a message goes.
FIGURES = {status: f"{status}_count" for status in Delivery.Status.values}
# Short headings: the list explains "Uncertain" above the table.
FIGURE_LABELS = {FIGURES[status.value]: status.label.split(":")[0] for status in Delivery.Status}


def campaigns_with_figures(campaigns):
    """Each campaign with how many of its messages stand at each status: a subquery per
    figure, so only the rows shown (or exported) are counted."""
    return campaigns.select_related("appeal").annotate(
        **{
            name: Coalesce(
                Subquery(
                    Delivery.objects.filter(campaign=OuterRef("pk"), status=status)
                    .order_by()
                    .values("campaign")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
            for status, name in FIGURES.items()
        }
    )


def appeals_with_campaigns(request):
    return appeals_visible_to(request.user).filter(
        pk__in=Campaign.objects.exclude(appeal=None).values("appeal")
    )


class CampaignFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=Campaign.Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=Campaign.Status.choices, empty_label="Any status")
    appeal = django_filters.ModelChoiceFilter(
        queryset=appeals_with_campaigns, empty_label="Any appeal"
    )
    created_at = django_filters.DateFromToRangeFilter(
        label="Created between", widget=DateRangePickerWidget
    )

    class Meta:
        model = Campaign
        fields = ["kind", "status", "appeal", "created_at"]


def campaigns_for(user, action: str):
    policy = policy_registry.get_by_type(Campaign)
    return campaigns_with_figures(policy.instances_user_has_permission_for(user, action))


class CampaignActionsMixin:
    cancel_url_name = None

    def get_cancel_url(self, campaign) -> str | None:
        """Offered while the campaign is sending, to those who may cancel it."""
        policy = policy_registry.get_by_type(Campaign)
        if campaign.status == Campaign.Status.SENDING and policy.user_has_permission(
            self.request.user, "cancel"
        ):
            return reverse(self.cancel_url_name, args=[campaign.pk])
        return None


class CampaignObjectMixin(CampaignActionsMixin):
    """A campaign the person may act on (``permission``), or 404."""

    permission = "view"

    def get_object(self):
        campaigns = campaigns_for(self.request.user, self.permission)
        return get_object_or_404(campaigns, pk=self.kwargs["pk"])


class CampaignIndexView(CampaignActionsMixin, IndexView):
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return campaigns_for(self.request.user, "view")

    @cached_property
    def columns(self):
        return [
            self._get_title_column("subject", width="25%"),
            Column("get_kind_display", label="Kind", sort_key="kind"),
            StatusTagColumn(
                "get_status_display",
                label="Status",
                sort_key="status",
                primary=lambda campaign: campaign.status == Campaign.Status.SENDING,
            ),
            Column("appeal", label="Appeal"),
            DateColumn("created_at", label="Created", sort_key="created_at"),
            *(NumberColumn(name, label=label) for name, label in FIGURE_LABELS.items()),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := self.get_cancel_url(instance):
            buttons.append(MenuItem(CANCEL_LABEL, url=url, icon_name="cross", priority=30))
        return buttons

    def get_context_data(self, *args, **kwargs):
        # Without a mail server messages are only written to the log: staff are told so.
        return super().get_context_data(
            *args,
            mail_server_connected=bool(settings.EMAIL_HOST),
            preview_kinds=PREVIEW_KINDS.items(),
            **kwargs,
        )


class CampaignInspectView(CampaignObjectMixin, InspectView):
    any_permission_required = ["view"]
    history_url_name = None

    def get_field_label(self, field_name, field):
        return FIGURE_LABELS.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        if field_name in FIGURES.values():
            return getattr(self.object, field_name)
        return super().get_field_display_value(field_name, field) or "-"

    @cached_property
    def header_buttons(self):
        history = reverse(self.history_url_name, args=[self.object.pk])
        buttons = [HeaderButton("History", url=history, icon_name="history")]
        if url := self.get_cancel_url(self.object):
            buttons.append(HeaderButton(CANCEL_LABEL, url=url, icon_name="cross"))
        return buttons


class CampaignHistoryView(CampaignObjectMixin, HistoryView):
    any_permission_required = ["view"]


class CampaignCancelView(CampaignObjectMixin, BaseObjectMixin, WagtailAdminTemplateMixin, View):
    """Asks first, then cancels through the one service every route uses."""

    permission = "cancel"
    template_name = "newsletter/admin/campaign_cancel.html"
    page_title = CANCEL_LABEL
    header_icon = "mail"
    index_url_name = None
    inspect_url_name = None

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(object=self.object))

    def post(self, request, *args, **kwargs):
        if self.object.status != Campaign.Status.SENDING:
            messages.warning(request, "This campaign has stopped sending: nothing to cancel.")
            return redirect(self.inspect_url_name, self.object.pk)
        cancelled = services.campaign_cancel(campaign=self.object)
        log(self.object, CANCEL_ACTION, user=request.user, data={"cancelled": cancelled})
        messages.success(request, f"Cancelled: {cancelled} emails not yet sent will not be sent.")
        return redirect(self.inspect_url_name, self.object.pk)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Campaigns"},
            {
                "url": reverse(self.inspect_url_name, args=[self.object.pk]),
                "label": str(self.object),
            },
            {"url": "", "label": CANCEL_LABEL},
        ]


class CampaignViewSet(RecordViewSet):
    """Every email to Heroes and partners, with what became of each message."""

    model = Campaign
    icon = "mail"
    menu_label = "Campaigns"
    url_prefix = "heroes/campaigns"
    inspect_view_enabled = True
    add_to_reference_index = False
    index_view_class = CampaignIndexView
    inspect_view_class = CampaignInspectView
    history_view_class = CampaignHistoryView
    index_template_name = "newsletter/admin/campaigns.html"
    # Not the email's templates and content: the preview shows what an email looks like.
    inspect_view_fields = [
        "kind",
        "subject",
        "appeal",
        "status",
        "created_at",
        "batches_enqueued_at",
        "last_progress_at",
        "finished_at",
        *FIGURES.values(),
    ]
    list_per_page = 20
    ordering = ["-created_at"]
    export_filename = "heroes-campaigns"
    filterset_class = CampaignFilterSet
    list_export = [
        "get_kind_display",
        "subject",
        "appeal",
        "get_status_display",
        "created_at",
        "finished_at",
        *FIGURES.values(),
    ]
    export_headings = {
        "get_kind_display": "Kind",
        "get_status_display": "Status",
        "created_at": "Created",
        "finished_at": "Finished",
        **FIGURE_LABELS,
    }

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(cancel_url_name=self.get_url_name("cancel"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            cancel_url_name=self.get_url_name("cancel"),
            history_url_name=self.get_url_name("history"),
            **kwargs,
        )

    @property
    def cancel_view(self):
        return CampaignCancelView.as_view(
            model=self.model,
            cancel_url_name=self.get_url_name("cancel"),
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/history/", self.history_view, name="history"),
            path("<int:pk>/history/results/", self.history_results_view, name="history_results"),
            path("<int:pk>/cancel/", self.cancel_view, name="cancel"),
        ]
